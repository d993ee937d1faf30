import datetime

import pytest

from candidates import services
from candidates.models import Candidate, CandidateIdentity, Dossier, Target
from candidates.nir import nir_key
from centres.access import build_actor
from centres.models import AuditEntry
from core.errors import StaleVersionError

from .factories import CandidateFactory, CreditFactory, build_referential

NIR_BODY = "1880342218004"
NIR = f"{NIR_BODY}{nir_key(NIR_BODY):02d}"


def test_register_candidate_with_nir_apart(staff, candidate_data, world):
    candidate = services.register_candidate(actor=staff, data=candidate_data, nir=NIR)
    assert candidate.centre == world.centre_a
    assert CandidateIdentity.objects.get(candidate=candidate).nir == NIR
    entry = AuditEntry.objects.get(action="candidate.register")
    assert NIR not in str(entry.after)
    assert entry.actor == world.user("staff")


def test_register_refuses_bad_nir(staff, candidate_data):
    with pytest.raises(services.DossierError) as exc:
        services.register_candidate(actor=staff, data=candidate_data, nir="188034221800499")
    assert exc.value.code == "nir_key"
    assert not Candidate.objects.exists()


def test_duplicate_is_a_warning_then_confirmed(staff, candidate_data):
    services.register_candidate(actor=staff, data=candidate_data)
    again = {**candidate_data, "birth_name": "MARTIN", "email": "autre@example.org"}
    with pytest.raises(services.PossibleDuplicate) as exc:
        services.register_candidate(actor=staff, data=again)
    assert len(exc.value.duplicates) == 1
    assert Candidate.objects.count() == 1
    services.register_candidate(actor=staff, data=again, confirm_duplicate=True)
    assert Candidate.objects.count() == 2


def test_duplicate_only_within_the_centre(staff, candidate_data, world):
    other = build_actor(world.user("staff", "b"))
    services.register_candidate(actor=other, data=candidate_data)
    services.register_candidate(actor=staff, data=candidate_data)  # no warning
    assert Candidate.objects.count() == 2


def test_update_candidate_version_check(staff, world):
    candidate = CandidateFactory(centre=world.centre_a)
    services.update_candidate(
        candidate, actor=staff, data={"phone": "0102030405"}, expected_version=1
    )
    candidate.refresh_from_db()
    assert candidate.version == 2 and candidate.phone == "0102030405"
    with pytest.raises(StaleVersionError):
        services.update_candidate(candidate, actor=staff, data={"phone": "x"}, expected_version=1)
    services.update_candidate(candidate, actor=staff, data={}, nir=NIR, expected_version=2)
    assert candidate.identity.nir == NIR
    entry = AuditEntry.objects.filter(action="candidate.update").first()
    assert NIR not in str(entry.after)


def test_company_rep_cannot_register(world, candidate_data):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.register_candidate(
            actor=build_actor(world.user("company_rep")), data=candidate_data
        )


# --- open_dossier -----------------------------------------------------------------------


def test_open_dossier_pins_latest_published_version(staff, world):
    v1 = build_referential()
    build_referential(number=2)
    build_referential(number=3, published=False)
    candidate = CandidateFactory(centre=world.centre_a)
    dossier = services.open_dossier(
        candidate, actor=staff, qualification=v1.qualification, company=world.company_a
    )
    assert dossier.referential_version.number == 2
    assert dossier.competences.count() == 8
    assert dossier.events.get().action == "open"
    assert AuditEntry.objects.filter(action="dossier.open", subject_id=str(dossier.pk)).exists()


def test_open_dossier_blocs_only_when_rncp(staff, world, version):
    candidate = CandidateFactory(centre=world.centre_a)
    b2 = version.blocs.get(code="B2")
    dossier = services.open_dossier(
        candidate,
        actor=staff,
        qualification=version.qualification,
        target=Target.BLOCS,
        blocs=[b2],
        company=world.company_a,
    )
    assert sorted(dossier.competences.values_list("competence__code", flat=True)) == ["C4", "C5"]
    version.qualification.rncp_registered = False
    version.qualification.save()
    other = CandidateFactory(centre=world.centre_a)
    with pytest.raises(services.DossierError) as exc:
        services.open_dossier(
            other, actor=staff, qualification=version.qualification, target=Target.BLOCS, blocs=[b2]
        )
    assert exc.value.code == "blocs_not_allowed"


