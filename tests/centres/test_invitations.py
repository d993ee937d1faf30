"""The invitation flow end to end through the pages: link, account, role, single use."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone, translation

from centres import services
from centres.access import ACTIVE_CENTRE_SESSION_KEY
from centres.errors import CentreError
from centres.models import Invitation, Membership
from centres.roles import Role

from .factories import MembershipFactory, UserFactory, pending_invitation
from .helpers import text

pytestmark = pytest.mark.django_db
User = get_user_model()

NEW_ACCOUNT = {
    "username": "lea.dupont",
    "first_name": "Léa",
    "last_name": "Dupont",
    "password1": "une-phrase-de-passe-solide",
    "password2": "une-phrase-de-passe-solide",
}


def accept_url(token):
    return reverse("centres:invitation_accept", kwargs={"token": token})


def test_admin_invites_from_the_page_and_the_link_creates_the_account(
    world, client, admin_a, on_commit
):
    client.force_login(admin_a)
    with on_commit():
        response = client.post(
            reverse("centres:invite"), {"email": "lea.dupont@example.org", "role": "assessor"}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("centres:invitations")
    [message] = mail.outbox
    path = re.search(r"https?://[^/]+(/invitation/[^/\s]+/)", message.body).group(1)
    client.logout()

    page = client.get(path)
    assert page.status_code == 200
    content = text(page)
    assert "Créez votre compte" in content and world.centre_a.name in content

    response = client.post(path, NEW_ACCOUNT)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = User.objects.get(username="lea.dupont")
    assert user.email == "lea.dupont@example.org" and user.check_password(NEW_ACCOUNT["password1"])
    membership = Membership.objects.get(user=user)
    assert (membership.centre, membership.role, membership.is_active) == (
        world.centre_a,
        Role.ASSESSOR,
        True,
    )
    assert client.session[ACTIVE_CENTRE_SESSION_KEY] == world.centre_a.pk
    home = text(client.get(reverse("home")))
    assert "Évaluateur" in home and world.centre_a.name in home

    # The link is single-use.
    client.logout()
    again = client.get(path)
    assert again.status_code == 410
    assert "déjà été utilisée" in text(again)


def test_expired_link_is_refused_in_french(world, client, admin_a):
    invitation = pending_invitation(
        world.centre_a, invited_by=admin_a, expires_in=datetime.timedelta(seconds=-1)
    )
    response = client.get(accept_url(invitation.token))
    assert response.status_code == 410
    assert "Cette invitation a expiré le" in text(response)
    response = client.post(accept_url(invitation.token), NEW_ACCOUNT)
    assert response.status_code == 410
    assert not User.objects.filter(username="lea.dupont").exists()


def test_revoked_link_is_refused(world, client, admin_a):
    invitation = pending_invitation(world.centre_a, invited_by=admin_a)
    services.revoke_invitation(invitation, actor=admin_a)
    response = client.get(accept_url(invitation.token))
    assert response.status_code == 410
    assert "révoquée" in text(response)


def test_unknown_token_is_404(client, world):
    response = client.get(accept_url("nimporte-quoi"))
    assert response.status_code == 404
    assert "n'est pas valide" in text(response)


def test_existing_user_logs_in_and_accepts(world, client, admin_a):
    """An assessor of centre B is invited to centre A: same account, second centre."""
    assessor_b = world.user("assessor", "b")
    invitation = pending_invitation(
        world.centre_a, assessor_b.email.upper(), role=Role.ASSESSOR, invited_by=admin_a
    )
    # Anonymous: the page asks to log in first (an account exists for the address).
    page = text(client.get(accept_url(invitation.token)))
    assert "Un compte existe déjà" in page
    assert "?next=" in page
    client.force_login(assessor_b)
    page = text(client.get(accept_url(invitation.token)))
    assert "Accepter l'invitation" in page
    response = client.post(accept_url(invitation.token))
    assert response.status_code == 302
    assert Membership.objects.filter(
        user=assessor_b, centre=world.centre_a, role=Role.ASSESSOR, is_active=True
    ).exists()
    assert client.session[ACTIVE_CENTRE_SESSION_KEY] == world.centre_a.pk
    invitation.refresh_from_db()
    assert invitation.accepted_by == assessor_b and invitation.accepted_at is not None


def test_wrong_email_is_refused(world, client, admin_a):
    invitation = pending_invitation(world.centre_a, "quelquun@example.org", invited_by=admin_a)
    intruder = world.user("staff", "b")
    client.force_login(intruder)
    page = client.get(accept_url(invitation.token))
    assert "autre adresse électronique" in text(page)
    assert "Accepter l'invitation" not in text(page)
    response = client.post(accept_url(invitation.token))
    assert response.status_code == 200
    assert not Membership.objects.filter(user=intruder, centre=world.centre_a).exists()
    with pytest.raises(CentreError) as exc:
        services.accept_invitation(invitation.token, user=intruder)
    assert exc.value.code == "invitation_wrong_email"
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_anonymous_cannot_create_a_second_account_for_a_known_address(world, admin_a):
    staff = world.user("staff")
    invitation = pending_invitation(
        world.centre_a, staff.email, role=Role.JUROR, invited_by=admin_a
    )
    with pytest.raises(CentreError) as exc:
        services.accept_invitation(
            invitation.token,
            new_user={"username": "doublon", "password": "une-phrase-de-passe-solide"},
        )
    assert exc.value.code == "account_exists"


def test_new_account_form_errors_are_french(world, client, admin_a):
    invitation = pending_invitation(world.centre_a, invited_by=admin_a)
    taken = world.user("staff").username
    response = client.post(
        accept_url(invitation.token),
        {**NEW_ACCOUNT, "username": taken, "password2": "autre-chose-encore"},
    )
    assert response.status_code == 200
    content = text(response)
    assert "Cet identifiant est déjà utilisé" in content
    assert "Les deux mots de passe ne sont pas identiques" in content
    response = client.post(
        accept_url(invitation.token), {**NEW_ACCOUNT, "password1": "123", "password2": "123"}
    )
    assert "Ce mot de passe est trop court" in text(response)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accepting_reactivates_a_withdrawn_role(world, admin_a):
    user = UserFactory(email="ancien@example.org")
    old = MembershipFactory(user=user, centre=world.centre_a, role=Role.JUROR, is_active=False)
    invitation = pending_invitation(
        world.centre_a, "ancien@example.org", role=Role.JUROR, invited_by=admin_a
    )
    membership = services.accept_invitation(invitation.token, user=user)
    assert membership.pk == old.pk
    membership.refresh_from_db()
    assert membership.is_active


def test_company_rep_invitation_gives_the_company(world, admin_a):
    invitation = services.invite_user(
        world.centre_a,
        email="tuteur@example.org",
        role=Role.COMPANY_REP,
        company=world.company_a,
        actor=admin_a,
    )
    membership = services.accept_invitation(
        invitation.token,
        new_user={
            "username": "tuteur",
            "first_name": "T",
            "last_name": "U",
            "password": "une-phrase-de-passe-solide",
        },
    )
    assert membership.company == world.company_a
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.ACCEPTED


def test_invitation_pages_for_the_admin(world, client, admin_a):
    invitation = pending_invitation(world.centre_a, "attente@example.org", invited_by=admin_a)
    pending_invitation(world.centre_b, "autre-centre@example.org")
    client.force_login(admin_a)
    page = text(client.get(reverse("centres:invitations")))
    assert "attente@example.org" in page and "autre-centre@example.org" not in page
    assert "data-confirm" in page
    response = client.post(reverse("centres:invitation_revoke", kwargs={"pk": invitation.pk}))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    page = text(client.get(reverse("centres:invitations")))
    assert "attente@example.org</td>" not in page


def test_invite_form_errors(world, client, admin_a):
    client.force_login(admin_a)
    response = client.post(
        reverse("centres:invite"), {"email": "x@example.org", "role": "company_rep"}
    )
    assert response.status_code == 200
    assert "Choisissez l'entreprise" in text(response)
    response = client.post(
        reverse("centres:invite"),
        {"email": "x@example.org", "role": "company_rep", "company": world.company_b.pk},
    )
    assert response.status_code == 200  # another centre's company is not a valid choice
    assert not Invitation.objects.exists()
    staff = world.user("staff")
    response = client.post(reverse("centres:invite"), {"email": staff.email, "role": "staff"})
    assert "a déjà le rôle" in text(response)


def test_invitation_dates_read_at_in_english(world, client, admin_a):
    """The dates of the invitation list: « à » in French, "at" in English (not « à »)."""
    invitation = pending_invitation(world.centre_a, "attente@example.org", invited_by=admin_a)
    expires = timezone.localtime(invitation.expires_at)
    client.force_login(admin_a)
    french = text(client.get(reverse("centres:invitations")))
    assert formats.date_format(expires, "j F Y à H\\hi") in french
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        english = text(client.get(reverse("centres:invitations")))
        with translation.override("en"):
            assert formats.date_format(expires, r"j F Y \a\t H:i") in english
    finally:
        translation.deactivate()
    assert not re.search(r"\d à \d", english)


def test_the_invitation_mail_links_to_the_served_address(
    world, client, admin_a, on_commit, settings
):
    settings.SITE_URL = "http://127.0.0.1:8101"
    client.force_login(admin_a)
    with on_commit():
        client.post(reverse("centres:invite"), {"email": "lea@example.org", "role": "assessor"})
    [message] = mail.outbox
    assert re.search(r"http://127\.0\.0\.1:8101/invitation/[^/\s]+/", message.body)
