"""The criterion autosave (``PATCH /api/v1/criterion-scores/<id>/`` with If-Match, token or
session): two statements for the common outcomes (``evaluations.services.scores``), and every
rule of ``score_criterion`` kept — who may write, the open grid and session, the declaration,
the version (412 with the current score), the grid event, the signatures cleared."""

import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centres.access import build_actor
from centres.models import Membership
from evaluations import services
from evaluations.api.serializers import CriterionScoreSerializer, criterion_score_data
from evaluations.models import (
    CommissionMember,
    ConflictDeclaration,
    CriterionScore,
    EvaluationSession,
    GridEvent,
    GridSignature,
    GridStatus,
    SessionStatus,
)
from evaluations.services import scores
from tests.factories import api_key

from .factories import agreed_dossier, assessor, complete, seated_session


def _refuse_fallback(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("score_criterion ran: the autosave fell back")

    monkeypatch.setattr(services, "score_criterion", refuse)


@pytest.fixture
def fast_only(monkeypatch):
    """The request must be answered by the two-statement path, not by ``score_criterion``."""
    _refuse_fallback(monkeypatch)


def _token_client(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(user)}")
    return api_client


def _url(score):
    return reverse("api:criterionscore-detail", args=[score.pk])


def _patch(client, score, body, version='"1"', **extra):
    return client.patch(_url(score), body, format="json", HTTP_IF_MATCH=version, **extra)


def _plain(grid):
    return grid.scores.filter(criterion__conditional="").order_by("id").first()


def _conditional(grid):
    return grid.scores.exclude(criterion__conditional="").order_by("id").first()


def test_autosave_writes_in_two_statements_with_the_event_and_the_serializer_shape(
    fast_only, api_client, grid, assessors
):
    score = _plain(grid)
    client = _token_client(api_client, assessors[0])
    _patch(client, _conditional(grid), {"state": "satisfied"})  # warm per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = _patch(client, score, {"state": "satisfied", "comment": "  Vu  "})
    assert response.status_code == 200, response.content
    # token, memberships (middleware), savepoint, locked read, guarded write, release
    assert len(ctx.captured_queries) == 6, [q["sql"][:80] for q in ctx.captured_queries]
    saved = CriterionScore.objects.select_related("updated_by").get(pk=score.pk)
    assert (saved.state, saved.comment, saved.version) == ("satisfied", "Vu", 2)
    assert saved.updated_by == assessors[0] and saved.updated_at is not None
    assert response.json() == CriterionScoreSerializer(saved).data
    assert response["ETag"] == '"2"'
    event = GridEvent.objects.get(score=score)
    assert (event.grid_id, event.author, event.action) == (grid.pk, assessors[0], "score")
    assert event.before == {"state": "", "comment": "", "justification": ""}
    assert event.after == {"state": "satisfied", "comment": "Vu", "justification": ""}


def test_a_partial_write_keeps_the_other_fields_and_put_behaves_the_same(
    fast_only, api_client, grid, assessors
):
    score = _plain(grid)
    client = _token_client(api_client, assessors[0])
    assert _patch(client, score, {"state": "satisfied", "comment": "Vu"}).status_code == 200
    response = _patch(client, score, {"state": "not_satisfied"}, version='"2"')
    assert response.status_code == 200
    assert response.json()["comment"] == "Vu" and response.json()["version"] == 3
    put = client.put(_url(score), {"comment": "Revu"}, format="json", HTTP_IF_MATCH='"3"')
    assert put.status_code == 200 and put.json()["state"] == "not_satisfied"
    assert put.json()["comment"] == "Revu" and put["ETag"] == '"4"'


def test_nothing_to_change_answers_the_score_without_a_new_version(
    fast_only, api_client, grid, assessors
):
    score = _plain(grid)
    client = _token_client(api_client, assessors[0])
    _patch(client, score, {"state": "satisfied"})
    response = _patch(client, score, {"state": "satisfied", "comment": ""}, version='"2"')
    assert response.status_code == 200 and response["ETag"] == '"2"'
    assert response.json()["updated_by_name"] == assessors[0].get_full_name()
    assert GridEvent.objects.filter(score=score).count() == 1


def test_stale_version_is_a_412_with_the_current_score_and_writes_nothing(
    fast_only, api_client, grid, assessors
):
    score = _plain(grid)
    _patch(_token_client(api_client, assessors[0]), score, {"state": "satisfied", "comment": "Vu"})
    client = _token_client(api_client, assessors[1])
    stale = _patch(client, score, {"state": "not_satisfied"})
    assert stale.status_code == 412 and stale["ETag"] == '"2"'
    body = stale.json()
    assert body["code"] == "stale_version" and body["detail"]
    current = CriterionScore.objects.select_related("updated_by").get(pk=score.pk)
    assert body["current"] == CriterionScoreSerializer(current).data
    assert body["current"]["updated_by_name"] == assessors[0].get_full_name()
    assert (current.state, current.version) == ("satisfied", 2)
    assert GridEvent.objects.filter(score=score).count() == 1
    assert _patch(client, score, {"state": "not_satisfied"}, version="abc").status_code == 412
    assert _patch(client, score, {"state": "not_satisfied"}, version="").status_code == 428


def test_missing_if_match_is_428_and_an_unknown_score_404(api_client, grid, assessors):
    client = _token_client(api_client, assessors[0])
    score = _plain(grid)
    assert client.patch(_url(score), {"state": "satisfied"}, format="json").status_code == 428
    missing = reverse("api:criterionscore-detail", args=[10**9])
    assert client.patch(missing, {"state": "satisfied"}, format="json").status_code == 404
    response = client.patch(missing, {"state": "satisfied"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 404
    huge = reverse("api:criterionscore-detail", args=[10**20])  # beyond bigint
    response = client.patch(huge, {"state": "satisfied"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 400  # issue 14, finding 9: an id beyond 64 bits is a 400


def test_not_applicable_needs_a_justification_unless_the_criterion_is_conditional(
    fast_only, api_client, grid, assessors
):
    client = _token_client(api_client, assessors[0])
    refused = _patch(client, _plain(grid), {"state": "not_applicable"})
    assert refused.status_code == 400 and refused.json()["code"] == "justification_required"
    assert CriterionScore.objects.get(pk=_plain(grid).pk).version == 1
    justified = _patch(
        client, _plain(grid), {"state": "not_applicable", "justification": "Hors poste"}
    )
    assert justified.status_code == 200 and justified.json()["justification"] == "Hors poste"
    conditional = _patch(client, _conditional(grid), {"state": "not_applicable"})
    assert conditional.status_code == 200


def test_bodies_the_serializer_must_judge_get_its_answer(api_client, grid, assessors):
    client = _token_client(api_client, assessors[0])
    score = _plain(grid)
    bad = _patch(client, score, {"state": "bof"})
    assert bad.status_code == 400 and "state" in bad.json()
    assert _patch(client, score, {"comment": None}).status_code == 400
    assert _patch(client, score, {"comment": "a\x00b"}).status_code == 400
    number = _patch(client, score, {"comment": 5})  # CharField takes a number as text
    assert number.status_code == 200 and number.json()["comment"] == "5"
    ignored = _patch(client, score, {"version": 99, "grid": 1, "state": ""}, version='"2"')
    assert ignored.status_code == 200 and ignored.json()["grid"] == score.grid_id


def test_outsiders_get_404_and_staff_403(api_client, world, grid, assessors):
    score = _plain(grid)
    outsider = assessor(world.centre_a, "outsider")  # an assessor of the centre, not seated
    assert (
        _patch(_token_client(api_client, outsider), score, {"state": "satisfied"}).status_code
        == 404
    )
    other_centre = world.user("assessor", side="b")
    response = _patch(_token_client(api_client, other_centre), score, {"state": "satisfied"})
    assert response.status_code == 404
    staff = _patch(_token_client(api_client, world.user("staff")), score, {"state": "satisfied"})
    assert staff.status_code == 403
    assert CriterionScore.objects.get(pk=score.pk).version == 1


def test_another_centres_score_is_404_even_for_a_member_of_both(api_client, world, grid, assessors):
    """The member also belongs to centre B: with ``X-Centre`` B, centre A's score is not there."""
    member = assessors[0]
    Membership.objects.create(user=member, centre=world.centre_b, role="assessor")
    client = _token_client(api_client, member)
    response = _patch(
        client, _plain(grid), {"state": "satisfied"}, HTTP_X_CENTRE=str(world.centre_b.pk)
    )
    assert response.status_code == 404
    response = _patch(
        client, _plain(grid), {"state": "satisfied"}, HTTP_X_CENTRE=str(world.centre_a.pk)
    )
    assert response.status_code == 200


def test_a_seated_member_without_an_accepted_declaration_is_refused(
    api_client, world, version, assessors
):
    dossier = agreed_dossier(world.centre_a, version, birth_name="Durand", first_names="Paul")
    session = seated_session(world, [dossier], assessors=assessors, declared=False)
    grid = dossier.grids.order_by("competence__number").first()
    client = _token_client(api_client, assessors[0])
    response = _patch(client, _plain(grid), {"state": "satisfied"})
    assert response.status_code == 400 and response.json()["code"] == "declaration_required"
    member = CommissionMember.objects.get(session=session, user=assessors[0])
    ConflictDeclaration.objects.create(
        member=member, dossier=dossier, statement="x", accepted=False, refusal_reason="Lien"
    )
    response = _patch(client, _plain(grid), {"state": "satisfied"})
    assert response.status_code == 400 and response.json()["code"] == "conflict_of_interest"
    assert CriterionScore.objects.get(pk=_plain(grid).pk).version == 1


def test_a_granted_user_off_the_commission_is_refused(api_client, grid, session, assessors):
    """The session grant without the seat: the score is visible, the write refused."""
    CommissionMember.objects.filter(session=session, user=assessors[0]).delete()
    response = _patch(_token_client(api_client, assessors[0]), _plain(grid), {"state": "satisfied"})
    assert response.status_code == 400 and response.json()["code"] == "not_member"
    assert CriterionScore.objects.get(pk=_plain(grid).pk).version == 1


def test_memberships_are_read_again_in_the_transaction(api_client, grid, assessors):
    actor = build_actor(assessors[0])  # built while the membership was active
    Membership.objects.filter(user=assessors[0]).update(is_active=False)
    score = _plain(grid)
    assert scores.autosave_score(actor, score.pk, expected_version=1, state="satisfied") is None
    client = _token_client(api_client, assessors[0])
    assert _patch(client, score, {"state": "satisfied"}).status_code == 403
    assert CriterionScore.objects.get(pk=score.pk).version == 1


def test_a_signed_grid_and_a_closed_session_are_refused(api_client, grid, session, assessors):
    client = _token_client(api_client, assessors[0])
    type(grid).objects.filter(pk=grid.pk).update(status=GridStatus.SIGNED)
    response = _patch(client, _plain(grid), {"state": "satisfied"})
    assert response.status_code == 400 and response.json()["code"] == "grid_locked"
    type(grid).objects.filter(pk=grid.pk).update(status=GridStatus.OPEN)
    EvaluationSession.objects.filter(pk=session.pk).update(status=SessionStatus.CLOSED)
    response = _patch(client, _plain(grid), {"state": "satisfied"})
    assert response.status_code == 400 and response.json()["code"] == "session_closed"
    assert CriterionScore.objects.get(pk=_plain(grid).pk).version == 1
    assert not GridEvent.objects.filter(action="score").exists()


def test_a_change_after_a_signature_clears_it_with_its_event(
    monkeypatch, api_client, grid, assessors
):
    complete(grid, assessors[0])
    services.sign_grid(grid, actor=assessors[0])
    _refuse_fallback(monkeypatch)
    assert GridSignature.objects.filter(grid=grid).count() == 1
    score = _plain(grid)
    client = _token_client(api_client, assessors[1])
    response = _patch(client, score, {"comment": "Revu"}, version=f'"{score.version}"')
    assert response.status_code == 200, response.content
    assert not GridSignature.objects.filter(grid=grid).exists()
    cleared = GridEvent.objects.get(grid=grid, action="signatures_cleared")
    assert cleared.before == {"signed_by": [assessors[0].pk]}
    assert cleared.author == assessors[1]
    latest = list(GridEvent.objects.filter(grid=grid).values_list("action", flat=True)[:2])
    assert latest == ["signatures_cleared", "score"]


def test_a_right_lost_while_waiting_for_the_lock_falls_back_to_the_refusal(
    api_client, grid, session, assessors
):
    """The write re-reads the declaration after the lock: refused between the two
    statements, nothing is written and ``score_criterion`` words the refusal."""

    def refuse_before_the_write(execute, sql, params, many, context):
        if sql.lstrip().startswith("WITH upd AS"):
            ConflictDeclaration.objects.filter(member__user=assessors[0]).update(
                accepted=False, refusal_reason="Lien déclaré"
            )
        return execute(sql, params, many, context)

    client = _token_client(api_client, assessors[0])
    with connection.execute_wrapper(refuse_before_the_write):
        response = _patch(client, _plain(grid), {"state": "satisfied"})
    assert response.status_code == 400 and response.json()["code"] == "conflict_of_interest"
    assert CriterionScore.objects.get(pk=_plain(grid).pk).version == 1
    assert not GridEvent.objects.filter(action="score").exists()


def test_the_grid_page_session_autosaves_too(fast_only, client, grid, assessors):
    """The tablet page saves with the browser session (and its CSRF token)."""
    client.force_login(assessors[0])
    response = client.patch(
        _url(_plain(grid)),
        '{"state": "satisfied"}',
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200 and response.json()["version"] == 2


def test_unknown_or_inactive_tokens_are_401(api_client, grid, assessors):
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert _patch(api_client, _plain(grid), {"state": "satisfied"}).status_code == 401
    client = _token_client(api_client, assessors[0])
    type(assessors[0]).objects.filter(pk=assessors[0].pk).update(is_active=False)
    assert _patch(client, _plain(grid), {"state": "satisfied"}).status_code == 401


def test_service_answers_none_when_score_criterion_must_decide(world, grid, assessors):
    outsider = build_actor(assessor(world.centre_a, "outsider"))
    score = _plain(grid)
    assert scores.autosave_score(outsider, score.pk, expected_version=1, state="satisfied") is None
    member = build_actor(assessors[0])
    saved = scores.autosave_score(member, score.pk, expected_version=1, state="satisfied")
    assert saved.version == 2 and not saved.stale
    stale = scores.autosave_score(member, score.pk, expected_version=1, state="")
    assert stale.stale and stale.score["state"] == "satisfied"


def test_criterion_score_data_is_the_serializers_output(grid, assessors):
    services.score_criterion(
        grid,
        _plain(grid).criterion,
        "satisfied",
        "Vu",
        expected_version=1,
        actor=assessors[0],
    )
    score = CriterionScore.objects.select_related("updated_by").get(pk=_plain(grid).pk)
    values = {
        "id": score.pk,
        "grid": score.grid_id,
        "criterion": score.criterion_id,
        "state": score.state,
        "comment": score.comment,
        "justification": score.justification,
        "version": score.version,
        "updated_by": score.updated_by_id,
        "updated_by_name": assessors[0].get_full_name(),
        "updated_at": score.updated_at,
    }
    assert criterion_score_data(values) == CriterionScoreSerializer(score).data
    assert list(criterion_score_data(values)) == list(CriterionScoreSerializer(score).data)


def test_the_raw_statements_name_the_models_tables():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from cqpm.models import Criterion
    from evaluations.models import EvaluationSessionUserObjectPermission, Grid

    expected = {
        "READ_SQL": [
            CriterionScore,
            Grid,
            EvaluationSession,
            EvaluationSessionUserObjectPermission,
            Permission,
            Membership,
            CommissionMember,
            ConflictDeclaration,
        ],
        "WRITE_SQL": [
            CriterionScore,
            ConflictDeclaration,
            CommissionMember,
            Membership,
            EvaluationSession,
            GridEvent,
            GridSignature,
        ],
        "CURRENT_SQL": [CriterionScore, get_user_model()],
        "CONDITIONAL_SQL": [Criterion],
    }
    for name, models in expected.items():
        words = set(getattr(scores, name).replace("(", " ").split())
        for model in models:
            assert model._meta.db_table in words, (name, model)


def _hold_the_grid_lock(grid, change, locked, seconds=0.4):
    """Another writer (as ``sign_grid`` does): lock the grid row, ``change``, commit a little
    later, in its own connection."""
    from django.db import connection as thread_connection
    from django.db import transaction
    from django_scopes import scopes_disabled

    try:
        with scopes_disabled(), transaction.atomic():
            type(grid).objects.select_for_update().get(pk=grid.pk)
            change()
            locked.set()
            time.sleep(seconds)
    finally:
        locked.set()
        thread_connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_signature_committed_while_waiting_for_the_lock_is_cleared(
    api_client, grid, session, assessors
):
    """The write is a new statement after the grid's lock: it sees a signature that a writer
    holding the lock committed meanwhile, and removes it (a signature covers the grid as it
    is)."""
    member = CommissionMember.objects.get(session=session, user=assessors[0])
    locked = threading.Event()
    holder = threading.Thread(
        target=_hold_the_grid_lock,
        args=(grid, lambda: GridSignature.objects.create(grid=grid, member=member), locked),
    )
    holder.start()
    locked.wait(5)
    client = _token_client(api_client, assessors[1])
    started = time.monotonic()
    response = _patch(client, _plain(grid), {"state": "satisfied"})
    holder.join(5)
    assert time.monotonic() - started > 0.2  # it did wait for the lock
    assert response.status_code == 200, response.content
    assert not GridSignature.objects.filter(grid=grid).exists()
    cleared = GridEvent.objects.get(grid=grid, action="signatures_cleared")
    assert cleared.before == {"signed_by": [assessors[0].pk]}


@pytest.mark.django_db(transaction=True)
def test_a_grid_locked_while_waiting_for_the_lock_is_refused(api_client, grid, assessors):
    locked = threading.Event()
    lock_it = lambda: type(grid).objects.filter(pk=grid.pk).update(status=GridStatus.SIGNED)  # noqa: E731
    holder = threading.Thread(target=_hold_the_grid_lock, args=(grid, lock_it, locked))
    holder.start()
    locked.wait(5)
    response = _patch(_token_client(api_client, assessors[0]), _plain(grid), {"state": "satisfied"})
    holder.join(5)
    assert response.status_code == 400 and response.json()["code"] == "grid_locked"
    assert CriterionScore.objects.get(pk=_plain(grid).pk).version == 1
