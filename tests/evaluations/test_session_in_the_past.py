"""A session dated more than a day ago is a typing error unless the user confirms a session
already held: refused with a clear French message by the service, on the page (which then
offers the confirmation) and through the API (``confirm_past``)."""

import datetime as dt
import html as htmllib

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.errors import EvaluationError
from evaluations.models import EvaluationSession
from evaluations.services.sessions import schedule_session, update_session

WORDS = "il y a plus d'un jour"
FORMAT = "%Y-%m-%dT%H:%M"


def _ago(**delta):
    return timezone.localtime(timezone.now() - dt.timedelta(**delta)).replace(
        second=0, microsecond=0
    )


def _fields(starts_at):
    return {"label": "Session", "place": "Lyon", "modality": "real_work", "starts_at": starts_at}


@pytest.mark.django_db
def test_the_service_refuses_a_start_more_than_a_day_ago_unless_confirmed(world):
    staff = world.user("staff")
    with pytest.raises(EvaluationError) as excinfo:
        schedule_session(world.centre_a, actor=staff, **_fields(_ago(days=1, hours=1)))
    assert excinfo.value.code == "session_in_past"
    assert WORDS in str(excinfo.value.message)
    assert not EvaluationSession.objects.exists()
    # Earlier today or yesterday is fine (entered on the day, or the morning after).
    schedule_session(world.centre_a, actor=staff, **_fields(_ago(hours=23)))
    held = schedule_session(
        world.centre_a, actor=staff, confirm_past=True, **_fields(_ago(days=30))
    )
    # A session already in the past can still be edited; moving its start needs confirming.
    held = update_session(held, actor=staff, notes="Salle B")
    with pytest.raises(EvaluationError):
        update_session(held, actor=staff, starts_at=_ago(days=40))
    update_session(held, actor=staff, starts_at=_ago(days=40), confirm_past=True)


@pytest.mark.django_db
def test_the_page_refuses_then_offers_the_confirmation(client, world):
    client.force_login(world.user("staff"))
    url = reverse("evaluations:session_create")
    data = {
        "label": "Rattrapage",
        "starts_at": _ago(days=3).strftime(FORMAT),
        "place": "Lyon",
        "modality": "real_work",
    }
    first = client.get(url)
    assert 'type="checkbox" name="confirm_past"' not in first.content.decode()
    response = client.post(url, data)
    assert response.status_code == 200
    page = htmllib.unescape(response.content.decode())
    assert WORDS in page
    assert 'type="checkbox" name="confirm_past"' in page
    assert not EvaluationSession.objects.exists()
    response = client.post(url, {**data, "confirm_past": "on"})
    assert response.status_code == 302
    assert EvaluationSession.objects.get().label == "Rattrapage"


@pytest.mark.django_db
def test_the_api_refuses_then_accepts_with_confirm_past(api_client, world):
    api_client.force_login(world.user("staff"))
    url = reverse("api:evaluationsession-list")
    data = {**_fields(_ago(days=3).isoformat())}
    response = api_client.post(url, data, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "session_in_past"
    assert WORDS in response.json()["detail"]
    response = api_client.post(url, {**data, "confirm_past": True}, format="json")
    assert response.status_code == 201, response.content
    assert "confirm_past" not in response.json()
    detail = reverse("api:evaluationsession-detail", args=[response.json()["id"]])
    moved = {"starts_at": _ago(days=5).isoformat()}
    response = api_client.patch(detail, moved, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 400 and response.json()["code"] == "session_in_past"
    response = api_client.patch(
        detail, {**moved, "confirm_past": True}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200, response.content
