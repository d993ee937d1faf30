"""Issue 14, finding 4: the grid list leaked what a conflicted assessor must not see (403 on
the grid, 200 with the proposal, its justification and its author on
``/api/v1/grids/?session=``), and so did it to a member who signed no declaration. The rule
is now in the queryset (``evaluations.access.grids_for``): every read path is walked here,
for a member who declared a link with the candidate and for one who signed nothing."""

import pytest
from django.urls import reverse

from centres.access import build_actor
from core.errors import DomainError
from evaluations import services
from evaluations.models import LinkKind, Proposal

from .factories import assessor, declare, seated_session, statement_for

JUSTIFICATION = "Justification-confidentielle-du-jury-d-evaluation"
COMMENT = "Commentaire-confidentiel-sur-le-critere"

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world, dossier):
    """A session where ``declared`` scored a criterion and proposed on the first grid;
    ``conflicted`` declared a personal link with the candidate; ``silent`` signed nothing."""
    declared = world.user("assessor")
    conflicted = assessor(world.centre_a, "assessor_linked")
    silent = assessor(world.centre_a, "assessor_silent")
    session = seated_session(
        world, [dossier], assessors=[declared, conflicted, silent], declared=False
    )
    declare(declared, session, dossier)
    with pytest.raises(DomainError):
        services.sign_declaration(
            session,
            dossier,
            actor=conflicted,
            statement=statement_for(dossier),
            declared_link=LinkKind.PERSONAL,
            link_details="Cousin",
        )
    grid = dossier.grids.order_by("competence__number").first()
    actor = build_actor(declared)
    score = grid.scores.order_by("id").first()
    services.score_criterion(
        grid, score.criterion_id, "satisfied", COMMENT, "", expected_version=1, actor=actor
    )
    grid.refresh_from_db()
    services.set_proposal(
        grid,
        Proposal.NOT_ACQUIRED,
        JUSTIFICATION,
        expected_version=grid.version,
        actor=actor,
    )
    return {
        "session": session,
        "grid": grid,
        "score": score,
        "declared": declared,
        "conflicted": conflicted,
        "silent": silent,
    }


def _api(api_client, user):
    api_client.force_authenticate(user)
    api_client.force_login(user)
    return api_client


def _leaks(content: bytes, declared=None) -> list[str]:
    """The confidential texts, and (API bodies: pages list the commission by name) the
    proposal's author."""
    text = content.decode()
    found = [s for s in (JUSTIFICATION, COMMENT) if s in text]
    if declared and (declared.get_full_name() in text or f'"{declared.username}"' in text):
        found.append("author")
    return found


def _refusal(response, who) -> bool:
    detail = response.json()["detail"]
    signing = detail.startswith("Signez d'abord votre déclaration")
    return response.status_code == 403 and (signing if who == "silent" else not signing)


def test_the_declared_member_reads_everything(api_client, scene):
    """The control: the same paths do show the data to the member who declared no link."""
    client = _api(api_client, scene["declared"])
    response = client.get(reverse("api:grid-list"), {"session": scene["session"].pk})
    assert response.json()["count"] == len(scene["session"].grids.all())
    assert JUSTIFICATION in response.content.decode()
    response = client.get(reverse("api:grid-detail", args=[scene["grid"].pk]))
    assert response.status_code == 200 and JUSTIFICATION in response.content.decode()


@pytest.mark.parametrize("who", ["conflicted", "silent"])
def test_no_api_read_path_shows_the_grid(api_client, scene, who):
    client = _api(api_client, scene[who])
    session, grid = scene["session"], scene["grid"]
    for params in ({}, {"session": session.pk}, {"dossier": grid.dossier_id}, {"status": ""}):
        response = client.get(reverse("api:grid-list"), params)
        assert response.status_code == 200, params
        assert response.json()["count"] == 0, params
        assert not _leaks(response.content, scene["declared"]), params
    response = client.get(reverse("api:grid-detail", args=[grid.pk]))
    assert _refusal(response, who), response.content
    assert not _leaks(response.content, scene["declared"])
    response = client.get(reverse("api:criterionscore-detail", args=[scene["score"].pk]))
    assert _refusal(response, who), response.content
    assert not _leaks(response.content, scene["declared"])
    response = client.get(reverse("api:evaluationsession-dossiers", args=[session.pk]))
    assert response.status_code == 200
    (slot,) = response.json()
    assert slot["grids"] == []
    assert "non_acquise" not in response.content.decode()


@pytest.mark.parametrize("who", ["conflicted", "silent"])
def test_no_page_shows_the_grid(client, scene, who):
    user, grid = scene[who], scene["grid"]
    client.force_login(user)
    pages = [
        reverse("evaluations:session_detail", args=[scene["session"].pk]),
        reverse("evaluations:grid", args=[grid.pk]),
        reverse("evaluations:grid_sign", args=[grid.pk]),
        reverse("home"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 302, 403), url
        assert not _leaks(response.content), url
        assert "Non acquise" not in response.content.decode(), url
    grid_page = client.get(reverse("evaluations:grid", args=[grid.pk]))
    if who == "silent":  # sent to sign the declaration first
        assert grid_page.status_code == 302 and "declaration" in grid_page["Location"]
    else:
        assert grid_page.status_code == 403
        assert "Vous ne pouvez pas évaluer ce candidat" in grid_page.content.decode()
    sign_page = client.get(reverse("evaluations:grid_sign", args=[grid.pk]))
    assert sign_page.status_code == (302 if who == "silent" else 403)


def test_the_session_page_shows_the_proposal_to_staff_and_the_declared_member(client, world, scene):
    for user in (world.user("staff"), scene["declared"]):
        client.force_login(user)
        page = client.get(reverse("evaluations:session_detail", args=[scene["session"].pk]))
        assert "Non acquise" in page.content.decode()


def test_an_outsider_still_gets_404(api_client, world, scene):
    outsider = assessor(world.centre_a, "outsider")
    client = _api(api_client, outsider)
    assert client.get(reverse("api:grid-detail", args=[scene["grid"].pk])).status_code == 404
    url = reverse("api:criterionscore-detail", args=[scene["score"].pk])
    assert client.get(url).status_code == 404
