"""Dossier documents (upload, permission-checked download) and accommodations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from candidates import services
from candidates.access import (
    get_accommodation_for_user,
    get_document_for_user,
    get_dossier_for_user,
)
from candidates.forms import AccommodationForm, DocumentUploadForm
from core.disposition import name_download
from core.errors import StaleVersionError


@require_POST
@login_required
def document_upload(request, pk):
    actor = request.actor
    dossier = get_dossier_for_user(actor, pk, write=True)
    form = DocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("candidates:dossier_detail", pk=dossier.pk)
    try:
        document = services.upload_document(
            dossier,
            actor=actor,
            uploaded_file=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            description=form.cleaned_data["description"],
        )
    except services.DossierError as exc:
        messages.error(request, str(exc.message))
    else:
        if document.late:
            messages.warning(
                request,
                _("Document « %(name)s » déposé, après la date limite : il est signalé en retard.")
                % {"name": document.original_name},
            )
        else:
            messages.success(
                request, _("Document « %(name)s » déposé.") % {"name": document.original_name}
            )
    return redirect("candidates:dossier_detail", pk=dossier.pk)


@never_cache
@login_required
def document_download(request, pk):
    document = get_document_for_user(request.actor, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    name_download(response, document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def accommodation(request, pk):
    actor = request.actor
    dossier, record = get_accommodation_for_user(actor, pk)
    initial = {
        "needs": record.needs if record else "",
        "to_apply": record.to_apply if record else "",
        "version": record.version if record else 0,
    }
    form = AccommodationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_accommodation(
                dossier,
                actor=actor,
                needs=form.cleaned_data["needs"],
                to_apply=form.cleaned_data["to_apply"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Aménagement enregistré."))
            return redirect("candidates:accommodation", pk=dossier.pk)
    return render(
        request,
        "candidates/accommodation.html",
        {"form": form, "dossier": dossier, "record": record},
    )
