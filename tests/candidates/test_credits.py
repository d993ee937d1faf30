import datetime

import pytest
from django.utils import timezone

from candidates import services
from candidates.models import DossierStatus

from .factories import CandidateFactory, CreditFactory, DossierFactory, build_referential


def _codes(dossier):
    return sorted(dossier.competences.values_list("competence__code", flat=True))


def _old_dossier(world, version, candidate):
    return DossierFactory(
        centre=world.centre_a,
        candidate=candidate,
        referential_version=version,
        status=DossierStatus.CLOSED,
        company=world.company_a,
    )


def test_valid_competence_credit_is_not_evaluated_again(staff, world, version):
    candidate = CandidateFactory(centre=world.centre_a)
    old = _old_dossier(world, version, candidate)
    CreditFactory(
        candidate=candidate,
        qualification=version.qualification,
        competence=version.competences.get(code="C2"),
        source_dossier=old,
    )
    dossier = services.open_dossier(candidate, actor=staff, qualification=version.qualification)
    assert _codes(dossier) == ["C1", "C3", "C4", "C5", "C6", "C7", "C8"]
    assert "C2" in dossier.events.get().reason


def test_expired_competence_credit_is_evaluated_again(staff, world, version):
    candidate = CandidateFactory(centre=world.centre_a)
    today = timezone.localdate()
    jury = today - datetime.timedelta(days=800)
    CreditFactory(
        candidate=candidate,
        qualification=version.qualification,
        competence=version.competences.get(code="C2"),
        jury_date=jury,
        valid_until=services.add_months(jury, 24),
    )
    dossier = services.open_dossier(candidate, actor=staff, qualification=version.qualification)
    assert len(_codes(dossier)) == 8


def test_bloc_credit_covers_its_competences_for_five_years(staff, world, version):
    candidate = CandidateFactory(centre=world.centre_a)
    today = timezone.localdate()
    jury = today - datetime.timedelta(days=365 * 3)  # past 24 months, within 60
    CreditFactory(
        candidate=candidate,
        qualification=version.qualification,
        bloc=version.blocs.get(code="B1"),
        jury_date=jury,
        valid_until=services.add_months(jury, 60),
    )
    CreditFactory(
        candidate=candidate,
        qualification=version.qualification,
        competence=version.competences.get(code="C4"),
        jury_date=jury,
        valid_until=services.add_months(jury, 24),
    )
    dossier = services.open_dossier(candidate, actor=staff, qualification=version.qualification)
    assert _codes(dossier) == ["C4", "C5", "C6", "C7", "C8"]


def test_expired_bloc_credit(staff, world, version):
    candidate = CandidateFactory(centre=world.centre_a)
    jury = timezone.localdate() - datetime.timedelta(days=365 * 5 + 30)
    CreditFactory(
        candidate=candidate,
        qualification=version.qualification,
        bloc=version.blocs.get(code="B1"),
        jury_date=jury,
        valid_until=services.add_months(jury, 60),
    )
    assert (
        len(
            _codes(
                services.open_dossier(candidate, actor=staff, qualification=version.qualification)
            )
        )
        == 8
    )


def test_credits_of_other_qualification_or_candidate_do_not_count(staff, world, version):
    other_version = build_referential(slug="autre-cqpm")
    candidate = CandidateFactory(centre=world.centre_a)
    CreditFactory(
        candidate=candidate,
        qualification=other_version.qualification,
        competence=other_version.competences.get(code="C1"),
    )
    CreditFactory(
        candidate=CandidateFactory(centre=world.centre_a),
        qualification=version.qualification,
        competence=version.competences.get(code="C1"),
    )
    assert (
        len(
            _codes(
                services.open_dossier(candidate, actor=staff, qualification=version.qualification)
            )
        )
        == 8
    )


def test_credit_carries_to_a_new_version_by_code(staff, world, version):
    candidate = CandidateFactory(centre=world.centre_a)
    CreditFactory(
        candidate=candidate,
        qualification=version.qualification,
        competence=version.competences.get(code="C8"),
    )
    build_referential(number=2)
    dossier = services.open_dossier(candidate, actor=staff, qualification=version.qualification)
    assert dossier.referential_version.number == 2
    assert "C8" not in _codes(dossier)


def test_resit_dossier_carries_valid_credits(staff, world, version):
    candidate = CandidateFactory(centre=world.centre_a)
    first = services.open_dossier(
        candidate,
        actor=staff,
        qualification=version.qualification,
        company=world.company_a,
        tutor_name="Tuteur",
    )
    jury = timezone.localdate() - datetime.timedelta(days=10)
    services.record_credit(
        actor=staff, dossier=first, jury_date=jury, bloc=version.blocs.get(code="B2")
    )
    services.record_credit(
        actor=staff, dossier=first, jury_date=jury, competence=version.competences.get(code="C1")
    )
    with pytest.raises(services.DossierError) as exc:
        services.open_resit_dossier(first, actor=staff)
    assert exc.value.code == "not_decided"
    first.status = DossierStatus.DECIDED
    first.save()
    resit = services.open_resit_dossier(first, actor=staff)
    assert resit.previous_dossier == first
    assert resit.company == world.company_a and resit.tutor_name == "Tuteur"
    assert _codes(resit) == ["C2", "C3", "C6", "C7", "C8"]


def test_resit_without_credit_is_refused(staff, world, version):
    candidate = CandidateFactory(centre=world.centre_a)
    first = _old_dossier(world, version, candidate)
    with pytest.raises(services.DossierError) as exc:
        services.open_resit_dossier(first, actor=staff)
    assert exc.value.code == "no_credit"


def test_everything_credited_refuses_a_dossier(staff, world, version):
    candidate = CandidateFactory(centre=world.centre_a)
    for code in ("B1", "B2", "B3"):
        CreditFactory(
            candidate=candidate,
            qualification=version.qualification,
            bloc=version.blocs.get(code=code),
        )
    with pytest.raises(services.DossierError) as exc:
        services.open_dossier(candidate, actor=staff, qualification=version.qualification)
    assert exc.value.code == "nothing_to_evaluate"
