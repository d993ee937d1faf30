"""File responses of generated documents (after the caller's permission check)."""

import tempfile
import zipfile

from django.http import FileResponse, Http404

from core.disposition import name_download


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
    name_download(response, document.download_name)
    response["Cache-Control"] = "private, no-store"
    return response


def _unique(name: str, taken: set) -> str:
    """``name``, or ``name (2).pdf``… when the archive holds one already (two homonyms)."""
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem} ({n}).{ext}" if dot else f"{name} ({n})"
    taken.add(candidate)
    return candidate


def zip_response(documents, filename: str) -> FileResponse:
    """A ZIP of ready documents, spooled to disk past 32 MB."""
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    taken: set[str] = set()
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
        for document in documents:
            with document.file.open("rb") as handle:
                archive.writestr(_unique(document.download_name, taken), handle.read())
    spool.seek(0)
    response = FileResponse(
        spool, as_attachment=True, filename=filename, content_type="application/zip"
    )
    name_download(response, filename)
    response["Cache-Control"] = "private, no-store"
    return response
