"""A change never conflicts with itself: the tablet keeps the version a change was made on
until the server answers, so a change whose answer was lost (network, reload) is sent again on
that older version. The server then holds exactly that value, saved by the same member: the
resend is answered as saved (200, nothing written again), through the fast autosave path, the
general one and the proposal. A stale version with another value, or the same value saved by
another member, is still a conflict (412)."""

import pytest
from django.urls import reverse

from evaluations import services
from evaluations.errors import StaleScoreError, StaleVersionError
from evaluations.models import CriterionScore, GridEvent
from tests.factories import api_key


def _client(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(user)}")
    return api_client


def _plain(grid):
    return grid.scores.filter(criterion__conditional="").order_by("id").first()


def _patch(client, score, body, version):
    url = reverse("api:criterionscore-detail", args=[score.pk])
    return client.patch(url, body, format="json", HTTP_IF_MATCH=f'"{version}"')


def _events(score):
    return GridEvent.objects.filter(score=score, action="score").count()


@pytest.mark.parametrize("path", ["fast", "general"])
def test_a_resend_of_an_applied_change_is_saved_not_a_conflict(
    path, api_client, grid, assessors, monkeypatch
):
    if path == "general":  # the autosave's fast path declines: score_criterion decides
        monkeypatch.setattr("evaluations.api.grids.autosave_score", lambda *a, **k: None)
    score = _plain(grid)
    client = _client(api_client, assessors[0])
    body = {"state": "not_satisfied", "comment": "Planning non tenu"}
    first = _patch(client, score, body, 1)
    assert first.status_code == 200 and first.json()["version"] == 2
    # the answer was lost: the tablet sends the same change again, on the version it was made on
    again = _patch(client, score, body, 1)
    assert again.status_code == 200, again.content
    assert again.json()["version"] == 2 and again.json()["state"] == "not_satisfied"
    assert again.headers["ETag"] == '"2"'
    score.refresh_from_db()
    assert (score.version, score.updated_by, _events(score)) == (2, assessors[0], 1)


@pytest.mark.parametrize("path", ["fast", "general"])
def test_a_stale_version_is_still_a_conflict_for_another_value_or_another_member(
    path, api_client, grid, assessors, monkeypatch
):
    if path == "general":
        monkeypatch.setattr("evaluations.api.grids.autosave_score", lambda *a, **k: None)
    score = _plain(grid)
    client = _client(api_client, assessors[0])
    assert _patch(client, score, {"state": "satisfied"}, 1).status_code == 200
    other = _patch(client, score, {"state": "not_satisfied"}, 1)
    assert other.status_code == 412 and other.json()["current"]["state"] == "satisfied"
    # the second member saves the same value on the version they read: a real conflict too
    second = _client(api_client, assessors[1])
    theirs = _patch(second, score, {"state": "satisfied"}, 1)
    assert theirs.status_code == 412, theirs.content
    assert CriterionScore.objects.get(pk=score.pk).version == 2 and _events(score) == 1


def test_score_criterion_recognises_its_own_applied_change(grid, assessors):
    score = _plain(grid)
    for _attempt in range(2):
        saved = services.score_criterion(
            grid, score.criterion, "satisfied", " Vu ", expected_version=1, actor=assessors[0]
        )
        assert (saved.version, saved.state, saved.comment) == (2, "satisfied", "Vu")
    with pytest.raises(StaleScoreError):
        services.score_criterion(
            grid, score.criterion, "satisfied", "Vu", expected_version=1, actor=assessors[1]
        )
    assert _events(score) == 1


def test_a_resent_proposal_is_saved_not_a_conflict(api_client, grid, assessors):
    client = _client(api_client, assessors[0])
    url = reverse("api:grid-proposal", args=[grid.pk])
    body = {"proposal": "non_acquise", "justification": "Deux critères non satisfaits"}
    first = client.put(url, body, format="json", HTTP_IF_MATCH='"1"')
    assert first.status_code == 200
    again = client.put(url, body, format="json", HTTP_IF_MATCH='"1"')
    assert again.status_code == 200, again.content
    assert again.json()["proposal"] == "non_acquise" and again.json()["version"] == 2
    assert GridEvent.objects.filter(grid=grid, action="proposal").count() == 1
    # another member's identical proposal on the old version is a conflict
    with pytest.raises(StaleVersionError):
        services.set_proposal(
            grid,
            "non_acquise",
            "Deux critères non satisfaits",
            expected_version=1,
            actor=assessors[1],
        )
