"""Date-and-time display in the interface language: ``{% load dates %}``.

``{{ value|date_at }}`` reads « 3 mars 2026 à 14h00 » in French and "3 March 2026 at 14:00" in
English: the formats go through the catalogue (context « date format ») instead of holding a
literal French « à ». Times are written one way in French, « 09h00 » (as ``TIME_FORMAT`` in
``core/formats/fr``), "09:00" in English. Styles (argument):

- ``""`` (default): ``j F Y à H\\hi``
- ``"long"``: ``l j F Y à H\\hi`` (with the weekday)
- ``"short"``: ``d/m/Y à H\\hi`` ("2 Dec 2026 at 14:00" in English)
- ``"h"``, ``"long h"``: the same as ``""`` and ``"long"`` (kept for the templates using them)

A time alone: ``{{ value|time }}`` (``TIME_FORMAT``); a date alone: ``{{ value|date }}`` or
``date:"SHORT_DATE_FORMAT"``, never a literal format such as ``"d/m/Y"`` or ``"H\\hi"``.
"""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.translation import pgettext

register = template.Library()


def _format(style: str) -> str:
    # One literal pgettext call per format, so that makemessages finds each of them.
    if style in ("long", "long h"):
        return pgettext("date format", "l j F Y à H\\hi")
    if style == "short":
        return pgettext("date format", "d/m/Y à H\\hi")
    if style and style != "h":
        raise template.TemplateSyntaxError(f"date_at: unknown style {style!r}")
    return pgettext("date format", "j F Y à H\\hi")


@register.filter(expects_localtime=True, is_safe=False)
def date_at(value, style=""):
    """The date and the time of ``value`` joined by « à » / "at" (see the module docstring)."""
    return date_filter(value, _format(str(style or "").strip()))
