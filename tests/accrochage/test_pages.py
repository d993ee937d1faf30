"""The accrochage pages, in French: the holders to declare, generating a file, the register,
a flux with its report and its re-sending, the certifier account; tenancy and query counts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accrochage import xml
from accrochage.holders import id_technique
from accrochage.models import CertifierAccount, Flux, FluxStatus, Passage, PassageStatus
from candidates.models import AccessStatus

from .factories import awards, certifier

pytestmark = pytest.mark.django_db


def _login(client, world, role="staff", side="a"):
    client.force_login(world.user(role, side=side))
    return client


def _report(flux, ok=(), ko=None):
    ko = ko or {}
    body = (
        f"<rapport><idFlux>{flux.flux_id}</idFlux><PassagesKO>"
        + "".join(
            f"<passage><idTechnique>{i}</idTechnique><messageErreur>{m}</messageErreur></passage>"
            for i, m in ko.items()
        )
        + "</PassagesKO><PassagesOK>"
        + "".join(f"<idTechnique>{i}</idTechnique>" for i in ok)
        + "</PassagesOK></rapport>"
    )
    return SimpleUploadedFile("cr.xml", body.encode(), content_type="text/xml")


def test_the_holders_page_lists_awards_with_their_deadline(client, world):
    awards(world.centre_a, year=2025, birth_name="ANCIEN")
    awards(world.centre_a, outcome="partial", birth_name="PARTIEL")
    response = _login(client, world).get(reverse("accrochage:holders"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "ANCIEN" in page and "PARTIEL" not in page
    assert "15/09/2025" in page  # jury 15/06/2025 + 3 months
    assert "délai dépassé" in page
    assert "les attestations de blocs de compétences ne sont pas déclarées" in page
    assert "Le compte certificateur" in page  # not set yet
    assert "Générer le fichier" in page


def test_the_holders_page_searches_without_accents(client, world):
    awards(world.centre_a, birth_name="MÉNARD")
    awards(world.centre_a, birth_name="DUPONT")
    page = _login(client, world).get(reverse("accrochage:holders") + "?q=menard").content
    assert "MÉNARD" in page.decode() and "DUPONT" not in page.decode()


def test_generating_from_the_page(client, world, lyon):
    certifier()
    decisions = awards(world.centre_a, [AccessStatus.EMPLOYEE, AccessStatus.VAE])
    response = _login(client, world).post(
        reverse("accrochage:generate"), {"decisions": [d.pk for d in decisions]}, follow=True
    )
    flux = Flux.objects.get()
    assert response.redirect_chain[-1][0] == reverse("accrochage:flux_detail", args=[flux.pk])
    page = response.content.decode()
    assert "conforme au schéma : 2 passages" in page
    assert "Importer le compte rendu" in page
    download = client.get(reverse("accrochage:flux_download", args=[flux.pk]))
    assert download["Content-Type"] == "application/xml"
    content = b"".join(download.streaming_content)
    assert xml.validate(content) == []
    assert f"{flux.flux_id}.xml" in download["Content-Disposition"]


def test_a_refusal_is_shown_on_the_holders_page(client, world):
    decisions = awards(world.centre_a)
    response = _login(client, world).post(
        reverse("accrochage:generate"), {"decisions": [d.pk for d in decisions]}, follow=True
    )
    assert "compte certificateur" in response.content.decode()
    assert not Flux.objects.exists()


def test_a_large_selection_is_prepared_in_the_background(
    client, world, lyon, settings, django_capture_on_commit_callbacks
):
    settings.ACCROCHAGE_SYNC_LIMIT = 1
    certifier()
    decisions = awards(world.centre_a, [AccessStatus.EMPLOYEE] * 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = _login(client, world).post(
            reverse("accrochage:generate"), {"decisions": [d.pk for d in decisions]}
        )
    flux = Flux.objects.get()
    assert response["Location"] == reverse("accrochage:flux_detail", args=[flux.pk])
    # the task ran in process (the embedded default): the flux is built
    assert flux.status == FluxStatus.GENERATED and flux.passage_count == 2
    page = client.get(response["Location"]).content.decode()
    assert "Télécharger le fichier (XML)" in page


def test_every_holder_of_the_list_at_once(client, world, lyon):
    certifier()
    awards(world.centre_a, [AccessStatus.EMPLOYEE] * 2, birth_name="MÉNARD")
    (other,) = awards(world.centre_a, birth_name="DUPONT")
    page = _login(client, world).get(reverse("accrochage:holders")).content.decode()
    assert "Déclarer les 3 titulaires de la liste (toutes les pages)" in page
    client.post(reverse("accrochage:generate"), {"all": "1", "q": "menard"})
    flux = Flux.objects.get()
    assert flux.passage_count == 2
    assert other.pk not in set(flux.passages.values_list("decision_id", flat=True))


def test_importing_the_report_and_resending_the_rejected(client, world, lyon):
    certifier()
    first, second = awards(world.centre_a, [AccessStatus.EMPLOYEE, AccessStatus.VAE])
    _login(client, world).post(reverse("accrochage:generate"), {"decisions": [first.pk, second.pk]})
    flux = Flux.objects.get()
    report = _report(flux, [id_technique(first)], {id_technique(second): "Titulaire inconnu"})
    response = client.post(
        reverse("accrochage:report_import", args=[flux.pk]), {"report": report}, follow=True
    )
    page = response.content.decode()
    assert "1 accepté(s), 1 rejeté(s)" in page
    assert "Titulaire inconnu" in page and "Renvoyer les rejetés" in page
    response = client.post(reverse("accrochage:resend", args=[flux.pk]), follow=True)
    again = Flux.objects.latest("id")
    assert again.pk != flux.pk
    assert list(again.passages.values_list("id_technique", flat=True)) == [id_technique(second)]
    assert "1 passage(s) rejeté(s)" in response.content.decode()


def test_a_report_with_an_unknown_passage_is_refused_on_the_page(client, world, lyon):
    certifier()
    (decision,) = awards(world.centre_a)
    _login(client, world).post(reverse("accrochage:generate"), {"decisions": [decision.pk]})
    flux = Flux.objects.get()
    response = client.post(
        reverse("accrochage:report_import", args=[flux.pk]),
        {"report": _report(flux, ["PARCH-0-0"])},
        follow=True,
    )
    assert "absent de ce flux" in response.content.decode()
    assert Passage.objects.get().status == PassageStatus.PENDING


def test_another_centres_flux_is_a_404(client, world, lyon):
    certifier()
    (decision,) = awards(world.centre_a)
    _login(client, world).post(reverse("accrochage:generate"), {"decisions": [decision.pk]})
    flux = Flux.objects.get()
    client.logout()
    other = _login(client, world, side="b")
    for name in ("accrochage:flux_detail", "accrochage:flux_download"):
        assert other.get(reverse(name, args=[flux.pk])).status_code == 404
    response = other.post(
        reverse("accrochage:report_import", args=[flux.pk]), {"report": _report(flux)}
    )
    assert response.status_code == 404
    assert flux.flux_id not in other.get(reverse("accrochage:flux_list")).content.decode()


def test_the_national_administrator_sets_the_certifier_account(client, world):
    _login(client, world, "national_admin")
    url = reverse("accrochage:certifier_account")
    response = client.post(
        url, {"client_id": "court", "contract_id": "C1", "nature": "CERTIFICATEUR"}
    )
    assert response.status_code == 200 and not CertifierAccount.objects.exists()
    response = client.post(
        url,
        {"client_id": "UIMM0001", "contract_id": "C1", "nature": "TIERS_CONFIANCE"},
        follow=True,
    )
    assert "Le compte certificateur est enregistré." in response.content.decode()
    account = CertifierAccount.objects.get()
    assert (account.client_id, account.nature) == ("UIMM0001", "TIERS_CONFIANCE")


def test_overdue_holders_are_flagged_on_the_home_page(client, world):
    awards(world.centre_a, year=2025)
    awards(world.centre_a, year=datetime.date.today().year + 1)
    page = _login(client, world).get(reverse("home")).content.decode()
    assert "1 titulaire n'est pas déclaré à la Caisse des Dépôts" in page
    assert "1 titulaire à déclarer dans le délai." in page
    juror_page = _login(client, world, "juror").get(reverse("home")).content.decode()
    assert "Caisse des Dépôts" not in juror_page


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_the_lists_cost_the_same_queries_with_few_and_many_rows(
    client, world, lyon, django_assert_num_queries
):
    certifier()
    _login(client, world)
    awards(world.centre_a)
    decisions = awards(world.centre_a, [AccessStatus.EMPLOYEE] * 2)
    client.post(reverse("accrochage:generate"), {"decisions": [decisions[0].pk]})
    first = Flux.objects.get()
    urls = [
        reverse("accrochage:holders"),
        reverse("accrochage:flux_list"),
        reverse("accrochage:flux_detail", args=[first.pk]),
    ]
    few = {url: _count(client, url) for url in urls}
    more = awards(world.centre_a, [AccessStatus.VAE] * 6)
    client.post(reverse("accrochage:generate"), {"decisions": [d.pk for d in more[:4]]})
    client.post(reverse("accrochage:generate"), {"decisions": [decisions[1].pk]})
    urls[2] = reverse("accrochage:flux_detail", args=[Flux.objects.order_by("id")[1].pk])
    for (_url, count), many_url in zip(few.items(), urls, strict=True):
        with django_assert_num_queries(count):
            assert client.get(many_url).status_code == 200


def test_the_national_administrator_home_leads_to_the_certifier_account(client, world):
    page = _login(client, world, "national_admin").get(reverse("home")).content.decode()
    assert "Vous êtes administrateur national" in page
    assert "n'est pas renseigné : aucun centre ne peut déclarer" in page
    assert reverse("accrochage:certifier_account") in page
    certifier()
    page = client.get(reverse("home")).content.decode()
    assert "l'identifiant client UIMM0001" in page
    staff_page = _login(client, world).get(reverse("home")).content.decode()
    assert reverse("accrochage:certifier_account") not in staff_page


def test_the_holders_page_in_english(client, world, settings):
    awards(world.centre_a)
    _login(client, world)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("accrochage:holders")).content.decode()
    assert "Holders to declare" in page and "Generate the file" in page
    assert "attestations of skill blocks are not declared" in page
    assert "Titulaires à déclarer" not in page
