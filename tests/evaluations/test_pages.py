"""The evaluation pages: the grid (content, confidentiality, query counts), declarations,
signing, reopening, the avis, the session pages, home sections and the dossier section."""

import pytest
from django.urls import reverse

from candidates.models import AccessStatus, Accommodation
from evaluations import services
from evaluations.models import ConflictDeclaration, GridStatus, LinkKind, OpinionStatus

from .factories import (
    agreed_dossier,
    complete,
    referential,
    seated_session,
    sign_by_all,
    statement_for,
)


def _html(response):
    return response.content.decode()


def test_grid_page_shows_the_grid_and_only_the_accommodation_to_apply(
    client, world, grid, assessors
):
    Accommodation.objects.create(
        centre=world.centre_a,
        dossier=grid.dossier,
        needs="Trouble auditif — certificat médical",
        to_apply="Consignes écrites ; tiers-temps",
    )
    client.force_login(assessors[0])
    response = client.get(reverse("evaluations:grid", args=[grid.pk]))
    html = _html(response)
    assert response.status_code == 200
    assert "Consignes écrites ; tiers-temps" in html
    assert "Trouble auditif" not in html and "certificat" not in html
    assert html.count('class="toggle toggle-satisfied"') == 4
    assert html.count("Non applicable") >= 4
    assert "Uniquement en cas d'accueil de personnes en situation de handicap déclaré" in html
    assert "Méthodes utilisées" in html and "Résultats attendus" in html
    assert 'data-editable="true"' in html
    assert "js/grid.js" in html and "<script>" not in html  # no inline script
    assert "Proposition de la commission" in html


def test_staff_read_the_grid_without_editing(client, world, grid):
    client.force_login(world.user("staff"))
    html = _html(client.get(reverse("evaluations:grid", args=[grid.pk])))
    assert 'data-editable="false"' in html and "disabled" in html


def test_member_without_declaration_is_sent_to_it(client, world, version, assessors):
    dossier = agreed_dossier(world.centre_a, version, company=world.company_a)
    session = seated_session(world, [dossier], assessors=assessors, declared=False)
    grid = dossier.grids.first()
    client.force_login(assessors[0])
    response = client.get(reverse("evaluations:grid", args=[grid.pk]))
    url = reverse("evaluations:declaration", args=[session.pk, dossier.pk])
    assert response.status_code == 302 and response["Location"].startswith(url)
    # a statement without the candidate's name is refused on the form
    response = client.post(
        url, {"declared_link": "none", "statement": "Je déclare n'avoir aucun lien."}
    )
    assert response.status_code == 200
    assert "nom complet du candidat" in _html(response)
    assert not ConflictDeclaration.objects.exists()
    next_url = reverse("evaluations:grid", args=[grid.pk])
    response = client.post(
        url, {"declared_link": "none", "statement": statement_for(dossier), "next": next_url}
    )
    assert response.status_code == 302 and response["Location"] == next_url
    assert client.get(next_url).status_code == 200


def test_declared_link_refuses_the_grid_with_the_reason(client, world, version, assessors):
    dossier = agreed_dossier(world.centre_a, version, company=world.company_a)
    session = seated_session(world, [dossier], assessors=assessors, declared=False)
    client.force_login(assessors[0])
    url = reverse("evaluations:declaration", args=[session.pk, dossier.pk])
    response = client.post(
        url, {"declared_link": LinkKind.TRAINER, "link_details": "Formation 2024"}, follow=True
    )
    assert "formé ou encadré" in _html(response)
    response = client.get(reverse("evaluations:grid", args=[dossier.grids.first().pk]))
    assert response.status_code == 403 and "formé ou encadré" in _html(response)


def test_sign_page_then_lock(client, world, grid, assessors):
    complete(grid, assessors[0])
    url = reverse("evaluations:grid_sign", args=[grid.pk])
    for user in assessors:
        client.force_login(user)
        assert "Je signe la grille" in _html(client.get(url))
        assert client.post(url).status_code == 302
    grid.refresh_from_db()
    assert grid.status == GridStatus.SIGNED
    html = _html(client.get(reverse("evaluations:grid", args=[grid.pk])))
    assert 'data-editable="false"' in html and "verrouillée" in html


def test_sign_page_lists_what_is_missing(client, grid, assessors):
    client.force_login(assessors[0])
    html = _html(client.get(reverse("evaluations:grid_sign", args=[grid.pk])))
    assert "ne sont pas encore évalués" in html and "Je signe la grille" not in html


