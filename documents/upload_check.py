""" "Is this file the document that was issued?" — the upload of the verification page.

The visitor's PDF is hashed while it arrives and never kept: :class:`DigestUploadHandler`
replaces Django's upload handlers for that one request, so the bytes go neither to memory
beyond one chunk nor to a temporary file. Past ``VERIFICATION_UPLOAD_MAX_BYTES`` it stops
reading (too big: nothing Parchemin issues is that large); a file that does not start like
a PDF is answered "not a PDF". The SHA-256 is then compared with the checksums of the
documents rendered for the certificate (every version, since a re-render is a new row).
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from documents.models import DocumentStatus, GeneratedDocument

FIELD = "document"
PDF_MAGIC = b"%PDF-"
HEAD_BYTES = 1024  # the PDF header may follow a little garbage (ISO 32000-1, 7.5.2)


def max_bytes() -> int:
    return getattr(settings, "VERIFICATION_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)


class Result:
    MATCH = "match"
    NO_MATCH = "no_match"
    TOO_BIG = "too_big"
    NOT_PDF = "not_pdf"
    MISSING = "missing"


@dataclass
class Digest:
    sha256: str
    size: int
    head: bytes


class DigestUploadHandler(FileUploadHandler):
    """Hashes the ``document`` file field; keeps nothing but its digest, size and head."""

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.too_big = False
        self.digest: Digest | None = None
        self._hash = None
        self._size = 0
        self._head = b""

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        if field_name != FIELD or self.digest is not None or self._hash is not None:
            raise StopUpload(connection_reset=False)  # one file, in the expected field
        self._hash = hashlib.sha256()

    def receive_data_chunk(self, raw_data, start):
        self._size += len(raw_data)
        if self._size > self.limit:
            self.too_big = True
            raise StopUpload(connection_reset=False)
        if len(self._head) < HEAD_BYTES:
            self._head += raw_data[: HEAD_BYTES - len(self._head)]
        self._hash.update(raw_data)
        return None  # nothing for any other handler: the bytes are dropped here

    def file_complete(self, file_size):
        self.digest = Digest(self._hash.hexdigest(), self._size, self._head)
        return None  # not in request.FILES: nothing to store


def check(record, handler: DigestUploadHandler) -> str:
    """The answer for the file the handler saw, against the documents of ``record``."""
    if handler.too_big:
        return Result.TOO_BIG
    digest = handler.digest
    if digest is None or digest.size == 0:
        return Result.MISSING
    if PDF_MAGIC not in digest.head:
        return Result.NOT_PDF
    issued = GeneratedDocument.objects.filter(
        certificate=record, status=DocumentStatus.READY, sha256=digest.sha256
    ) | GeneratedDocument.objects.filter(
        subject_type=record.subject_type,
        subject_id=record.subject_id,
        kind=record.kind,
        status=DocumentStatus.READY,
        sha256=digest.sha256,
    )
    return Result.MATCH if issued.exists() else Result.NO_MATCH
