"""Free text has a maximum length (issue 14, finding 7): session notes of 1 MB reached the
convocation PDF (30 s of worker CPU) and a criterion comment of 1,000,000 characters was
accepted. The limit is on the model (full_clean), the forms, the serializers (so the
OpenAPI schema says maxLength) and the tablet's autosave."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.limits import TEXT_LONG, TEXT_SHORT
from evaluations.models import CriterionScore, EvaluationSession
from tests.factories import api_key

pytestmark = pytest.mark.django_db

HUGE = "x" * 1_000_000


def _session_form(notes):
    return {
        "label": "Session longue",
        "starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "place": "Atelier",
        "modality": "real_work",
        "notes": notes,
    }


def test_over_long_session_notes_are_refused_on_the_page(client, world):
    client.force_login(world.user("staff"))
    url = reverse("evaluations:session_create")
    response = client.post(url, _session_form("n" * (TEXT_LONG + 1)))
    assert response.status_code == 200
    page = response.content.decode().replace("\xa0", " ").replace("&nbsp;", " ")
    assert f"au plus {TEXT_LONG} caractères" in page
    assert f'maxlength="{TEXT_LONG}"' in page  # the browser stops the typing too
    assert not EvaluationSession.objects.exists()
    assert client.post(url, _session_form("n" * TEXT_LONG)).status_code == 302


def test_over_long_session_notes_are_refused_by_the_api(api_client, world):
    api_client.force_login(world.user("staff"))
    body = {
        "label": "Longue",
        "starts_at": timezone.now().isoformat(),
        "place": "Atelier",
        "notes": "n" * (TEXT_LONG + 1),
    }
    response = api_client.post(reverse("api:evaluationsession-list"), body, format="json")
    assert response.status_code == 400
    assert f"au plus {TEXT_LONG} caractères" in " ".join(response.json()["notes"]).replace(
        "\xa0", " "
    )
    assert not EvaluationSession.objects.exists()


def _patch(api_client, user, score, body):
    token = api_key(user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api_client.patch(
        reverse("api:criterionscore-detail", args=[score.pk]),
        body,
        format="json",
        HTTP_IF_MATCH=f'"{score.version}"',
    )


def test_a_million_character_criterion_comment_is_refused_by_the_autosave(
    api_client, grid, assessors
):
    score = grid.scores.filter(criterion__conditional="").order_by("id").first()
    response = _patch(api_client, assessors[0], score, {"state": "satisfied", "comment": HUGE})
    assert response.status_code == 400
    assert f"au plus {TEXT_SHORT} caractères" in " ".join(response.json()["comment"]).replace(
        "\xa0", " "
    )
    score.refresh_from_db()
    assert (score.comment, score.state, score.version) == ("", "", 1)
    # At the limit, the autosave takes it.
    response = _patch(api_client, assessors[0], score, {"comment": "c" * TEXT_SHORT})
    assert response.status_code == 200
    score.refresh_from_db()
    assert len(score.comment) == TEXT_SHORT


def test_the_models_refuse_over_long_text_in_full_clean(grid):
    score = grid.scores.first()
    score.comment = "c" * (TEXT_SHORT + 1)
    with pytest.raises(ValidationError) as exc:
        score.full_clean()
    assert "comment" in exc.value.message_dict
    assert CriterionScore._meta.get_field("justification").max_length == TEXT_SHORT
    assert EvaluationSession._meta.get_field("notes").max_length == TEXT_LONG
