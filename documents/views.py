"""Staff pages: documents of the centre, batches with their progress, the certificate
register. Thin views: access helpers decide visibility, services do every write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from centres.access import require
from centres.roles import Capability
from core.listing import SortColumns, paginate
from core.search import french, text_search
from documents.access import (
    batches_for,
    certificates_for,
    documents_for,
    get_batch_for_user,
    get_certificate_for_user,
    get_document_for_user,
)
from documents.downloads import document_response, zip_response
from documents.forms import CertificateFilterForm, DocumentFilterForm, RevokeForm
from documents.models import DocumentStatus
from documents.services import DocumentError, request_document, retry_document, revoke_certificate

PAGE_SIZE = 30
DOCUMENT_SORT = SortColumns(
    "-created",
    label=french("label"),
    kind=("kind", "-created_at"),
    status=("status", "-created_at"),
    created="created_at",
    by=(french("created_by__last_name"), french("created_by__first_name"), "-created_at"),
)
CERTIFICATE_SORT = SortColumns(
    "-number",
    number=("year", "sequence"),
    holder=(french("holder_last_name"), french("holder_first_name")),
    kind=("kind", "-year", "-sequence"),
    qualification=(french("qualification_title"), "-year", "-sequence"),
    issued="issued_on",
    status=(F("revoked_at").desc(nulls_first=True), "-year", "-sequence"),
)


@login_required
@require_GET
def document_list(request):
    actor = request.actor
    require(actor, Capability.VIEW_CENTRE)
    form = DocumentFilterForm(request.GET or None)
    documents = documents_for(actor).select_related("created_by", "certificate")
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            documents = documents.filter(kind=data["kind"])
        if data["status"]:
            documents = documents.filter(status=data["status"])
        if data["q"]:
            q = data["q"].strip()
            documents = documents.filter(
                text_search(q, "label", "certificate__number") | Q(subject_id=q)
            )
    documents, sort = DOCUMENT_SORT.apply(documents, request.GET.get("sort"))
    page, querystring = paginate(request, documents, per_page=PAGE_SIZE)
    batches = list(batches_for(actor)[:5])
    return render(
        request,
        "documents/list.html",
        {
            "form": form,
            "page": page,
            "batches": batches,
            "querystring": querystring,
            "filtered": form.is_valid() and any(form.cleaned_data.values()),
            "sort": sort,
        },
    )


@login_required
@require_GET
def document_detail(request, pk):
    document = get_document_for_user(request.actor, pk)
    return render(
        request,
        "documents/detail.html",
        {"document": document, "can_manage": request.actor.can(Capability.MANAGE_DOCUMENTS)},
    )


@login_required
@require_GET
def download(request, pk):
    return document_response(get_document_for_user(request.actor, pk))


@login_required
@require_POST
def retry(request, pk):
    document = get_document_for_user(request.actor, pk, write=True)
    try:
        retry_document(document, actor=request.user)
    except DocumentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Le document a été relancé."))
    return redirect("documents:detail", pk=document.pk)


@login_required
@require_GET
def batch_detail(request, pk):
    actor = request.actor
    batch = get_batch_for_user(actor, pk)
    documents = batch.documents.select_related("certificate").order_by("pk")
    page, _query = paginate(request, documents, per_page=50)
    return render(
        request,
        "documents/batch.html",
        {"batch": batch, "progress": batch.progress(), "page": page},
    )


@login_required
@require_GET
def batch_progress(request, pk):
    batch = get_batch_for_user(request.actor, pk)
    return render(
        request, "documents/_batch_progress.html", {"batch": batch, "progress": batch.progress()}
    )


@login_required
@require_GET
def batch_zip(request, pk):
    batch = get_batch_for_user(request.actor, pk)
    progress = batch.progress()
    if not progress.all_ready:
        messages.error(
            request, _("L'archive sera disponible quand tous les documents seront prêts.")
        )
        return redirect("documents:batch", pk=batch.pk)
    documents = (
        batch.documents.filter(status=DocumentStatus.READY)
        .select_related("certificate")
        .order_by("pk")
    )
    filename = f"{batch.title or _('Documents')} - {batch.pk}.zip"
    return zip_response(documents, filename)


@login_required
@require_GET
def certificate_list(request):
    actor = request.actor
    require(actor, Capability.VIEW_CENTRE)
    form = CertificateFilterForm(request.GET or None)
    records = certificates_for(actor)
    if form.is_valid():
        data = form.cleaned_data
        records = records.filter(
            text_search(data["q"], "number", "holder_last_name", "holder_first_name")
        )
        if data["kind"]:
            records = records.filter(kind=data["kind"])
        if data["state"] == "valid":
            records = records.filter(revoked_at__isnull=True)
        elif data["state"] == "revoked":
            records = records.filter(revoked_at__isnull=False)
    records, sort = CERTIFICATE_SORT.apply(records, request.GET.get("sort"))
    page, querystring = paginate(request, records, per_page=PAGE_SIZE)
    return render(
        request,
        "documents/certificates.html",
        {
            "form": form,
            "page": page,
            "querystring": querystring,
            "filtered": form.is_valid() and any(form.cleaned_data.values()),
            "sort": sort,
        },
    )


@login_required
@require_GET
def certificate_detail(request, pk):
    actor = request.actor
    record = get_certificate_for_user(actor, pk)
    documents = list(
        documents_for(actor).filter(certificate=record).select_related("created_by")[:10]
    )
    return render(
        request,
        "documents/certificate.html",
        {
            "record": record,
            "documents": documents,
            "can_manage": actor.can(Capability.MANAGE_DOCUMENTS),
            "revoke_form": RevokeForm(),
        },
    )


@login_required
@require_POST
def certificate_render(request, pk):
    """(Re)produce the PDF of a register entry (e.g. after a revocation)."""
    record = get_certificate_for_user(request.actor, pk, write=True)
    try:
        document = request_document(
            record.kind,
            (record.subject_type, record.subject_id),
            centre=request.actor.centre,
            actor=request.user,
            label=f"{record.get_kind_display()} — {record.holder_name}",
            certificate=record,
        )
    except DocumentError as exc:
        messages.error(request, exc.message)
        return redirect("documents:certificate", pk=record.pk)
    messages.success(request, _("La production du document est demandée."))
    return redirect("documents:detail", pk=document.pk)


@login_required
@require_POST
def certificate_revoke(request, pk):
    record = get_certificate_for_user(request.actor, pk, write=True)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez le motif de la révocation."))
        return redirect("documents:certificate", pk=record.pk)
    try:
        revoke_certificate(record, reason=form.cleaned_data["reason"], actor=request.user)
    except DocumentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Le certificat est révoqué."))
    return redirect("documents:certificate", pk=record.pk)
