from django import template
from django.utils.html import format_html

register = template.Library()

_STATUS_CLASSES = {
    "draft": "",
    "submitted": "badge-info",
    "agreed": "badge-info",
    "in_evaluation": "badge-warn",
    "ready_for_jury": "badge-warn",
    "decided": "badge-ok",
    "closed": "badge-ok",
    "withdrawn": "badge-bad",
}


@register.filter
def status_class(status):
    return _STATUS_CLASSES.get(str(status), "")


@register.simple_tag
def status_badge(dossier):
    """The dossier's state as a coloured badge (a tag, not an include: lists show one a row)."""
    return format_html(
        '<span class="badge {}">{}</span>',
        _STATUS_CLASSES.get(str(dossier.status), ""),
        dossier.get_status_display(),
    )
