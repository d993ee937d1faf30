"""Template helpers of the referential pages: ``{% load cqpm_tags %}``."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.text import highlight as highlight_text

register = template.Library()


@register.filter
def highlight(text, query):
    """Escape ``text`` and wrap each word of ``query`` found in it in ``<mark>``."""
    return highlight_text(str(text), str(query or ""))


@register.filter
def or_unknown(value):
    """The value, or « à renseigner » for the official codes not known yet."""
    if value in (None, ""):
        return format_html('<span class="unknown">{}</span>', _("à renseigner"))
    return value
