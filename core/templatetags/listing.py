"""Sortable headers and page links that keep the list's filters: ``{% load listing %}``.

``{% sort_header "name" _("Nom") %}`` draws a ``<th>`` whose link sorts by that column
(ascending, then descending on a second click), keeping every parameter of the request but
the page; the view puts the sort in use in the context as ``sort`` (``SortColumns.apply``).
``{% page_url n %}`` is the address of page ``n`` with the sort and filters kept; the pages
themselves are ``{% include "partials/pagination.html" %}``.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.listing import PAGE_PARAM, SORT_PARAM

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, key, label, param=SORT_PARAM):
    request = context["request"]
    current = context.get("sort") or ""
    params = request.GET.copy()
    params.pop(PAGE_PARAM, None)
    if current == key:
        params[param], state, arrow = f"-{key}", "ascending", "▲"
        hint = _("trié par ordre croissant, cliquer pour l’ordre décroissant")
    elif current == f"-{key}":
        params[param], state, arrow = key, "descending", "▼"
        hint = _("trié par ordre décroissant, cliquer pour l’ordre croissant")
    else:
        params[param], state, arrow = key, "none", ""
        hint = _("cliquer pour trier par cette colonne")
    return format_html(
        '<th scope="col" aria-sort="{}"><a class="sort-link" href="?{}" title="{}">{}'
        '<span aria-hidden="true" class="sort-arrow">{}</span></a></th>',
        state,
        params.urlencode(),
        hint,
        label,
        f" {arrow}" if arrow else "",
    )


@register.simple_tag(takes_context=True)
def page_url(context, number):
    params = context["request"].GET.copy()
    params[PAGE_PARAM] = number
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def keep_sort(context, param=SORT_PARAM):
    """In a list's filter form: a hidden field that keeps the sort when filtering."""
    value = context["request"].GET.get(param)
    if not value:
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', param, value)
