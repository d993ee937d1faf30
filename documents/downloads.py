"""File responses of generated documents (after the caller's permission check)."""

import tempfile
import zipfile

from django.http import FileResponse, Http404


def document_response(document) -> FileResponse:
    if not document.is_ready:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.download_name,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def zip_response(documents, filename: str) -> FileResponse:
    """A ZIP of ready documents, spooled to disk past 32 MB."""
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
        for document in documents:
            with document.file.open("rb") as handle:
                archive.writestr(document.download_name, handle.read())
    spool.seek(0)
    response = FileResponse(
        spool, as_attachment=True, filename=filename, content_type="application/zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response
