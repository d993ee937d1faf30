"""HTML → PDF with WeasyPrint.

- Templates are ordinary Django templates under ``templates/documents/pdf/``, rendered in
  French whatever the language of the request or worker; the context object is ``ctx``.
- Fonts are shipped in ``static/fonts/`` (DejaVu, with their licence) and declared with
  ``@font-face`` in ``static/css/pdf.css``: a PDF looks the same on every machine.
- :class:`StaticOnlyURLFetcher` serves only files under the project's static directories
  (and inline ``data:`` URIs); any other URL — ``http(s)://``, ``file:///etc/…``, a path
  escaping through ``..`` or a symlink — raises :class:`ForbiddenResource`, so a template or
  a user-supplied string can neither leak a request nor read a private file.
"""

import mimetypes
import os
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.apps import apps
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse


class ForbiddenResource(ValueError):
    """A PDF asked for a resource outside the app's static files."""


@lru_cache(maxsize=1)
def static_roots() -> tuple[Path, ...]:
    """The project's static directories (``STATICFILES_DIRS``) and each app's ``static/``."""
    roots = [
        Path(entry if isinstance(entry, str | Path) else entry[1])
        for entry in settings.STATICFILES_DIRS
    ]
    for config in apps.get_app_configs():
        candidate = Path(config.path) / "static"
        if candidate.is_dir():
            roots.append(candidate)
    return tuple(root.resolve() for root in roots)


def static_file_url(relative_path: str) -> str:
    """``file://`` URL of a static file, for templates (``{% pdf_static %}``)."""
    for root in static_roots():
        candidate = (root / relative_path).resolve()
        if candidate.is_file() and candidate.is_relative_to(root):
            return candidate.as_uri()
    raise ForbiddenResource(f"Static file not found: {relative_path}")


def _allowed_path(path: Path) -> Path | None:
    resolved = path.resolve()
    for root in static_roots():
        if resolved.is_relative_to(root) and resolved.is_file():
            return resolved
    return None


class StaticOnlyURLFetcher(URLFetcher):
    """Serves ``data:`` URIs and files under :func:`static_roots`; refuses everything else."""

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise ForbiddenResource(f"Refused to fetch {url!r}: only static files are served")
        path = Path(unquote(urlsplit(url).path))
        allowed = _allowed_path(path)
        if allowed is None:
            raise ForbiddenResource(f"Refused to fetch {url!r}: outside the static files")
        mime = mimetypes.guess_type(allowed.name)[0] or "application/octet-stream"
        if allowed.suffix == ".ttf":
            mime = "font/ttf"
        return URLFetcherResponse(
            allowed.as_uri(), body=allowed.read_bytes(), headers={"Content-Type": mime}
        )


def render_html(template_name: str, context) -> str:
    with translation.override("fr"):
        return render_to_string(template_name, {"ctx": context})


def html_to_pdf(html: str) -> bytes:
    base_url = static_roots()[0].as_uri() + os.sep
    font_config = FontConfiguration()
    document = HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyURLFetcher())
    return document.write_pdf(font_config=font_config)


def render_pdf(template_name: str, context) -> bytes:
    """Render a PDF template with its context dataclass; returns the PDF bytes."""
    return html_to_pdf(render_html(template_name, context))
