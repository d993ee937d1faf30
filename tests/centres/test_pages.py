"""Centre administration pages: lists (search, filters, pagination, query counts), forms,
confirmations and messages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centres.models import Centre, Company, Membership
from centres.roles import Role

from .factories import (
    CompanyFactory,
    MembershipFactory,
    UserFactory,
    pending_invitation,
    valid_siret,
)
from .helpers import text

pytestmark = pytest.mark.django_db


def add_members(centre, count):
    for index in range(count):
        role = [Role.STAFF, Role.ASSESSOR, Role.JUROR][index % 3]
        MembershipFactory(centre=centre, role=role, user=UserFactory(last_name=f"Zed{index:03d}"))


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# Session, user, active memberships (middleware), COUNT + page of the list, pending
# invitations count: the same for 3 or 30 rows.
USER_LIST_QUERIES = 6
COMPANY_LIST_QUERIES = 5
# Session, user, active memberships (middleware), COUNT + page of the pending invitations
# (company and inviter joined): the same for 1 or 30 rows.
INVITATION_LIST_QUERIES = 5


@pytest.mark.parametrize("rows", [3, 30])
def test_user_list_query_count_is_constant(world, client, admin_a, rows, django_assert_num_queries):
    add_members(world.centre_a, rows)
    client.force_login(admin_a)
    with django_assert_num_queries(USER_LIST_QUERIES):
        response = client.get(reverse("centres:users"))
    assert response.status_code == 200
    shown = len(response.context["page"].object_list)
    assert shown == min(25, rows + 5)


@pytest.mark.parametrize("rows", [3, 30])
def test_company_list_query_count_is_constant(world, client, rows, django_assert_num_queries):
    for index in range(rows):
        company = CompanyFactory(centre=world.centre_a, siret=valid_siret(index))
        MembershipFactory(centre=world.centre_a, role=Role.COMPANY_REP, company=company)
    client.force_login(world.user("staff"))
    with django_assert_num_queries(COMPANY_LIST_QUERIES):
        response = client.get(reverse("centres:companies"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(25, rows + 1)


@pytest.mark.parametrize("rows", [1, 30])
def test_invitation_list_query_count_is_constant(
    world, client, admin_a, rows, django_assert_num_queries
):
    for index in range(rows):
        company = CompanyFactory(centre=world.centre_a, siret=valid_siret(index))
        inviter = UserFactory(last_name=f"Inviteur{index:03d}")
        if index % 2:
            pending_invitation(
                world.centre_a,
                f"rep{index}@example.org",
                invited_by=inviter,
                role=Role.COMPANY_REP,
                company=company,
            )
        else:
            pending_invitation(
                world.centre_a, f"jure{index}@example.org", invited_by=inviter, role=Role.JUROR
            )
    pending_invitation(world.centre_b, "ailleurs@example.org")  # another centre's
    client.force_login(admin_a)
    with django_assert_num_queries(INVITATION_LIST_QUERIES):
        response = client.get(reverse("centres:invitations"))
    assert response.status_code == 200
    shown = response.context["page"].object_list
    assert len(shown) == min(25, rows)
    page = text(response)
    assert "ailleurs@example.org" not in page
    if rows > 1:
        assert "Inviteur" in page and company.name in page


def test_user_list_search_filter_and_pagination(world, client, admin_a):
    add_members(world.centre_a, 30)
    client.force_login(admin_a)
    page = text(client.get(reverse("centres:users")))
    assert "Page 1 sur 2" in page
    assert world.user("staff", "b").email not in page
    staff = world.user("staff")
    page = text(client.get(reverse("centres:users"), {"q": staff.email}))
    assert staff.email in page and "1 résultat" in page
    response = client.get(reverse("centres:users"), {"role": "juror"})
    roles = {m.role for m in response.context["page"].object_list}
    assert roles == {Role.JUROR}
    response = client.get(reverse("centres:users"), {"page": 2, "role": ""})
    assert response.context["page"].number == 2
    assert "role=" in response.context["query_string"]


def test_inactive_members_are_behind_the_status_filter(world, client, admin_a):
    assessor = Membership.objects.get(user=world.user("assessor"), centre=world.centre_a)
    assessor.is_active = False
    assessor.save()
    client.force_login(admin_a)
    active = text(client.get(reverse("centres:users")))
    assert world.user("assessor").email not in active
    inactive = text(client.get(reverse("centres:users"), {"status": "inactive"}))
    assert world.user("assessor").email in inactive and "Désactivé" in inactive


def test_deactivate_and_reactivate_through_the_pages(world, client, admin_a):
    membership = Membership.objects.get(user=world.user("juror"), centre=world.centre_a)
    client.force_login(admin_a)
    detail = text(client.get(reverse("centres:membership_detail", kwargs={"pk": membership.pk})))
    assert "data-confirm" in detail and "Désactiver ce rôle" in detail
    response = client.post(
        reverse("centres:membership_deactivate", kwargs={"pk": membership.pk}),
        {"reason": "Fin de mandat"},
        follow=True,
    )
    assert "est désactivé" in text(response)
    membership.refresh_from_db()
    assert not membership.is_active
    response = client.post(
        reverse("centres:membership_reactivate", kwargs={"pk": membership.pk}), follow=True
    )
    assert "est réactivé" in text(response)
    membership.refresh_from_db()
    assert membership.is_active


def test_own_role_page_has_no_deactivate_button_and_the_post_is_refused(world, client, admin_a):
    own = Membership.objects.get(user=admin_a, centre=world.centre_a)
    client.force_login(admin_a)
    detail = text(client.get(reverse("centres:membership_detail", kwargs={"pk": own.pk})))
    assert "Désactiver ce rôle" not in detail
    response = client.post(
        reverse("centres:membership_deactivate", kwargs={"pk": own.pk}), follow=True
    )
    assert "dernier administrateur actif" in text(response)
    own.refresh_from_db()
    assert own.is_active


def test_accommodations_toggle_for_staff(world, client, admin_a):
    membership = Membership.objects.get(user=world.user("staff"), centre=world.centre_a)
    client.force_login(admin_a)
    client.post(
        reverse("centres:membership_accommodations", kwargs={"pk": membership.pk}),
        {"handles_accommodations": "1"},
    )
    membership.refresh_from_db()
    assert membership.handles_accommodations
    page = text(client.get(reverse("centres:users")))
    assert "Aménagements" in page


def test_company_search_by_name_siret_and_city(world, client):
    CompanyFactory(
        centre=world.centre_a, name="Forges de Givors", siret=valid_siret(7), city="Givors"
    )
    CompanyFactory(
        centre=world.centre_a,
        name="Tôlerie Caladoise",
        siret=valid_siret(8),
        city="Villefranche-sur-Saône",
    )
    client.force_login(world.user("staff"))

    def names(q):
        response = client.get(reverse("centres:companies"), {"q": q})
        return {c.name for c in response.context["page"].object_list}

    assert names("forges") == {"Forges de Givors"}
    assert names(valid_siret(8)[:9]) == {"Tôlerie Caladoise"}
    assert names("Villefranche") == {"Tôlerie Caladoise"}
    assert names("Bêta") == set()  # centre B's company is never found


def test_company_create_validates_siret_in_french(world, client):
    client.force_login(world.user("staff"))
    url = reverse("centres:company_create")
    response = client.post(url, {"name": "Usine", "siret": "1234"})
    assert response.status_code == 200
    assert "Un SIRET comporte exactement 14 chiffres" in text(response)
    response = client.post(url, {"name": "Usine", "siret": "732 829 320 00075"})
    assert "la clé de contrôle ne correspond pas" in text(response)
    response = client.post(url, {"name": "", "siret": ""})
    assert "Ce champ est obligatoire" in text(response)
    response = client.post(url, {"name": "Usine", "siret": "732 829 320 00074", "city": "Lyon"})
    assert response.status_code == 302
    company = Company.objects.get(name="Usine")
    assert company.siret == "73282932000074" and company.centre == world.centre_a
    response = client.post(url, {"name": "Usine bis", "siret": "73282932000074"})
    assert "déjà ce SIRET" in text(response)


def test_company_edit_refuses_a_stale_version(world, client):
    company = world.company_a
    client.force_login(world.user("staff"))
    url = reverse("centres:company_edit", kwargs={"pk": company.pk})
    form = client.get(url)
    assert 'name="version"' in text(form)
    data = {"name": "Alpha SA", "siret": valid_siret(11), "version": company.version}
    assert client.post(url, data).status_code == 302
    company.refresh_from_db()
    assert company.name == "Alpha SA" and company.version == 2
    stale = client.post(url, {**data, "name": "Alpha SAS"})
    assert stale.status_code == 200
    assert "modifiées par quelqu'un d'autre" in text(stale)
    company.refresh_from_db()
    assert company.name == "Alpha SA"


def test_company_detail_for_its_representative_only(world, client):
    rep = world.user("company_rep")
    client.force_login(rep)
    response = client.get(reverse("centres:company_detail", kwargs={"pk": world.company_a.pk}))
    assert response.status_code == 200
    assert "Modifier" not in text(response)
    other = CompanyFactory(centre=world.centre_a)
    response = client.get(reverse("centres:company_detail", kwargs={"pk": other.pk}))
    assert response.status_code == 404


def test_centre_settings_form(world, client, admin_a):
    client.force_login(admin_a)
    url = reverse("centres:settings")
    base = {
        "jury_quorum": 5,
        "commission_min_assessors": 3,
        "retention_active_months": 36,
        "retention_archive_months": 60,
        "version": 1,
    }
    response = client.post(url, {**base, "commission_min_assessors": 1, "jury_quorum": 0})
    assert response.status_code == 200
    content = text(response)
    assert "au moins 2 évaluateurs" in content and "inférieur à 2 membres" in content
    assert client.post(url, base).status_code == 302
    centre = Centre.objects.get(pk=world.centre_a.pk)
    assert (centre.jury_quorum, centre.commission_min_assessors, centre.version) == (5, 3, 2)
    stale = client.post(url, {**base, "jury_quorum": 7})
    assert "modifiées par quelqu'un d'autre" in text(stale)
    assert Centre.objects.get(pk=world.centre_a.pk).jury_quorum == 5


def test_navigation_shows_admin_entries_by_capability(world, client):
    client.force_login(world.user("centre_admin"))
    page = text(client.get(reverse("home")))
    for label in ("Utilisateurs", "Entreprises", "Réglages"):
        assert f">{label}</a>" in page
    assert "Administration du centre" in page  # home section
    client.force_login(world.user("staff"))
    page = text(client.get(reverse("home")))
    assert ">Entreprises</a>" in page and ">Utilisateurs</a>" not in page
    client.force_login(world.user("assessor"))
    page = text(client.get(reverse("home")))
    assert ">Entreprises</a>" not in page
