"""Sessions, commission, guardian grants and the conflict-of-interest rules (services)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from candidates.models import DossierStatus
from centres.permissions import has_object_permission
from centres.roles import Role
from evaluations import services
from evaluations.errors import EvaluationError
from evaluations.models import (
    EVALUATE_PERMISSION,
    ConflictDeclaration,
    EvaluationSession,
    LinkKind,
    SessionStatus,
)
from tests.factories import MembershipFactory

from .factories import agreed_dossier, assessor, declare, seated_session, statement_for


def test_schedule_needs_the_capability_and_a_place(world, staff):
    with pytest.raises(EvaluationError) as exc:
        services.schedule_session(
            world.centre_a,
            actor=world.user("assessor"),
            starts_at=timezone.now(),
            place="Lyon",
        )
    assert exc.value.code == "permission_denied"
    with pytest.raises(EvaluationError) as exc:
        services.schedule_session(world.centre_a, actor=staff, starts_at=timezone.now())
    assert exc.value.code == "place_required"
    start = timezone.now()
    with pytest.raises(EvaluationError) as exc:
        services.schedule_session(
            world.centre_a,
            actor=staff,
            starts_at=start,
            place="Lyon",
            ends_at=start - datetime.timedelta(hours=1),
        )
    assert exc.value.code == "invalid_dates"


def test_update_session_checks_the_version(world, session, staff):
    services.update_session(session, actor=staff, expected_version=1, place="Salle B")
    session.refresh_from_db()
    assert session.place == "Salle B" and session.version == 2
    with pytest.raises(services.StaleVersionError):
        services.update_session(session, actor=staff, expected_version=1, place="Salle C")


def test_members_get_the_guardian_grant_and_lose_it(world, session, assessors, staff):
    for user in assessors:
        assert has_object_permission(user, EVALUATE_PERMISSION, session)
    newcomer = assessor(world.centre_a, "newcomer")
    member = services.add_member(session, newcomer, actor=staff)
    assert has_object_permission(newcomer, EVALUATE_PERMISSION, session)
    services.remove_member(member, actor=staff)
    assert not has_object_permission(newcomer, EVALUATE_PERMISSION, session)


def test_only_assessors_of_the_centre_sit_on_a_commission(world, session, staff):
    for user in (world.user("juror"), world.user("assessor", "b")):
        with pytest.raises(EvaluationError) as exc:
            services.add_member(session, user, actor=staff)
        assert exc.value.code == "not_assessor"


def test_convocations_are_mailed(
    world, version, assessors, staff, django_capture_on_commit_callbacks
):
    dossier = agreed_dossier(world.centre_a, version, company=world.company_a)
    with django_capture_on_commit_callbacks(execute=True):
        seated_session(world, [dossier], assessors=assessors, declared=False)
    recipients = {m.to[0] for m in mail.outbox}
    assert dossier.candidate.email in recipients
    assert {u.email for u in assessors} <= recipients
    assert "Atelier 3" in mail.outbox[0].body


def test_add_dossier_needs_an_agreed_dossier_with_the_modality(world, version, session, staff):
    draft = agreed_dossier(world.centre_a, version, company=world.company_a)
    draft.status = DossierStatus.SUBMITTED
    draft.save(update_fields=["status"])
    with pytest.raises(EvaluationError) as exc:
        services.add_dossier(session, draft, actor=staff)
    assert exc.value.code == "dossier_not_ready"
    presentation = EvaluationSession.objects.create(
        centre=world.centre_a,
        starts_at=timezone.now(),
        place="Salle",
        modality="project_presentation",
    )
    other = agreed_dossier(world.centre_a, version, company=world.company_a)
    with pytest.raises(EvaluationError) as exc:
        services.add_dossier(presentation, other, actor=staff)
    assert exc.value.code == "no_competence_for_modality"


def test_foreign_dossier_is_refused(world, version, session, staff):
    foreign = agreed_dossier(world.centre_b, version, company=world.company_b)
    with pytest.raises(EvaluationError):
        services.add_dossier(session, foreign, actor=staff)


def test_start_needs_the_minimum_commission(world, version, staff):
    dossier = agreed_dossier(world.centre_a, version, company=world.company_a)
    session = seated_session(world, [dossier], assessors=[world.user("assessor")])
    with pytest.raises(EvaluationError) as exc:
        services.start_session(session, actor=staff)
    assert exc.value.code == "commission_too_small"
    services.add_member(session, assessor(world.centre_a, "second"), actor=staff)
    session = services.start_session(session, actor=staff)
    assert session.status == SessionStatus.IN_PROGRESS
    with pytest.raises(EvaluationError) as exc:
        services.close_session(session, actor=staff)
    assert exc.value.code == "grids_unsigned"


# --- conflicts of interest ----------------------------------------------------------------


def test_declaration_must_be_typed_in_full(world, version, assessors, staff):
    dossier = agreed_dossier(
        world.centre_a, version, company=world.company_a, birth_name="Dupont", first_names="Léa"
    )
    session = seated_session(world, [dossier], assessors=assessors, declared=False)
    user = assessors[0]
    for statement in ("", "OK", "Je déclare n'avoir aucun lien.", "Léa DUPONT, d'accord"):
        with pytest.raises(EvaluationError) as exc:
            services.sign_declaration(session, dossier, actor=user, statement=statement)
        assert exc.value.code == "statement_invalid"
    assert not ConflictDeclaration.objects.exists()
    declaration = services.sign_declaration(
        session,
        dossier,
        actor=user,
        ip="10.0.0.1",
        statement="je declare n’avoir aucun lien avec lea dupont",  # accents and quotes folded
    )
    assert declaration.accepted and declaration.ip == "10.0.0.1" and declaration.signed_at
    assert "DUPONT" in services.statement_model(dossier, user)


def test_declared_link_refuses_the_member_with_the_reason(world, version, assessors):
    dossier = agreed_dossier(world.centre_a, version, company=world.company_a)
    session = seated_session(world, [dossier], assessors=assessors, declared=False)
    with pytest.raises(EvaluationError) as exc:
        services.sign_declaration(
            session,
            dossier,
            actor=assessors[0],
            statement="",
            declared_link=LinkKind.TRAINER,
            link_details="Formateur en 2023",
        )
    assert exc.value.code == "conflict_of_interest"
    assert "formé" in str(exc.value.message)
    declaration = ConflictDeclaration.objects.get()
    assert not declaration.accepted and declaration.declared_link == "trainer"
    # the refusal is final: signing again raises it again, and the grid stays closed to them
    with pytest.raises(EvaluationError):
        declare(assessors[0], session, dossier)
    grid = dossier.grids.first()
    score = grid.scores.first()
    with pytest.raises(EvaluationError) as exc:
        services.score_criterion(
            grid, score.criterion, "satisfied", expected_version=1, actor=assessors[0]
        )
    assert exc.value.code == "conflict_of_interest"
    # the refused member is not among the signers the grid waits for
    declare(assessors[1], session, dossier)
    assert [m.user for m in services.required_signers(grid)] == [assessors[1]]


def test_accompanist_of_a_vae_candidate_is_refused(world, version, assessors):
    dossier = agreed_dossier(world.centre_a, version, route="vae")
    session = seated_session(world, [dossier], assessors=assessors, declared=False)
    with pytest.raises(EvaluationError) as exc:
        services.sign_declaration(
            session,
            dossier,
            actor=assessors[0],
            statement="",
            declared_link=LinkKind.ACCOMPANIST,
        )
    assert "accompagné" in str(exc.value.message)


def test_company_representative_is_refused_everywhere(world, version, assessors, staff):
    dossier = agreed_dossier(world.centre_a, version, company=world.company_a)
    linked = assessor(world.centre_a, "linked")
    MembershipFactory(
        user=linked, centre=world.centre_a, role=Role.COMPANY_REP, company=world.company_a
    )
    session = seated_session(world, [dossier], assessors=assessors, declared=False)
    # seating them on a commission evaluating their company's employee
    with pytest.raises(EvaluationError) as exc:
        services.add_member(session, linked, actor=staff)
    assert exc.value.code == "conflict_of_interest"
    assert "Société Alpha" in str(exc.value.message)
    # adding their company's employee to a session they sit on
    other = seated_session(world, [], assessors=[linked])
    with pytest.raises(EvaluationError) as exc:
        services.add_dossier(other, dossier, actor=staff)
    assert exc.value.code == "conflict_of_interest"


def test_company_link_detected_at_declaration(world, version, assessors, staff):
    """A membership given after seating is still caught when the member declares."""
    dossier = agreed_dossier(world.centre_a, version, company=world.company_a)
    session = seated_session(world, [dossier], assessors=assessors, declared=False)
    MembershipFactory(
        user=assessors[0], centre=world.centre_a, role=Role.COMPANY_REP, company=world.company_a
    )
    with pytest.raises(EvaluationError) as exc:
        services.sign_declaration(
            session, dossier, actor=assessors[0], statement=statement_for(dossier)
        )
    assert exc.value.code == "conflict_of_interest"
    assert not ConflictDeclaration.objects.get().accepted


def test_non_member_cannot_declare(world, session, dossier):
    with pytest.raises(EvaluationError) as exc:
        declare(world.user("assessor", "b"), session, dossier)
    assert exc.value.code == "not_member"


def test_remove_dossier_only_before_scoring(world, session, dossier, assessors, staff):
    grid = dossier.grids.first()
    score = grid.scores.first()
    services.score_criterion(
        grid, score.criterion, "satisfied", expected_version=1, actor=assessors[0]
    )
    with pytest.raises(EvaluationError) as exc:
        services.remove_dossier(session, dossier, actor=staff)
    assert exc.value.code == "dossier_evaluated"