def test_reopen_page_asks_a_reason(client, world, grid, assessors):
    complete(grid, assessors[0])
    sign_by_all(grid, assessors)
    client.force_login(world.user("staff"))
    url = reverse("evaluations:grid_reopen", args=[grid.pk])
    html = _html(client.get(url))
    assert "data-confirm" in html and "Motif" in html
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "Critère mal saisi"}).status_code == 302
    grid.refresh_from_db()
    assert grid.status == GridStatus.REOPENED


@pytest.mark.parametrize("criteria", [10, 30])
def test_grid_page_costs_the_same_for_10_and_30_criteria(
    client, world, assessors, criteria, django_assert_num_queries
):
    version = referential(criteria=criteria, competences=1)
    dossier = agreed_dossier(world.centre_a, version, company=world.company_a)
    seated_session(world, [dossier], assessors=assessors)
    grid = dossier.grids.get()
    complete(grid, assessors[0])
    client.force_login(assessors[0])
    url = reverse("evaluations:grid", args=[grid.pk])
    client.get(url)
    with django_assert_num_queries(GRID_PAGE_QUERIES):
        response = client.get(url)
    assert _html(response).count('class="criterion"') == criteria


GRID_PAGE_QUERIES = 12
SESSION_LIST_QUERIES = 5
OPINION_LIST_QUERIES = 5


@pytest.mark.parametrize("rows", [1, 30])
def test_session_list_query_count(
    client, world, version, assessors, rows, django_assert_num_queries
):
    for _ in range(rows):
        seated_session(world, [], assessors=assessors)
    client.force_login(world.user("staff"))
    url = reverse("evaluations:session_list") + "?q=atelier"
    client.get(url)
    with django_assert_num_queries(SESSION_LIST_QUERIES):
        response = client.get(url)
    assert _html(response).count("Session d&#x27;essai") == min(rows, 25)


@pytest.mark.parametrize("rows", [1, 30])
def test_opinion_list_query_count(client, world, version, rows, django_assert_num_queries):
    for _ in range(rows):
        agreed_dossier(world.centre_a, version, company=world.company_a)
    client.force_login(world.user("company_rep"))
    url = reverse("evaluations:opinion_list")
    client.get(url)
    with django_assert_num_queries(OPINION_LIST_QUERIES):
        response = client.get(url)
    assert _html(response).count("À donner") == min(rows, 25)


def test_session_page_for_staff_and_members(client, world, session, dossier, assessors):
    client.force_login(world.user("staff"))
    html = _html(client.get(reverse("evaluations:session_detail", args=[session.pk])))
    assert dossier.candidate.full_name in html
    assert "Ajouter à la commission" in html and "signée" in html
    client.force_login(assessors[0])
    html = _html(client.get(reverse("evaluations:session_detail", args=[session.pk])))
    assert "Ajouter à la commission" not in html
    assert reverse("evaluations:grid", args=[dossier.grids.first().pk]) in html


def test_a_dossier_is_offered_for_removal_only_until_it_is_scored(
    client, world, session, dossier, grid, assessors
):
    remove_url = reverse("evaluations:session_remove_dossier", args=[session.pk, dossier.pk])
    client.force_login(world.user("staff"))
    assert remove_url in _html(client.get(reverse("evaluations:session_detail", args=[session.pk])))
    score = grid.scores.select_related("criterion").first()
    services.score_criterion(
        grid, score.criterion, "satisfied", expected_version=score.version, actor=assessors[0]
    )
    html = _html(client.get(reverse("evaluations:session_detail", args=[session.pk])))
    assert dossier.candidate.full_name in html
    assert remove_url not in html  # the service would refuse it


def test_session_create_page(client, world):
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("evaluations:session_create"),
        {"starts_at": "2030-03-04T09:00", "place": "Atelier", "modality": "real_work"},
    )
    assert response.status_code == 302
    html = _html(client.get(response["Location"]))
    assert "lundi 4 mars 2030 à 09h00" in html


# --- the company's avis --------------------------------------------------------------------


