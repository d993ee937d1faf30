"""The juries demo: a decided session (awarded, partial, not awarded) and an open session
ready to deliberate, in each centre; idempotent."""

import pytest

from centres.access import build_actor
from centres.models import AuditEntry
from juries import demo
from juries.composition import check_composition
from juries.models import Decision, JurySession, Outcome, SessionStatus

from .factories import jurors

pytestmark = pytest.mark.django_db


def test_seed_builds_both_sessions_and_is_idempotent(world, version, settings):
    settings.DEBUG = True
    users = jurors(world, 4)
    context = {
        "centres": {"a": world.centre_a},
        "roles": {"a": {"staff": [world.user("staff")]}},
        "jurors": {"a": {"employer": users[:2], "employee": users[2:]}},
    }
    demo.seed(context)
    decided = JurySession.objects.get(label=demo.LABEL_DECIDED)
    assert decided.status == SessionStatus.CLOSED
    outcomes = sorted(
        Decision.objects.filter(item__session=decided).values_list("outcome", flat=True)
    )
    assert outcomes == sorted([Outcome.AWARDED, Outcome.PARTIAL, Outcome.NOT_AWARDED])
    assert decided.minutes_signatures.count() == 4
    opened = JurySession.objects.get(label=demo.LABEL_OPEN)
    assert opened.status == SessionStatus.OPEN and opened.agenda.count() == 2
    composition = check_composition(opened)
    assert not composition.errors and not composition.deliberation_errors
    # staff can start the deliberation right away
    from juries import services

    services.start_deliberation(opened, acting_user=build_actor(world.user("staff")))
    counts = (JurySession.objects.count(), AuditEntry.objects.count())
    demo.seed(context)
    assert (JurySession.objects.count(), AuditEntry.objects.count()) == counts
    assert any("Jurys" in line for line in context["summary"])
    # documents.demo is told the certificates come from a real jury
    assert [batch[0] for batch in context["document_batches"]] == [world.centre_a] * 2
    assert any("/verifier/" in line and "Parchemin" in line for line in context["summary"])
