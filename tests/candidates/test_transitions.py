import datetime

import pytest
from django.core.exceptions import PermissionDenied

from candidates import services
from candidates.models import DossierEvent, DossierStatus
from centres.access import build_actor
from centres.models import AuditEntry
from core.errors import StaleVersionError

from .factories import DossierFactory, modality

S = DossierStatus


@pytest.fixture
def dossier(world, version):
    return DossierFactory(
        centre=world.centre_a, referential_version=version, company=world.company_a
    )


def _ready_modalities(dossier, version, report=False):
    mod = modality(version, "project_presentation" if report else "real_work")
    dossier.competences.update(
        modality=mod, report_deadline=datetime.date(2031, 1, 1) if report else None
    )


def _status(dossier):
    dossier.refresh_from_db()
    return dossier.status


def test_full_path_with_events_and_audit(staff, dossier, version, world):
    _ready_modalities(dossier, version)
    services.submit(dossier, actor=staff)
    services.agree(dossier, actor=staff)
    services.mark_in_evaluation(dossier, actor=staff)
    services.mark_ready_for_jury(dossier, actor=staff)
    services.mark_decided(dossier, actor=staff)
    services.close(dossier, actor=staff)
    assert _status(dossier) == S.CLOSED
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("id"))
    assert [(e.from_status, e.to_status) for e in events] == [
        ("draft", "submitted"),
        ("submitted", "agreed"),
        ("agreed", "in_evaluation"),
        ("in_evaluation", "ready_for_jury"),
        ("ready_for_jury", "decided"),
        ("decided", "closed"),
    ]
    assert all(e.actor == world.user("staff") for e in events)
    assert (
        AuditEntry.objects.filter(
            subject_type="candidates.dossier", subject_id=str(dossier.pk)
        ).count()
        == 6
    )
    assert dossier.submitted_at and dossier.agreed_at and dossier.closed_at
    assert dossier.version == 7


def test_transition_is_noop_when_already_there(staff, dossier):
    services.submit(dossier, actor=staff)
    services.submit(dossier, actor=staff)
    assert DossierEvent.objects.filter(dossier=dossier, action="submit").count() == 1


@pytest.mark.parametrize(
    ("service", "from_status"),
    [
        (services.submit, S.AGREED),
        (services.agree, S.DRAFT),
        (services.mark_in_evaluation, S.SUBMITTED),
        (services.mark_ready_for_jury, S.AGREED),
        (services.mark_decided, S.IN_EVALUATION),
        (services.close, S.READY_FOR_JURY),
        (services.submit, S.WITHDRAWN),
    ],
)
def test_wrong_state_is_refused(staff, dossier, version, service, from_status):
    _ready_modalities(dossier, version)
    dossier.status = from_status
    dossier.save()
    with pytest.raises(services.DossierError) as exc:
        service(dossier, actor=staff)
    assert exc.value.code == "bad_state"
    assert _status(dossier) == from_status


def test_cannot_agree_without_modality_for_every_competence(staff, dossier, version):
    services.submit(dossier, actor=staff)
    first = dossier.competences.order_by("competence__number").first()
    dossier.competences.exclude(pk=first.pk).update(modality=modality(version))
    with pytest.raises(services.DossierError) as exc:
        services.agree(dossier, actor=staff)
    assert exc.value.code == "modality_missing" and "C1" in str(exc.value.message)
    assert _status(dossier) == S.SUBMITTED


def test_cannot_agree_a_report_without_deadline(staff, dossier, version):
    services.submit(dossier, actor=staff)
    dossier.competences.update(modality=modality(version, "project_presentation"))
    with pytest.raises(services.DossierError) as exc:
        services.agree(dossier, actor=staff)
    assert exc.value.code == "deadline_missing"
    _ready_modalities(dossier, version, report=True)
    services.agree(dossier, actor=staff)
    assert _status(dossier) == S.AGREED


def test_submit_needs_company_for_employee(staff, world, version):
    dossier = DossierFactory(centre=world.centre_a, referential_version=version, company=None)
    with pytest.raises(services.DossierError) as exc:
        services.submit(dossier, actor=staff)
    assert exc.value.code == "company_required"
    vae = DossierFactory(
        centre=world.centre_a,
        referential_version=version,
        company=None,
        access_route="vae",
        tutor_name="",
    )
    services.submit(vae, actor=staff)
    assert _status(vae) == S.SUBMITTED


def test_submit_needs_competences(staff, world, version):
    dossier = DossierFactory(centre=world.centre_a, referential_version=version, competences=False)
    with pytest.raises(services.DossierError) as exc:
        services.submit(dossier, actor=staff)
    assert exc.value.code == "no_competence"


@pytest.mark.parametrize(
    "from_status", [S.DRAFT, S.SUBMITTED, S.AGREED, S.IN_EVALUATION, S.READY_FOR_JURY]
)
def test_withdraw_from_any_open_state(staff, dossier, from_status):
    dossier.status = from_status
    dossier.save()
    services.withdraw(dossier, actor=staff, reason="Départ de l'entreprise")
    dossier.refresh_from_db()
    assert dossier.status == S.WITHDRAWN and dossier.withdrawn_reason == "Départ de l'entreprise"
    event = dossier.events.get(action="withdraw")
    assert event.from_status == from_status and event.reason == "Départ de l'entreprise"
    assert AuditEntry.objects.get(action="dossier.withdraw").reason == "Départ de l'entreprise"


@pytest.mark.parametrize("from_status", [S.DECIDED, S.CLOSED])
def test_withdraw_refused_when_not_open(staff, dossier, from_status):
    dossier.status = from_status
    dossier.save()
    with pytest.raises(services.DossierError):
        services.withdraw(dossier, actor=staff, reason="x")


def test_withdraw_needs_a_reason(staff, dossier):
    with pytest.raises(services.DossierError) as exc:
        services.withdraw(dossier, actor=staff, reason="   ")
    assert exc.value.code == "reason_required"
    assert _status(dossier) == S.DRAFT


def test_stale_version_refused(staff, dossier):
    with pytest.raises(StaleVersionError):
        services.submit(dossier, actor=staff, expected_version=99)


def test_editing_refused_after_agreement(staff, dossier, version):
    _ready_modalities(dossier, version)
    services.submit(dossier, actor=staff)
    services.update_dossier(dossier, actor=staff, tutor_name="Encore modifiable")
    services.agree(dossier, actor=staff)
    with pytest.raises(services.DossierError) as exc:
        services.update_dossier(dossier, actor=staff, tutor_name="Trop tard")
    assert exc.value.code == "not_editable"
    with pytest.raises(services.DossierError):
        services.set_modalities(dossier, {}, actor=staff)


@pytest.mark.parametrize("role", ["company_rep", "assessor", "juror"])
def test_other_roles_cannot_transition(world, dossier, role):
    with pytest.raises(PermissionDenied):
        services.submit(dossier, actor=build_actor(world.user(role)))
    with pytest.raises(PermissionDenied):
        services.withdraw(dossier, actor=build_actor(world.user(role)), reason="x")
