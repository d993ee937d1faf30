"""Generating fluxes, importing the portal's report, re-sending the rejected passages and
withdrawing revoked awards."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from lxml import etree

from accrochage import services, xml
from accrochage.errors import AccrochageError
from accrochage.holders import id_technique
from accrochage.models import Flux, FluxStatus, Passage, PassageAction, PassageStatus
from accrochage.selectors import holders_to_declare, overdue_count, suppressions_owed
from candidates.models import AccessStatus
from centres.access import build_actor
from centres.models import AuditEntry
from juries.models import Outcome

from .factories import awards, certifier, revoke, with_nir

NS = {"cpf": xml.NAMESPACE}
pytestmark = pytest.mark.django_db


def _xml(flux):
    with flux.file.open("rb") as handle:
        return handle.read()


def report(ok=(), ko=None, id_flux=""):
    ko = ko or {}
    passages_ko = "".join(
        f"<passage><idTechnique>{i}</idTechnique><messageErreur>{m}</messageErreur></passage>"
        for i, m in ko.items()
    )
    passages_ok = "".join(f"<idTechnique>{i}</idTechnique>" for i in ok)
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<ns2:rapport xmlns:ns2="urn:cdc:cpf:pc5:rapport:schema">'
        f"<nomFichier>x.xml</nomFichier><idFlux>{id_flux}</idFlux><idTraitement>1</idTraitement>"
        f"<PassagesKO>{passages_ko}</PassagesKO><PassagesOK>{passages_ok}</PassagesOK>"
        "</ns2:rapport>"
    )
    return SimpleUploadedFile("compte-rendu.xml", body.encode(), content_type="text/xml")


def test_every_access_route_generates_a_valid_flux(world, staff, lyon, in_a):
    certifier()
    decisions = awards(world.centre_a, list(AccessStatus))
    flux = services.generate_flux(world.centre_a, decisions, actor=staff)
    assert flux.status == FluxStatus.GENERATED and flux.passage_count == 6
    content = _xml(flux)
    assert xml.validate(content, xml.load_schema(xml.SHIPPED_XSD)) == []
    root = etree.fromstring(content)
    modes = root.xpath("//cpf:modaliteAcces/text()", namespaces=NS)
    assert sorted(set(modes)) == [
        "CANDIDAT_LIBRE",
        "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION",
        "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION",
        "FORMATION_INITIALE_APPRENTISSAGE",
        "VAE",
    ]
    ids = root.xpath("//cpf:idTechnique/text()", namespaces=NS)
    assert sorted(ids) == sorted(id_technique(d) for d in decisions)
    assert root.findtext("cpf:idFlux", namespaces=NS) == flux.flux_id
    assert root.xpath("//cpf:dateDebutValidite/text()", namespaces=NS) == ["2026-06-15"] * 6
    assert root.findtext(".//cpf:codeInsee", namespaces=NS) == "69123"
    assert set(Passage.objects.values_list("status", flat=True)) == {PassageStatus.PENDING}
    assert len(flux.sha256) == 64
    entry = AuditEntry.objects.get(action="accrochage.flux_generated")
    assert entry.after["passages"] == 6 and entry.centre_id == world.centre_a.pk
    # declared (pending): no longer to declare
    assert not holders_to_declare(world.centre_a).exists()


def test_the_nir_is_declared_cut_to_13(world, staff, lyon, in_a):
    certifier()
    (decision,) = awards(world.centre_a)
    with_nir(decision, "290056912345678")
    flux = services.generate_flux(world.centre_a, [decision.pk], actor=staff)
    nir = etree.fromstring(_xml(flux)).findtext(".//cpf:nir", namespaces=NS)
    assert nir == "2900569123456"


def test_missing_certifier_account_is_refused(world, staff, lyon, in_a):
    decisions = awards(world.centre_a)
    with pytest.raises(AccrochageError) as exc:
        services.generate_flux(world.centre_a, decisions, actor=staff)
    assert exc.value.code == "no_certifier_account"
    assert "compte certificateur" in str(exc.value.message)
    assert not Flux.objects.exists()


def test_holders_lacking_data_are_listed_and_nothing_saved(world, staff, in_a):
    certifier()
    decisions = awards(world.centre_a, [AccessStatus.EMPLOYEE, AccessStatus.VAE], sex="X")
    with pytest.raises(AccrochageError) as exc:
        services.generate_flux(world.centre_a, decisions, actor=staff)
    message = str(exc.value.message)
    assert exc.value.code == "holder_data_missing"
    assert "2 titulaires" in message
    for decision in decisions:
        assert decision.dossier.candidate.birth_name.upper() in message
    assert "sexe" in message and "code INSEE de la commune de naissance" in message
    assert not Flux.objects.exists() and not Passage.objects.exists()


def test_a_cqpm_without_rncp_number_is_refused(world, staff, lyon, in_a):
    certifier()
    decisions = awards(world.centre_a)
    with scopes_disabled():
        type(decisions[0].dossier.referential_version.qualification).objects.update(rncp_code="")
    with pytest.raises(AccrochageError) as exc:
        services.generate_flux(world.centre_a, decisions, actor=staff)
    assert "numéro de fiche RNCP du CQPM" in str(exc.value.message)


def test_only_whole_cqpm_awards_are_to_declare(world, staff, lyon, in_a):
    certifier()
    awarded = awards(world.centre_a)
    partial = awards(world.centre_a, outcome=Outcome.PARTIAL)
    revoked = awards(world.centre_a)
    revoke(revoked[0])
    assert list(holders_to_declare(world.centre_a)) == awarded
    with pytest.raises(AccrochageError) as exc:
        services.generate_flux(world.centre_a, partial, actor=staff)
    assert exc.value.code == "not_declarable"


def test_deadline_and_overdue(world, in_a):
    awards(world.centre_a, year=2026, month=6)
    awards(world.centre_a, year=2026, month=10)
    today = datetime.date(2026, 12, 3)
    rows = {r.jury_day.month: r.overdue for r in holders_to_declare(world.centre_a, today=today)}
    assert rows == {6: True, 10: False}
    assert overdue_count(world.centre_a, today=today) == 1


def test_report_marks_passages_accepted_and_rejected(world, staff, lyon, in_a):
    certifier()
    first, second = awards(world.centre_a, [AccessStatus.EMPLOYEE, AccessStatus.VAE])
    flux = services.generate_flux(world.centre_a, [first, second], actor=staff)
    ok, ko = id_technique(first), id_technique(second)
    flux = services.import_report(
        flux, report([ok], {ko: "Aucun titulaire ne correspond"}, flux.flux_id), actor=staff
    )
    assert flux.status == FluxStatus.REPORT_IMPORTED
    assert (flux.accepted_count, flux.rejected_count) == (1, 1)
    statuses = dict(Passage.objects.values_list("id_technique", "status"))
    assert statuses == {ok: PassageStatus.ACCEPTED, ko: PassageStatus.REJECTED}
    assert Passage.objects.get(id_technique=ko).error_message == "Aucun titulaire ne correspond"
    assert AuditEntry.objects.filter(action="accrochage.report_imported").count() == 1
    # the rejected holder is to declare again, the accepted one is not
    assert list(holders_to_declare(world.centre_a)) == [second]


def test_a_report_naming_an_unknown_passage_is_refused_whole(world, staff, lyon, in_a):
    certifier()
    (decision,) = awards(world.centre_a)
    flux = services.generate_flux(world.centre_a, [decision], actor=staff)
    with pytest.raises(AccrochageError) as exc:
        services.import_report(flux, report([id_technique(decision), "PARCH-9-999"]), actor=staff)
    assert exc.value.code == "report_unknown_passage"
    assert "PARCH-9-999" in str(exc.value.message)
    flux.refresh_from_db()
    assert flux.status == FluxStatus.GENERATED
    assert Passage.objects.get().status == PassageStatus.PENDING


def test_a_report_of_another_flux_or_not_a_report_is_refused(world, staff, lyon, in_a):
    certifier()
    (decision,) = awards(world.centre_a)
    flux = services.generate_flux(world.centre_a, [decision], actor=staff)
    with pytest.raises(AccrochageError) as exc:
        services.import_report(flux, report([id_technique(decision)], id_flux="AUTRE"), actor=staff)
    assert exc.value.code == "report_other_flux"
    for body in (b"pas du xml", b"<rapport><idFlux>x</idFlux></rapport>"):
        with pytest.raises(AccrochageError) as exc:
            services.import_report(flux, SimpleUploadedFile("r.xml", body), actor=staff)
        assert exc.value.code == "report_invalid"


def test_a_rejected_passage_is_sent_again_alone(world, staff, lyon, in_a):
    certifier()
    first, second, third = awards(world.centre_a, [AccessStatus.EMPLOYEE] * 3)
    flux = services.generate_flux(world.centre_a, [first, second, third], actor=staff)
    services.import_report(
        flux,
        report([id_technique(first), id_technique(third)], {id_technique(second): "Nom inconnu"}),
        actor=staff,
    )
    again = services.resend_rejected(flux, actor=staff)
    assert again.pk != flux.pk and again.passage_count == 1
    ids = etree.fromstring(_xml(again)).xpath("//cpf:idTechnique/text()", namespaces=NS)
    assert ids == [id_technique(second)]  # the same idTechnique, alone
    assert again.passages.get().status == PassageStatus.PENDING
    # sent again: nothing left to re-send from the first flux
    with pytest.raises(AccrochageError) as exc:
        services.resend_rejected(flux, actor=staff)
    assert exc.value.code == "nothing_to_resend"


def test_a_revoked_award_produces_a_suppression_in_the_next_flux(world, staff, lyon, in_a):
    certifier()
    declared, other = awards(world.centre_a, [AccessStatus.EMPLOYEE, AccessStatus.VAE])
    flux = services.generate_flux(world.centre_a, [declared], actor=staff)
    services.import_report(flux, report([id_technique(declared)]), actor=staff)
    revoke(declared)
    assert list(suppressions_owed(world.centre_a)) == [declared]
    following = services.generate_flux(world.centre_a, [other], actor=staff)
    passages = {p.id_technique: p.action for p in following.passages.all()}
    assert passages == {
        id_technique(other): PassageAction.CREATION,
        id_technique(declared): PassageAction.SUPPRESSION,
    }
    content = _xml(following)
    assert xml.validate(content) == []
    root = etree.fromstring(content)
    actions = {
        p.findtext("cpf:idTechnique", namespaces=NS): p.findtext("cpf:action", namespaces=NS)
        for p in root.iterfind(".//cpf:passageCertification", NS)
    }
    assert actions[id_technique(declared)] == "SUPPRESSION"
    assert not suppressions_owed(world.centre_a).exists()


def test_a_revoked_award_never_accepted_owes_no_suppression(world, staff, lyon, in_a):
    certifier()
    (decision,) = awards(world.centre_a)
    services.generate_flux(world.centre_a, [decision], actor=staff)
    revoke(decision)
    assert not suppressions_owed(world.centre_a).exists()


def test_only_centre_staff_generate(world, lyon, in_a):
    certifier()
    decisions = awards(world.centre_a)
    for who in (world.user("assessor"), world.user("staff", side="b")):
        with pytest.raises(AccrochageError) as exc:
            services.generate_flux(world.centre_a, decisions, actor=build_actor(who))
        assert exc.value.code == "permission_denied"


def test_the_certifier_account_is_set_by_the_national_administrator(world):
    with pytest.raises(AccrochageError):
        services.set_certifier_account(
            actor=world.user("centre_admin"),
            client_id="UIMM0001",
            contract_id="C1",
            nature="CERTIFICATEUR",
        )
    account = services.set_certifier_account(
        actor=world.national_admin, client_id="UIMM0001", contract_id="C1", nature="CERTIFICATEUR"
    )
    assert account.emitter == "UIMM0001"
    again = services.set_certifier_account(
        actor=world.national_admin,
        client_id="UIMM0001",
        contract_id="C2",
        nature="TIERS_CONFIANCE",
        emitter_client_id="TIERS001",
    )
    assert again.pk == account.pk and again.version == 2 and again.emitter == "TIERS001"
    assert AuditEntry.objects.filter(action="accrochage.certifier_account_set").count() == 2


def test_a_large_selection_is_built_by_the_task(
    world, staff, lyon, in_a, django_capture_on_commit_callbacks
):
    certifier()
    decisions = awards(world.centre_a, [AccessStatus.EMPLOYEE] * 3)
    with django_capture_on_commit_callbacks(execute=True):
        flux = services.request_flux(world.centre_a, decisions, actor=staff)
    flux.refresh_from_db()
    assert flux.status == FluxStatus.GENERATED and flux.progress == 100
    assert flux.passage_count == 3
    assert xml.validate(_xml(flux)) == []


def test_a_task_refusal_is_kept_on_the_flux(world, staff, in_a, django_capture_on_commit_callbacks):
    certifier()
    decisions = awards(world.centre_a)  # no commune code: refused by the task
    with django_capture_on_commit_callbacks(execute=True):
        flux = services.request_flux(world.centre_a, decisions, actor=staff)
    flux.refresh_from_db()
    assert flux.status == FluxStatus.FAILED
    assert "code INSEE de la commune de naissance" in flux.error
    assert not flux.passages.exists()


def test_a_holder_declared_meanwhile_is_not_declared_twice(world, staff, lyon, in_a, monkeypatch):
    """Two staff generate for the same holder at once: the second file is refused when it is
    written, nothing of it is saved."""
    certifier()
    (decision,) = awards(world.centre_a)
    compose = services._compose

    def concurrent(*args, **kwargs):
        result = compose(*args, **kwargs)
        monkeypatch.setattr(services, "_compose", compose)
        services.generate_flux(world.centre_a, [decision], actor=staff)  # the other request
        return result

    monkeypatch.setattr(services, "_compose", concurrent)
    with pytest.raises(AccrochageError) as exc:
        services.generate_flux(world.centre_a, [decision], actor=staff)
    assert exc.value.code == "declared_meanwhile"
    assert Flux.objects.count() == 1 and Passage.objects.count() == 1


def test_a_pending_flux_shows_its_progress_and_a_lost_job_is_sent_again(
    world, staff, lyon, in_a, client, monkeypatch
):
    certifier()
    decisions = awards(world.centre_a)
    sent = []
    monkeypatch.setattr(services, "enqueue_build", lambda pk: sent.append(pk) or True)
    flux = services.request_flux(world.centre_a, decisions, actor=staff)
    Flux.objects.filter(pk=flux.pk).update(progress=40)
    client.force_login(world.user("staff"))
    page = client.get(f"/accrochage/flux/{flux.pk}/").content.decode()
    assert "Fichier en préparation : 40 %" in page and 'http-equiv="refresh"' in page
    assert sent == []  # not stale yet
    Flux.objects.filter(pk=flux.pk).update(
        created_at=flux.created_at - datetime.timedelta(minutes=11)
    )
    client.get(f"/accrochage/flux/{flux.pk}/")
    assert sent == [flux.pk]
