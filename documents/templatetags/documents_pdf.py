"""Template helpers of the PDF templates."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from documents.rendering import static_file_url

register = template.Library()


@register.simple_tag
def pdf_static(path: str) -> str:
    """``file://`` URL of a static file, the only kind the PDF URL fetcher serves."""
    return static_file_url(path)


@register.filter
def or_unknown(value):
    """The value, or the mention "à renseigner" when it is not known (never invented)."""
    if value in (None, "", [], ()):
        return format_html('<span class="unknown">{}</span>', _("à renseigner"))
    return value


@register.filter
def competence_mark(value: str) -> str:
    return {"A": "A", "NA": "NA"}.get(value, "—")


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if mapping else ""
