from django import template

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
