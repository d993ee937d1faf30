"""The birth-place picker's search: ``candidates:commune-search?q=`` answers the options of
the combobox (an HTML fragment that htmx puts in the list, ``static/js/birthplace.js``)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from candidates.selectors import search_communes
from centres.access import require
from centres.roles import Capability
from core.limits import SEARCH_QUERY


@login_required
def commune_search(request):
    require(request.actor, Capability.REGISTER_CANDIDATES)
    query = request.GET.get("q", "")[:SEARCH_QUERY]
    return render(
        request,
        "candidates/_commune_options.html",
        {"communes": search_communes(query), "query": query},
    )
