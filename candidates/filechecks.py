"""What may be uploaded to a dossier: PDF, images and office documents, recognised by their
content (magic bytes and structure), never by their name or the browser's content type."""

import hashlib
import io
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from candidates.errors import DossierError

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
PPT = "application/vnd.ms-powerpoint"
IMAGES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff"}

ALLOWED_TYPES = {PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, DOC, XLS, PPT, *IMAGES}
EXTENSIONS = {
    PDF: "pdf",
    DOCX: "docx",
    XLSX: "xlsx",
    PPTX: "pptx",
    ODT: "odt",
    ODS: "ods",
    ODP: "odp",
    DOC: "doc",
    XLS: "xls",
    PPT: "ppt",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/tiff": "tif",
}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXECUTABLES = {
    "application/x-msdownload",
    "application/x-executable",
    "application/x-elf",
    "application/x-mach-binary",
    "application/x-sh",
    "application/vnd.microsoft.portable-executable",
}
_OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
_ODF_TYPES = {ODT, ODS, ODP}


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    size: int
    sha256: str
    extension: str


def _zip_type(content: bytes) -> str | None:
    """An OOXML or OpenDocument file is a ZIP with a known structure; anything else is not."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared in _ODF_TYPES and "content.xml" in names:
                    return declared
                return None
            if "[Content_Types].xml" not in names:
                return None
            for part, mime in _OOXML_PARTS.items():
                if part in names:
                    return mime
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    return None


def _legacy_office_type(content: bytes, hint: str | None) -> str | None:
    if not content.startswith(_OLE2):
        return None
    if hint in {DOC, XLS, PPT}:
        return hint
    # An OLE2 container: look for the stream names of Word, Excel or PowerPoint.
    head = content[:65536]
    if "WordDocument".encode("utf-16-le") in head:
        return DOC
    if "Workbook".encode("utf-16-le") in head or "Book".encode("utf-16-le") in head:
        return XLS
    if "PowerPoint Document".encode("utf-16-le") in head:
        return PPT
    return None


def _pdf_is_sound(content: bytes) -> bool:
    return content.startswith(b"%PDF-") and b"%%EOF" in content[-2048:]


class ImageTooLarge(Exception):
    """An image whose header declares more pixels than ``UPLOAD_IMAGE_MAX_PIXELS``: decoding
    it would take gigabytes (a "pixel bomb" is a few bytes declaring 100,000 × 100,000)."""

    def __init__(self, width: int, height: int):
        super().__init__(width, height)
        self.width, self.height = width, height


_PIL_FORMATS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
    "image/tiff": "TIFF",
}


def _declared_size(content: bytes, mime: str) -> tuple[int, int]:
    """The size in the header, read by the format's plugin alone: ``Image.open`` refuses to
    return a bomb (``DecompressionBombError``) before we can say how large it is."""
    from PIL import Image

    Image.init()
    factory, _accept = Image.OPEN[_PIL_FORMATS[mime]]
    return factory(io.BytesIO(content)).size


def _image_is_sound(content: bytes, mime: str) -> bool:
    """Header and structure checked without decoding the pixels; raises ImageTooLarge."""
    from PIL import Image, UnidentifiedImageError

    limit = settings.UPLOAD_IMAGE_MAX_PIXELS
    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            if width * height > limit:
                raise ImageTooLarge(width, height)
            image.verify()
    except Image.DecompressionBombError:
        try:
            width, height = _declared_size(content, mime)
        except (OSError, ValueError, SyntaxError, KeyError):
            width = height = 0
        raise ImageTooLarge(width, height) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return False
    return True


def detect_type(content: bytes) -> str | None:
    """The MIME type of an accepted file, or None when the content is not one we accept;
    raises ImageTooLarge for an image declaring more pixels than allowed."""
    kind = filetype.guess(content)
    hint = kind.mime if kind else None
    if hint in _EXECUTABLES or content.startswith((b"MZ", b"\x7fELF", b"#!")):
        return None
    if content.startswith(b"PK\x03\x04"):
        return _zip_type(content)
    if content.startswith(_OLE2):
        return _legacy_office_type(content, hint)
    if hint == PDF or content.startswith(b"%PDF-"):
        return PDF if _pdf_is_sound(content) else None
    if hint in IMAGES:
        return hint if _image_is_sound(content, hint) else None
    return None


def check_upload(uploaded_file) -> CheckedFile:
    """Read an uploaded file and check it; raise a DossierError with a clear French message."""
    name = getattr(uploaded_file, "name", "") or _("fichier")
    limit = settings.UPLOAD_MAX_BYTES
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise DossierError(_too_big(name, size, limit), code="file_too_large")
    chunks, total, digest = [], 0, hashlib.sha256()
    for chunk in (
        uploaded_file.chunks() if hasattr(uploaded_file, "chunks") else [uploaded_file.read()]
    ):
        total += len(chunk)
        if total > limit:
            raise DossierError(_too_big(name, total, limit), code="file_too_large")
        digest.update(chunk)
        chunks.append(chunk)
    content = b"".join(chunks)
    if not content:
        raise DossierError(
            _("Le fichier « %(name)s » est vide.") % {"name": name}, code="file_empty"
        )
    try:
        content_type = detect_type(content)
    except ImageTooLarge as exc:
        raise DossierError(_image_too_large(name, exc), code="image_too_large") from None
    if content_type is None:
        raise DossierError(_refused(name, content), code="file_type_refused")
    return CheckedFile(
        content=content,
        content_type=content_type,
        size=total,
        sha256=digest.hexdigest(),
        extension=EXTENSIONS[content_type],
    )


def _too_big(name, size, limit):
    return _(
        "Le fichier « %(name)s » est trop volumineux (%(size)s) : la taille maximale est "
        "de %(limit)s."
    ) % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}


def _image_too_large(name, exc: ImageTooLarge):
    limit = settings.UPLOAD_IMAGE_MAX_PIXELS
    if exc.width and exc.height:
        return _(
            "L'image « %(name)s » est trop grande (%(width)s × %(height)s pixels) : elle ne "
            "doit pas dépasser %(limit)s millions de pixels. Réduisez-la ou enregistrez-la "
            "en PDF."
        ) % {
            "name": name,
            "width": number_format(exc.width, force_grouping=True),
            "height": number_format(exc.height, force_grouping=True),
            "limit": number_format(limit // 1_000_000),
        }
    return _(
        "L'image « %(name)s » est trop grande : elle ne doit pas dépasser %(limit)s millions "
        "de pixels. Réduisez-la ou enregistrez-la en PDF."
    ) % {"name": name, "limit": number_format(limit // 1_000_000)}


def _refused(name, content):
    kind = filetype.guess(content)
    if (kind and kind.mime in _EXECUTABLES) or content.startswith((b"MZ", b"\x7fELF", b"#!")):
        return _(
            "Le fichier « %(name)s » est refusé : son contenu est celui d'un programme "
            "exécutable, quel que soit son nom. Seuls les PDF, les images (JPEG, PNG, GIF, "
            "WebP, TIFF) et les documents bureautiques (Word, Excel, PowerPoint, "
            "OpenDocument) sont acceptés."
        ) % {"name": name}
    return _(
        "Le fichier « %(name)s » est refusé : son contenu n'est pas celui d'un PDF, d'une "
        "image (JPEG, PNG, GIF, WebP, TIFF) ou d'un document bureautique (Word, Excel, "
        "PowerPoint, OpenDocument) valide."
    ) % {"name": name}