def test_company_rep_gives_and_signs_the_avis(client, world, dossier):
    client.force_login(world.user("company_rep"))
    url = reverse("evaluations:opinion", args=[dossier.pk])
    html = _html(client.get(url))
    assert "Favorable" in html and "Réservé" in html and "Défavorable" in html
    data = {"author_capacity": "tutor", "general_comment": "Très impliquée", "action": "sign"}
    rows = list(dossier.competences.all())
    data[f"value_{rows[0].competence_id}"] = "favourable"
    response = client.post(url, data, follow=True)
    html = _html(response)
    assert "non signé" in html and "Donnez votre avis sur chaque compétence" in html
    assert dossier.company_opinion.status == OpinionStatus.DRAFT  # the draft is kept
    version = response.context["form"]["version"].value()
    assert version == dossier.company_opinion.version
    for row in rows:
        data[f"value_{row.competence_id}"] = "favourable"
    data["version"] = version
    assert client.post(url, data).status_code == 302
    dossier.company_opinion.refresh_from_db()
    assert dossier.company_opinion.status == OpinionStatus.SIGNED


def test_vae_avis_page_refuses(client, world, version):
    vae = agreed_dossier(world.centre_a, version, route=AccessStatus.VAE)
    client.force_login(world.user("staff"))
    html = _html(client.get(reverse("evaluations:opinion", args=[vae.pk])))
    assert "Un dossier VAE n&#x27;a pas d&#x27;avis de l&#x27;entreprise." in html
    response = client.post(
        reverse("evaluations:opinion_unavailable", args=[vae.pk]), {"reason": "x"}
    )
    assert response.status_code == 200 and "VAE" in _html(response)
    assert not hasattr(vae, "company_opinion") or vae.company_opinion is None


def test_staff_record_an_unavailable_avis(client, world, dossier):
    client.force_login(world.user("staff"))
    url = reverse("evaluations:opinion_unavailable", args=[dossier.pk])
    assert client.post(url, {"reason": "Tuteur parti"}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.company_opinion.status == OpinionStatus.UNAVAILABLE


# --- home and dossier sections ----------------------------------------------------------


def test_assessor_home_lists_sessions_and_grids(client, session, dossier, assessors):
    grid = dossier.grids.order_by("competence__number").first()
    complete(grid, assessors[1])
    client.force_login(assessors[0])
    html = _html(client.get(reverse("home")))
    assert "Mes évaluations" in html and "aujourd'hui" in html
    assert reverse("evaluations:grid_sign", args=[grid.pk]) in html  # to sign
    other = dossier.grids.exclude(pk=grid.pk).get()
    assert reverse("evaluations:grid", args=[other.pk]) in html  # to finish


def test_company_home_lists_the_avis_to_give(client, world, session, dossier):
    client.force_login(world.user("company_rep"))
    html = _html(client.get(reverse("home")))
    assert "Avis à donner" in html
    assert reverse("evaluations:opinion", args=[dossier.pk]) in html
    assert "0 / 2" in html


def test_dossier_page_flags_disagreements(client, world, session, dossier, assessors):
    first, second = dossier.grids.order_by("competence__number")
    complete(first, assessors[0], proposal="acquise")
    complete(second, assessors[0], proposal="non_acquise")
    sign_by_all(first, assessors)
    sign_by_all(second, assessors)
    rep = world.user("company_rep")
    opinion = services.give_opinion(
        dossier,
        actor=rep,
        items=[
            {"competence": first.competence_id, "value": "unfavourable"},
            {"competence": second.competence_id, "value": "unfavourable"},
        ],
    )
    services.sign_opinion(opinion, actor=rep)
    client.force_login(world.user("staff"))
    html = _html(client.get(reverse("candidates:dossier_detail", args=[dossier.pk])))
    assert "Évaluation et avis de l&#x27;entreprise" in html
    assert html.count("Désaccord") == 1 and html.count("Concordant") == 1
    assert "en désaccord sur 1 compétence" in html
    client.force_login(rep)
    html = _html(client.get(reverse("candidates:dossier_detail", args=[dossier.pk])))
    assert "Désaccord" not in html and "Proposition de la commission" not in html


def test_reopened_grid_shows_the_reason(client, world, grid, assessors, staff):
    complete(grid, assessors[0])
    sign_by_all(grid, assessors)
    services.reopen_grid(grid, actor=staff, reason="Critère mal saisi")
    client.force_login(assessors[0])
    html = _html(client.get(reverse("evaluations:grid", args=[grid.pk])))
    assert "Critère mal saisi" in html and 'data-editable="true"' in html
