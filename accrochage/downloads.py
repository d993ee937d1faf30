"""The XML file of a flux as a download (pages and API)."""

from django.http import FileResponse, Http404

from core.disposition import name_download


def flux_response(flux) -> FileResponse:
    if not flux.file:
        raise Http404
    try:
        handle = flux.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, content_type="application/xml")
    name_download(response, flux.filename)
    response["Cache-Control"] = "private, no-store"
    return response
