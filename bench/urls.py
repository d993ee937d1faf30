"""The product URLconf plus ``/bench/baseline/``: the reference view of the benchmark.

It goes through the same middleware (session, authentication, active centre and its scope)
and answers a small JSON after ONE indexed query (a candidate of the active centre by primary
key): every measured page is reported as a ratio to it. Mounted only when
``settings.BENCH_BASELINE_ENABLED`` (``bench.settings``), never by ``parchemin.urls``.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.urls import path

from candidates.models import Candidate
from parchemin.urls import handler500  # noqa: F401
from parchemin.urls import urlpatterns as product_urlpatterns


@login_required
def baseline(request):
    pk = request.GET.get("id", "")
    if not pk.isdigit():
        raise Http404
    row = (
        Candidate.objects.filter(centre=request.actor.centre, pk=int(pk))
        .values("id", "birth_name", "first_names")
        .first()
    )
    if row is None:
        raise Http404
    return JsonResponse(row)


urlpatterns = list(product_urlpatterns)
if getattr(settings, "BENCH_BASELINE_ENABLED", False):
    urlpatterns.append(path("bench/baseline/", baseline, name="bench-baseline"))
