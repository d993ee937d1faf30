"""Celery task of the accrochage (default queue): builds a flux requested for a large
selection. It takes an id and re-enters the centre's scope."""

from celery import shared_task
from django_scopes import scope, scopes_disabled

from accrochage.models import Flux
from accrochage.services import build_requested


@shared_task(name="accrochage.tasks.build_flux", acks_late=True)
def build_flux(flux_id: int) -> str:
    with scopes_disabled():
        flux = Flux.objects.select_related("centre", "created_by").filter(pk=flux_id).first()
    if flux is None:
        return "missing"
    with scope(centre=flux.centre):
        return build_requested(flux).status