def test_open_dossier_no_company_for_vae(staff, world, version):
    candidate = CandidateFactory(centre=world.centre_a, access_status="vae")
    with pytest.raises(services.DossierError) as exc:
        services.open_dossier(
            candidate, actor=staff, qualification=version.qualification, company=world.company_a
        )
    assert exc.value.code == "company_not_allowed"
    with pytest.raises(services.DossierError):
        services.open_dossier(
            candidate,
            actor=staff,
            qualification=version.qualification,
            access_route="candidat_libre",
            tutor_name="Paul",
        )
    dossier = services.open_dossier(candidate, actor=staff, qualification=version.qualification)
    assert dossier.access_route == "vae" and dossier.company is None


def test_open_dossier_refuses_foreign_company_and_second_open(staff, world, version):
    candidate = CandidateFactory(centre=world.centre_a)
    with pytest.raises(services.DossierError) as exc:
        services.open_dossier(
            candidate, actor=staff, qualification=version.qualification, company=world.company_b
        )
    assert exc.value.code == "bad_company"
    services.open_dossier(candidate, actor=staff, qualification=version.qualification)
    with pytest.raises(services.DossierError) as exc:
        services.open_dossier(candidate, actor=staff, qualification=version.qualification)
    assert exc.value.code == "already_open"
    assert Dossier.objects.count() == 1


def test_update_dossier_target_resyncs_competences(staff, world, version):
    candidate = CandidateFactory(centre=world.centre_a)
    dossier = services.open_dossier(candidate, actor=staff, qualification=version.qualification)
    b3 = version.blocs.get(code="B3")
    dossier = services.update_dossier(
        dossier, actor=staff, expected_version=1, target=Target.BLOCS, blocs=[b3], tutor_name="Luc"
    )
    codes = sorted(dossier.competences.values_list("competence__code", flat=True))
    assert codes == ["C6", "C7", "C8"] and dossier.version == 2 and dossier.tutor_name == "Luc"
    with pytest.raises(StaleVersionError):
        services.update_dossier(dossier, actor=staff, expected_version=1, tutor_name="X")


def test_set_modalities_keeps_deadline_only_for_reports(staff, world, version):
    candidate = CandidateFactory(centre=world.centre_a)
    dossier = services.open_dossier(candidate, actor=staff, qualification=version.qualification)
    real = version.modalities.get(code="real_work")
    report = version.modalities.get(code="project_presentation")
    deadline = datetime.date(2030, 1, 15)
    rows = {r.competence.code: r for r in dossier.competences.select_related("competence")}
    services.set_modalities(
        dossier,
        {
            rows["C1"].competence_id: (real, deadline),
            rows["C2"].competence_id: (report, deadline),
        },
        actor=staff,
    )
    rows = {r.competence.code: r for r in dossier.competences.select_related("competence")}
    assert rows["C1"].modality == real and rows["C1"].report_deadline is None
    assert rows["C2"].modality == report and rows["C2"].report_deadline == deadline
    other_version = build_referential(slug="autre")
    with pytest.raises(services.DossierError) as exc:
        services.set_modalities(
            dossier,
            {rows["C1"].competence_id: (other_version.modalities.first(), None)},
            actor=staff,
        )
    assert exc.value.code == "bad_modality"


def test_record_credit_validity(staff, world, version):
    dossier = services.open_dossier(
        CandidateFactory(centre=world.centre_a), actor=staff, qualification=version.qualification
    )
    jury = datetime.date(2025, 2, 28)
    c1 = version.competences.get(code="C1")
    b1 = version.blocs.get(code="B1")
    credit = services.record_credit(actor=staff, dossier=dossier, jury_date=jury, competence=c1)
    assert credit.valid_until == datetime.date(2027, 2, 28)
    assert (
        services.record_credit(actor=staff, dossier=dossier, jury_date=jury, competence=c1)
        == credit
    )
    bloc_credit = services.record_credit(actor=staff, dossier=dossier, jury_date=jury, bloc=b1)
    assert bloc_credit.valid_until == datetime.date(2030, 2, 28)
    with pytest.raises(services.DossierError):
        services.record_credit(actor=staff, dossier=dossier, jury_date=jury)
    assert CreditFactory._meta.model.objects.count() == 2
