"""Personal data: the right-of-access export and the anonymisation after the retention
period, the certificate register staying verifiable."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from candidates import privacy
from candidates.models import (
    Accommodation,
    Candidate,
    CandidateIdentity,
    Dossier,
    DossierDocument,
    DossierEvent,
)
from centres.access import build_actor
from centres.models import AuditEntry
from core import privacy as registry
from tests.candidates.factories import CreditFactory, DossierFactory
from tests.documents.factories import issue

from .privacy_helpers import NIR, expired_candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.user("centre_admin"))
    return client


def test_export_holds_everything_about_the_candidate(admin_client, world, monkeypatch):
    candidate, dossier = expired_candidate(world.centre_a)
    CreditFactory(
        candidate=candidate,
        qualification=dossier.referential_version.qualification,
        competence=dossier.competences.first().competence,
    )
    monkeypatch.setattr(registry, "_providers", [])
    registry.register_personal_data_provider(
        lambda c, ds: {"key": "extra", "title": "Autre app", "data": {"dossiers": len(ds)}}
    )
    response = admin_client.get(reverse("centres:privacy_export", args=[candidate.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["candidate"]["birth_name"] == "OUBLIÉ"
    assert data["candidate"]["nir"] == NIR
    assert data["candidate"]["phone"] == "06 12 34 56 78"
    [exported] = data["dossiers"]
    assert exported["reference"] == dossier.reference
    assert exported["tutor_email"] == "tuteur@example.org"
    assert exported["events"][0]["reason"] == "Motif nominatif Mireille"
    assert exported["documents"][0]["name"] == "rapport.pdf"
    assert exported["accommodation"] == {"needs": "SECRET-MEDICAL", "to_apply": "Tiers temps"}
    assert len(exported["competences"]) == dossier.competences.count()
    assert len(data["credits"]) == 1
    assert data["sections"] == [{"key": "extra", "title": "Autre app", "data": {"dossiers": 1}}]
    assert AuditEntry.objects.filter(
        action="candidate.personal_data_export", subject_id=str(candidate.pk)
    ).exists()


def test_the_generic_collector_follows_rows_of_other_apps(world):
    """What evaluations/juries hold (grids → criterion scores…) is found the same way: rows
    pointing to the parents, and rows pointing to those."""
    dossier = DossierFactory(centre=world.centre_a, company=world.company_a)
    rows = registry.related_rows(type(world.company_a), [world.company_a.pk])
    assert [r["id"] for r in rows["candidates.dossier"]] == [dossier.pk]
    assert len(rows["candidates.dossiercompetence"]) == dossier.competences.count()
    assert "guardian.userobjectpermission" not in rows


def test_the_page_lists_what_is_included_and_who_may_be_anonymised(admin_client, world):
    candidate, _dossier = expired_candidate(world.centre_a)
    recent, _ = expired_candidate(world.centre_a, years_ago=1, birth_name="RÉCENT")
    page = admin_client.get(reverse("centres:privacy")).content.decode()
    assert candidate.full_name in page and recent.full_name not in page
    detail = admin_client.get(reverse("centres:privacy_candidate", args=[candidate.pk]))
    assert "commentaires des évaluateurs" in detail.content.decode()
    assert reverse("centres:privacy_anonymise", args=[candidate.pk]) in detail.content.decode()


@pytest.mark.parametrize("count", [1, 30])
def test_the_list_costs_the_same_queries(count, admin_client, world, django_assert_num_queries):
    for n in range(count):
        expired_candidate(world.centre_a, birth_name=f"ANCIEN{n}")
    # session, user, memberships, count, page
    with django_assert_num_queries(5):
        response = admin_client.get(reverse("centres:privacy"))
    assert len(response.context["page"]) == min(count, 25)


def test_anonymisation_erases_identity_and_keeps_the_register(
    admin_client, world, django_capture_on_commit_callbacks
):
    candidate, dossier = expired_candidate(world.centre_a)
    record = issue(
        world.centre_a,
        world.user("staff"),
        subject=("juries.decision", "999"),
        holder_first_name="Mireille",
        holder_last_name="Oublié",
    )
    document = DossierDocument.objects.get(dossier=dossier)
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)
    confirm = admin_client.get(reverse("centres:privacy_anonymise", args=[candidate.pk]))
    assert "Anonymiser définitivement" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("centres:privacy_anonymise", args=[candidate.pk]))
    assert response.status_code == 302

    candidate.refresh_from_db()
    assert privacy.is_anonymised(candidate)
    assert candidate.birth_name == "ANONYME" and "Mireille" not in candidate.first_names
    assert (candidate.phone, candidate.address, candidate.email) == ("", "", "")
    assert candidate.birth_date.year == 1980 and (
        candidate.birth_date.month,
        candidate.birth_date.day,
    ) == (1, 1)
    assert candidate.sex == "F"
    assert not CandidateIdentity.objects.filter(candidate=candidate).exists()
    dossier.refresh_from_db()
    assert (dossier.tutor_name, dossier.tutor_email) == ("", "")
    assert dossier.status == "closed"  # the path stays, for anonymous statistics
    assert not Accommodation.objects.filter(dossier=dossier).exists()
    assert not DossierDocument.objects.filter(dossier=dossier).exists()
    assert not storage.exists(name)  # erased after the commit
    assert set(DossierEvent.objects.filter(dossier=dossier).values_list("reason", flat=True)) == {
        ""
    }
    registered = AuditEntry.objects.get(action="candidate.register", subject_id=str(candidate.pk))
    assert registered.after == {
        "birth_name": "[anonymisé]",
        "first_names": "[anonymisé]",
        "sex": "F",
    }
    entry = AuditEntry.objects.get(action="candidate.anonymise", subject_id=str(candidate.pk))
    assert entry.actor == world.user("centre_admin") and entry.after == {"dossiers": [dossier.pk]}
    # The register is the legal record: unchanged and still verifiable.
    record.refresh_from_db()
    assert record.holder_last_name == "Oublié"
    verify = admin_client.get(reverse("verification:verify", args=[record.display_code]))
    assert verify.status_code == 200 and "OUBLIÉ" in verify.content.decode().upper()
    # A second time changes nothing.
    privacy.anonymise_candidate(candidate, actor=build_actor(world.user("centre_admin")))
    assert AuditEntry.objects.filter(action="candidate.anonymise").count() == 1


@pytest.mark.parametrize("case", ["recent", "open_dossier", "valid_credit"])
def test_not_before_the_retention_period_is_over(case, admin_client, world):
    years = 1 if case == "recent" else 10
    candidate, dossier = expired_candidate(world.centre_a, years_ago=years)
    if case == "open_dossier":
        DossierFactory(centre=world.centre_a, candidate=candidate)
    if case == "valid_credit":
        CreditFactory(
            candidate=candidate,
            qualification=dossier.referential_version.qualification,
            competence=dossier.competences.first().competence,
        )
    response = admin_client.post(
        reverse("centres:privacy_anonymise", args=[candidate.pk]), follow=True
    )
    assert "ne peut pas encore être anonymisé" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.birth_name == "OUBLIÉ"
    assert CandidateIdentity.objects.filter(candidate=candidate).exists()


def test_the_centre_setting_decides(world):
    candidate, _ = expired_candidate(world.centre_a, years_ago=4)
    assert not privacy.eligible_candidates(world.centre_a).filter(pk=candidate.pk).exists()
    world.centre_a.retention_active_months = 12
    world.centre_a.retention_archive_months = 24
    world.centre_a.save()
    assert privacy.eligible_candidates(world.centre_a).filter(pk=candidate.pk).exists()


def test_the_periodic_command(world, capsys):
    old, _ = expired_candidate(world.centre_a, birth_name="ANCIEN")
    recent, _ = expired_candidate(world.centre_a, years_ago=1, birth_name="RÉCENT")
    other, _ = expired_candidate(world.centre_b, birth_name="AILLEURS")
    call_command("anonymise_expired")
    assert "2 candidat(s) anonymisé(s) au total" in capsys.readouterr().out
    names = dict(Candidate.objects.values_list("pk", "birth_name"))
    assert names[old.pk] == "ANONYME" and names[other.pk] == "ANONYME"
    assert names[recent.pk] == "RÉCENT"
    system = AuditEntry.objects.filter(action="candidate.anonymise", subject_id=str(old.pk)).get()
    assert system.actor is None and system.centre_id == world.centre_a.pk
    assert Dossier.objects.filter(candidate=old).exists()
