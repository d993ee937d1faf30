"""``Content-Disposition`` for downloads a person can read: ``Parchemin - LEMAIRE Paul - …pdf``.

Every download and export names its file with :func:`attachment`: the readable name (accents,
spaces) in ``filename*=UTF-8''…`` (RFC 5987/6266, read by every current browser) and an ASCII
fallback in ``filename="…"`` for the clients that ignore it. Django's own header gives only one
of the two (``filename*`` alone for a name with accents).
"""

import re
import unicodedata
from urllib.parse import quote

# Characters no file system or browser accepts in a name, and control characters.
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_DASHES = str.maketrans({"—": "-", "–": "-", "’": "'", "«": "", "»": ""})
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o"})


def safe_filename(name: str, *, max_length: int = 150) -> str:
    """``name`` as a file name: no path separator or forbidden character, one space between
    words, em dashes as hyphens, at most ``max_length`` characters (the extension kept)."""
    cleaned = _FORBIDDEN.sub(" ", str(name).translate(_DASHES))
    cleaned = " ".join(cleaned.split()).strip(" .")
    if len(cleaned) > max_length:
        stem, dot, ext = cleaned.rpartition(".")
        if dot and len(ext) <= 5:
            cleaned = stem[: max_length - len(ext) - 1].rstrip() + "." + ext
        else:
            cleaned = cleaned[:max_length].rstrip()
    return cleaned or "document"


def ascii_filename(name: str) -> str:
    """The accent-free ASCII form of ``name`` (« É » → « E », other characters dropped)."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_LIGATURES))
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    text = text.encode("ascii", "ignore").decode("ascii")
    text = text.replace("\\", " ").replace('"', "'")
    return " ".join(text.split()) or "document"


def attachment(name: str) -> str:
    """The ``Content-Disposition`` value of a download named ``name``."""
    name = safe_filename(name)
    fallback = ascii_filename(name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def name_download(response, name: str):
    """Set the readable name of ``response`` (a ``FileResponse`` or ``HttpResponse``)."""
    response["Content-Disposition"] = attachment(name)
    return response
