"""Referential pages: catalogue, referential, criteria search, print view (public)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from cqpm.models import Qualification, ReferentialVersion
from tests.factories import UserFactory

from .factories import SEED_SLUG, load_small, seed_document

pytestmark = pytest.mark.django_db

CONDITIONAL = "Uniquement en cas d'accueil de personnes en situation de handicap déclaré"


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _li_containing(html: str, text: str) -> str:
    """The opening tag and content of the <li> holding ``text``."""
    match = re.search(r"<li class=\"[^\"]*\">(?:(?!</li>).)*" + re.escape(text), html, re.S)
    assert match, text
    return match.group(0)


class TestCatalogue:
    def test_lists_the_cqpm_with_unknown_codes_and_versions(self, client, referential):
        html = html_of(client.get(reverse("cqpm:catalogue")))
        assert "Manager de secteur d&#x27;activités" in html
        assert html.count('<span class="unknown">à renseigner</span>') == 3  # code, RNCP, level
        assert reverse("cqpm:referential", kwargs={"slug": SEED_SLUG}) in html
        assert reverse("cqpm:version", kwargs={"slug": SEED_SLUG, "number": 1}) in html
        assert "Publiée" in html

    def test_filled_codes_are_shown(self, client, referential):
        Qualification.objects.filter(pk=referential.qualification_id).update(
            code="MQ 2019 07", rncp_code="RNCP34000", level="5"
        )
        html = html_of(client.get(reverse("cqpm:catalogue")))
        assert "MQ 2019 07" in html and "RNCP34000" in html
        assert "à renseigner" not in html

    def test_search(self, client, referential):
        load_small(slug="soudage", title="Soudeur industriel")
        html = html_of(client.get(reverse("cqpm:catalogue"), {"q": "soudeur"}))
        assert "Soudeur industriel" in html and "Manager de secteur" not in html
        html = html_of(client.get(reverse("cqpm:catalogue"), {"q": "introuvable"}))
        assert "Aucun CQPM ne correspond" in html

    def test_drafts_are_shown_to_national_administrators_only(self, client, referential):
        load_small(slug="brouillon", title="CQPM en préparation", status="draft")
        html = html_of(client.get(reverse("cqpm:catalogue")))
        assert "CQPM en préparation" in html  # the CQPM itself is listed…
        assert "Aucune version publiée." in html  # …without its draft
        client.force_login(UserFactory(is_national_admin=True))
        html = html_of(client.get(reverse("cqpm:catalogue")))
        assert "Brouillon" in html

    @pytest.mark.parametrize("extra", [0, 6])
    def test_query_count_is_constant(self, client, django_assert_num_queries, extra):
        for i in range(extra):
            load_small(slug=f"cqpm-{i}", title=f"CQPM {i}", version=1)
            load_small(slug=f"cqpm-{i}", title=f"CQPM {i}", version=2)
        load_small()
        # count + page of qualifications + their versions
        with django_assert_num_queries(3):
            client.get(reverse("cqpm:catalogue"))


class TestReferentialPage:
    def test_shows_the_whole_tree(self, client, referential):
        html = html_of(client.get(reverse("cqpm:referential", kwargs={"slug": SEED_SLUG})))
        document = seed_document()
        for bloc in document["blocs"]:
            assert f'id="bloc-{bloc["code"]}"' in html
            for competence in bloc["competences"]:
                assert f'id="competence-{competence["code"]}"' in html
                assert f"{competence['code']}</span> Compétence {competence['number']}" in html
        for heading in (
            "En matière de méthodes utilisées :",
            "En matière de moyens utilisés :",
            "En matière de liens professionnels / relationnels :",
            "En matière de contraintes liées au milieu et à l&#x27;environnement de travail :",
        ):
            assert html.count(heading) == 8
        assert html.count("criterion criterion-conditional") == 10
        assert html.count(CONDITIONAL) == 10
        assert html.count("Résultats attendus") == 8
        assert "Le retour d&#x27;expérience est caractérisé qualitativement" in html
        assert "Les fondamentaux de la GPEC" in html
        assert "La stratégie de l&#x27;entreprise est connue" in html  # a condition
        assert "Évaluation en situation professionnelle réelle" in html
        assert "rapport écrit à remettre" in html
        assert "valable 24 mois, un bloc acquis 60 mois" in html
        assert html.count('<span class="unknown">à renseigner</span>') >= 5  # + 3 bloc codes

    def test_a_conditional_criterion_is_marked_and_an_ordinary_one_is_not(
        self, client, referential
    ):
        html = html_of(client.get(reverse("cqpm:referential", kwargs={"slug": SEED_SLUG})))
        conditional = _li_containing(html, "Le cas échéant, le service de sécurité de l&#x27;entr")
        assert 'class="criterion criterion-conditional"' in conditional
        assert CONDITIONAL in conditional
        ordinary = _li_containing(
            html, "Toute situation évaluée dangereuse donne lieu à une alerte"
        )
        assert ordinary.startswith('<li class="criterion">')
        assert CONDITIONAL not in ordinary

    def test_both_titles_of_a_competence_are_shown_when_they_differ(self, client, referential):
        html = html_of(client.get(reverse("cqpm:referential", kwargs={"slug": SEED_SLUG})))
        assert "Optimiser le fonctionnement du secteur face aux aléas et aux événements" in html
        assert (
            "Intitulé au référentiel de compétences : Optimiser le fonctionnement de son "
            "secteur face aux aléas et événements"
        ) in html
        assert html.count("Intitulé au référentiel de compétences") == 1

    def test_links_to_search_print_and_export(self, client, referential):
        html = html_of(client.get(reverse("cqpm:version", kwargs={"slug": SEED_SLUG, "number": 1})))
        kwargs = {"slug": SEED_SLUG, "number": 1}
        assert reverse("cqpm:criteria", kwargs=kwargs) in html
        assert reverse("cqpm:print", kwargs=kwargs) in html
        export = reverse("api:referential-version-export", kwargs={"pk": referential.pk})
        assert f'{export}?format=json" download' in html
        # What the browser downloads is the JSON document, not the browsable API page.
        response = client.get(f"{export}?format=json", HTTP_ACCEPT="text/html,*/*")
        assert response["Content-Type"] == "application/json"
        assert response.json()["qualification"]["slug"] == SEED_SLUG

    def test_latest_published_version_and_explicit_versions(self, client, referential):
        v2 = load_small(slug=SEED_SLUG, version=2, status="published", title="ignoré")
        load_small(slug=SEED_SLUG, version=3, status="draft")
        html = html_of(client.get(reverse("cqpm:referential", kwargs={"slug": SEED_SLUG})))
        assert "Référentiel, version 2" in html and v2.number == 2
        assert "Autres versions" in html
        html = html_of(client.get(reverse("cqpm:version", kwargs={"slug": SEED_SLUG, "number": 1})))
        assert "Référentiel, version 1" in html
        # A draft is hidden from the public, shown to national administrators.
        draft_url = reverse("cqpm:version", kwargs={"slug": SEED_SLUG, "number": 3})
        assert client.get(draft_url).status_code == 404
        client.force_login(UserFactory(is_national_admin=True))
        assert "Brouillon en cours de rédaction" in html_of(client.get(draft_url))

    def test_archived_version_is_flagged(self, client, referential):
        ReferentialVersion.objects.filter(pk=referential.pk).update(status="archived")
        url = reverse("cqpm:version", kwargs={"slug": SEED_SLUG, "number": 1})
        assert "Version archivée" in html_of(client.get(url))
        # No published version left: the "latest published" URL is a 404.
        assert (
            client.get(reverse("cqpm:referential", kwargs={"slug": SEED_SLUG})).status_code == 404
        )

    def test_unknown_referential_or_version(self, client, referential):
        assert (
            client.get(reverse("cqpm:referential", kwargs={"slug": "inconnu"})).status_code == 404
        )
        url = reverse("cqpm:version", kwargs={"slug": SEED_SLUG, "number": 9})
        assert client.get(url).status_code == 404

    @pytest.mark.parametrize("size", ["small", "seed"])
    def test_query_count_is_constant(self, client, django_assert_num_queries, size, request):
        if size == "seed":
            request.getfixturevalue("referential")
            slug = SEED_SLUG
        else:
            slug = load_small(criteria_per_competence=1).qualification.slug
        # version + modalities, blocs, competences, 4 item kinds + other versions
        with django_assert_num_queries(9):
            html_of(client.get(reverse("cqpm:version", kwargs={"slug": slug, "number": 1})))


class TestPrintView:
    def test_print_view_has_the_whole_referential_and_a_print_button(self, client, referential):
        url = reverse("cqpm:print", kwargs={"slug": SEED_SLUG, "number": 1})
        html = html_of(client.get(url))
        assert 'class="cqpm-print"' in html
        assert "data-print" in html and "cqpm/cqpm.js" in html
        assert "css/cqpm.css" in html
        assert html.count('class="cqpm-competence"') == 8
        assert html.count(CONDITIONAL) == 10
        assert "<script>" not in html  # no inline script (CSP)

    def test_print_stylesheet_is_a4_friendly(self):
        css = (Path(settings.BASE_DIR) / "static" / "css" / "cqpm.css").read_text()
        assert "size: A4" in css
        assert "@media print" in css and "break-inside: avoid" in css

    def test_query_count(self, client, referential, django_assert_num_queries):
        with django_assert_num_queries(8):
            client.get(reverse("cqpm:print", kwargs={"slug": SEED_SLUG, "number": 1}))


class TestCriteriaSearch:
    @staticmethod
    def search(client, **params):
        url = reverse("cqpm:criteria", kwargs={"slug": SEED_SLUG, "number": 1})
        return html_of(client.get(url, params))

    def test_accents_and_case_are_ignored_and_matches_highlighted(self, client, referential):
        html = self.search(client, q="SECURITE")
        count = int(re.search(r"(\d+) critères trouvés", html).group(1))
        assert count == 12
        assert "<mark>sécurité</mark>" in html
        assert "Toute situation évaluée dangereuse" not in html

    def test_every_word_must_be_present(self, client, referential):
        html = self.search(client, q="handicap déclaré tâches")
        assert "1 critère trouvé" in html
        assert "<mark>tâches</mark>" in html and "<mark>handicap</mark>" in html
        assert CONDITIONAL in html

    def test_filters_by_category_and_competence(self, client, referential):
        html = self.search(client, category="constraints", competence="C1")
        assert "5 critères trouvés" in html
        assert html.count("Contraintes liées au milieu") >= 5
        html = self.search(client, q="sécurité", competence="C4")
        assert "2 critères trouvés" in html
        # Unknown filter values are ignored, not errors.
        html = self.search(client, category="foo", competence="C99")
        assert "103 critères trouvés" in html

    def test_pagination(self, client, referential):
        first = self.search(client)
        assert "Page 1 sur 5" in first and "page=2" in first
        last = self.search(client, page=5)
        assert "Page 5 sur 5" in last
        assert last.count('<li class="card criterion') == 3
        # The search and filters are kept from page to page.
        kept = self.search(client, q="sont", category="", page=2)
        assert "60 critères trouvés" in kept and "Page 2 sur 3" in kept
        assert "?q=sont&amp;category=&amp;page=3" in kept

    def test_query_is_escaped(self, client, referential):
        html = self.search(client, q="<script>alert(1)</script>")
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;" in html
        assert "Aucun critère ne correspond à cette recherche." in html

    @pytest.mark.parametrize("size", ["small", "seed"])
    def test_query_count_is_constant(self, client, django_assert_num_queries, size, request):
        if size == "seed":
            request.getfixturevalue("referential")
            slug = SEED_SLUG
        else:
            slug = load_small(criteria_per_competence=1).qualification.slug
        url = reverse("cqpm:criteria", kwargs={"slug": slug, "number": 1})
        # version, competences, count, page of criteria
        with django_assert_num_queries(4):
            html_of(client.get(url, {"q": "securite"}))
