"""Bulk registration pages: upload, column mapping, preview, import; template files."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidates import importing
from candidates.access import get_import_for_user
from candidates.errors import DossierError
from candidates.models import CandidateImport
from centres.access import require
from centres.roles import Capability
from core.disposition import name_download
from core.listing import paginate

PREVIEW_PAGE_SIZE = 200


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier CSV ou XLSX"),
        error_messages={"required": gettext_lazy("Choisissez un fichier.")},
    )
    encoding = forms.ChoiceField(
        label=gettext_lazy("Encodage (fichiers CSV)"),
        choices=importing.ENCODINGS,
        initial="utf-8",
    )


def mapping_form(headers, data=None, initial=None):
    choices = [("", _("— non fournie —"))] + [
        (str(i), h or f"#{i + 1}") for i, h in enumerate(headers)
    ]
    form = forms.Form(data, initial=initial)
    for column in importing.COLUMNS:
        form.fields[column.key] = forms.TypedChoiceField(
            label=column.label, choices=choices, required=False, coerce=int, empty_value=None
        )
    return form


@login_required
def import_upload(request):
    actor = request.actor
    require(actor, Capability.REGISTER_CANDIDATES)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = importing.create_import(
                actor, form.cleaned_data["file"], form.cleaned_data["encoding"]
            )
        except DossierError as exc:
            form.add_error("file", str(exc.message))
        else:
            # Read in a background job; when tasks run in process it is already done.
            batch.refresh_from_db(fields=["parse_status", "parse_error"])
            if batch.parse_status == CandidateImport.ParseStatus.FAILED:
                form.add_error("file", batch.parse_error)
            else:
                return redirect("candidates:import_mapping", pk=batch.pk)
    return render(
        request, "candidates/import_upload.html", {"form": form, "columns": importing.COLUMNS}
    )


@login_required
def import_mapping(request, pk):
    actor = request.actor
    batch = get_import_for_user(actor, pk, write=True)
    if batch.status == CandidateImport.Status.IMPORTED:
        return redirect("candidates:import_preview", pk=batch.pk)
    if importing.resume_if_stale(batch):
        batch.refresh_from_db()  # tasks run in process (embedded set-up): already read
    if batch.parse_status == CandidateImport.ParseStatus.FAILED:
        messages.error(request, batch.parse_error)
        return redirect("candidates:import_upload")
    if batch.parse_status != CandidateImport.ParseStatus.READY:
        return render(request, "candidates/import_parsing.html", {"batch": batch})
    # The headers and the row count were stored by the parse job: the file is not read.
    headers = batch.headers
    initial = batch.mapping.get("columns") or importing.guess_mapping(headers)
    form = mapping_form(headers, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        mapping = {c.key: form.cleaned_data.get(c.key) for c in importing.COLUMNS}
        try:
            importing.set_mapping(actor, batch, mapping, batch.mapping.get("encoding", "utf-8"))
        except DossierError as exc:
            form.add_error(None, str(exc.message))
        else:
            return redirect("candidates:import_preview", pk=batch.pk)
    missing = importing.missing_columns(
        {c.key: form[c.key].value() or None for c in importing.COLUMNS}
        if form.is_bound
        else initial
    )
    return render(
        request,
        "candidates/import_mapping.html",
        {
            "form": form,
            "batch": batch,
            "headers": headers,
            "missing": missing,
            "row_count": batch.row_count,
        },
    )


@login_required
def import_progress(request, pk):
    """The reading's progress (polled by htmx); sends the browser on once the file is read."""
    batch = get_import_for_user(request.actor, pk, write=True)
    if importing.resume_if_stale(batch):
        batch.refresh_from_db()
    response = render(request, "candidates/_import_progress.html", {"batch": batch})
    if batch.parse_status in (
        CandidateImport.ParseStatus.READY,
        CandidateImport.ParseStatus.FAILED,
    ):
        response["HX-Redirect"] = reverse("candidates:import_mapping", args=[batch.pk])
    return response


@login_required
def import_preview(request, pk):
    actor = request.actor
    batch = get_import_for_user(actor, pk, write=True)
    if batch.status == CandidateImport.Status.IMPORTED:
        return render(request, "candidates/import_preview.html", {"batch": batch, "done": True})
    if not batch.mapping.get("columns"):
        return redirect("candidates:import_mapping", pk=batch.pk)
    if request.method == "POST":
        try:
            created, skipped = importing.run_import(actor, batch)
        except DossierError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _("%(created)s candidat(s) inscrit(s) ; %(skipped)s déjà inscrit(s), ignoré(s).")
                % {"created": created, "skipped": skipped},
            )
            return redirect("candidates:list")
    try:
        results = importing.preview(batch)
    except DossierError as exc:
        messages.error(request, str(exc.message))
        return redirect("candidates:import_upload")
    errors = [r for r in results if not r.ok]
    only_errors = request.GET.get("erreurs") == "1"
    page, _query = paginate(request, errors if only_errors else results, per_page=PREVIEW_PAGE_SIZE)
    return render(
        request,
        "candidates/import_preview.html",
        {
            "batch": batch,
            "page": page,
            "total": len(results),
            "error_count": len(errors),
            "existing_count": sum(1 for r in results if r.ok and r.existing),
            "new_count": sum(1 for r in results if r.ok and not r.existing),
            "only_errors": only_errors,
            "query_string": "erreurs=1" if only_errors else "",
            "columns": importing.COLUMNS,
        },
    )


@login_required
def import_template(request):
    require(request.actor, Capability.REGISTER_CANDIDATES)
    fmt = request.GET.get("type", "csv")
    if fmt == "csv":
        response = HttpResponse(importing.template_csv(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            importing.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    name_download(response, f"modele-candidats.{fmt}")
    return response
