"""Guards of the tenancy services: each refusal, each no-op, each audit row."""

import pytest
from django.core import mail
from django.utils import timezone

from centres import services
from centres.errors import CentreError
from centres.models import AuditEntry, Company, Invitation, Membership
from centres.roles import Role
from core.errors import StaleVersionError

from .factories import MembershipFactory, UserFactory, pending_invitation, valid_siret

pytestmark = pytest.mark.django_db


def audit_actions(subject):
    return list(
        AuditEntry.objects.filter(
            subject_type=subject._meta.label_lower, subject_id=str(subject.pk)
        )
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- invite_user -------------------------------------------------------------------------


def test_invite_creates_hashed_invitation_and_mails_the_link(world, admin_a, on_commit):
    with on_commit():
        invitation = services.invite_user(
            world.centre_a,
            email=" Nouvel.Evaluateur@Example.org ",
            role=Role.ASSESSOR,
            actor=admin_a,
        )
    assert invitation.email == "nouvel.evaluateur@example.org"
    assert invitation.token_hash == Invitation.hash_token(invitation.token)
    assert invitation.token not in invitation.token_hash
    assert invitation.status == Invitation.Status.PENDING
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvel.evaluateur@example.org"]
    assert f"/invitation/{invitation.token}/" in message.body
    assert "Évaluateur" in message.body
    assert world.centre_a.name in message.subject
    assert audit_actions(invitation) == ["invitation.create"]


def test_invitation_expiry_follows_the_setting(world, admin_a, settings):
    settings.INVITATION_VALIDITY_DAYS = 3
    before = timezone.now()
    invitation = services.invite_user(
        world.centre_a, email="x@example.org", role=Role.JUROR, actor=admin_a
    )
    delta = invitation.expires_at - before
    assert 3 * 86400 - 5 < delta.total_seconds() < 3 * 86400 + 5


def test_reinviting_a_pending_email_refreshes_it(world, admin_a, on_commit):
    with on_commit():
        first = services.invite_user(
            world.centre_a, email="x@example.org", role=Role.JUROR, actor=admin_a
        )
    old_hash, old_expiry = first.token_hash, first.expires_at
    with on_commit():
        second = services.invite_user(
            world.centre_a, email="X@example.org", role=Role.JUROR, actor=admin_a
        )
    assert second.pk == first.pk
    second.refresh_from_db()
    assert second.token_hash != old_hash
    assert second.expires_at > old_expiry
    assert Invitation.objects.filter(centre=world.centre_a, email="x@example.org").count() == 1
    assert len(mail.outbox) == 2
    assert audit_actions(second) == ["invitation.create", "invitation.refresh"]
    # The old link is dead, the new one works.
    assert services.find_invitation(first.token) is None
    assert services.find_invitation(second.token).pk == first.pk


def test_invite_requires_manage_users_in_that_centre(world, admin_b):
    with pytest.raises(CentreError) as exc:
        services.invite_user(world.centre_a, email="x@example.org", role=Role.STAFF, actor=admin_b)
    assert exc.value.code == "permission_denied"
    with pytest.raises(CentreError):
        services.invite_user(
            world.centre_a,
            email="x@example.org",
            role=Role.STAFF,
            actor=world.user("staff"),
        )
    assert not Invitation.objects.exists()


def test_invite_company_rep_needs_a_company_of_the_centre(world, admin_a):
    with pytest.raises(CentreError) as exc:
        services.invite_user(
            world.centre_a, email="r@example.org", role=Role.COMPANY_REP, actor=admin_a
        )
    assert exc.value.code == "company_required"
    with pytest.raises(CentreError) as exc:
        services.invite_user(
            world.centre_a,
            email="r@example.org",
            role=Role.COMPANY_REP,
            company=world.company_b,
            actor=admin_a,
        )
    assert exc.value.code == "foreign_company"
    invitation = services.invite_user(
        world.centre_a,
        email="r@example.org",
        role=Role.COMPANY_REP,
        company=world.company_a,
        actor=admin_a,
    )
    assert invitation.company == world.company_a


def test_company_is_dropped_for_other_roles(world, admin_a):
    invitation = services.invite_user(
        world.centre_a,
        email="s@example.org",
        role=Role.STAFF,
        company=world.company_a,
        actor=admin_a,
    )
    assert invitation.company is None


def test_invite_refuses_bad_email_role_and_existing_member(world, admin_a):
    with pytest.raises(CentreError) as exc:
        services.invite_user(
            world.centre_a, email="pas-une-adresse", role=Role.STAFF, actor=admin_a
        )
    assert exc.value.code == "invalid_email"
    with pytest.raises(CentreError) as exc:
        services.invite_user(world.centre_a, email="a@example.org", role="pape", actor=admin_a)
    assert exc.value.code == "invalid_role"
    staff = world.user("staff")
    with pytest.raises(CentreError) as exc:
        services.invite_user(
            world.centre_a, email=staff.email.upper(), role=Role.STAFF, actor=admin_a
        )
    assert exc.value.code == "already_member"
    assert "Chargé de certification" in str(exc.value.message)
    # The same person may be invited to another role.
    services.invite_user(world.centre_a, email=staff.email, role=Role.JUROR, actor=admin_a)


# --- revoke_invitation -------------------------------------------------------------------


def test_revoke_invitation(world, admin_a):
    invitation = pending_invitation(world.centre_a, invited_by=admin_a)
    services.revoke_invitation(invitation, actor=admin_a)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    revoked_at = invitation.revoked_at
    services.revoke_invitation(invitation, actor=admin_a)  # no-op
    invitation.refresh_from_db()
    assert invitation.revoked_at == revoked_at
    assert audit_actions(invitation) == ["invitation.revoke"]


def test_revoke_refused_for_accepted_or_foreign(world, admin_a, admin_b):
    invitation = pending_invitation(world.centre_a, invited_by=admin_a)
    with pytest.raises(CentreError):
        services.revoke_invitation(invitation, actor=admin_b)
    services.accept_invitation(
        invitation.token,
        new_user={
            "username": "nouveau",
            "first_name": "N",
            "last_name": "V",
            "password": "un-mot-de-passe-solide",
        },
    )
    with pytest.raises(CentreError) as exc:
        services.revoke_invitation(invitation, actor=admin_a)
    assert exc.value.code == "invitation_used"


# --- memberships -------------------------------------------------------------------------


def test_deactivate_and_reactivate(world, admin_a):
    membership = Membership.objects.get(user=world.user("assessor"), centre=world.centre_a)
    services.deactivate_membership(membership, actor=admin_a, reason="Départ")
    membership.refresh_from_db()
    assert not membership.is_active and membership.deactivated_at is not None
    services.deactivate_membership(membership, actor=admin_a)  # no-op
    services.reactivate_membership(membership, actor=admin_a)
    membership.refresh_from_db()
    assert membership.is_active and membership.deactivated_at is None
    services.reactivate_membership(membership, actor=admin_a)  # no-op
    assert audit_actions(membership) == ["membership.deactivate", "membership.reactivate"]
    entry = AuditEntry.objects.filter(action="membership.deactivate").get()
    assert entry.reason == "Départ"
    assert entry.before["is_active"] is True and entry.after["is_active"] is False
    assert entry.actor == admin_a and entry.centre == world.centre_a


def test_cannot_deactivate_oneself(world, admin_a):
    other_admin = UserFactory()
    MembershipFactory(user=other_admin, centre=world.centre_a, role=Role.CENTRE_ADMIN)
    own = Membership.objects.get(user=admin_a, centre=world.centre_a)
    with pytest.raises(CentreError) as exc:
        services.deactivate_membership(own, actor=admin_a)
    assert exc.value.code == "self_deactivation"
    own.refresh_from_db()
    assert own.is_active
    # Any other role of one's own is refused too.
    own_juror = MembershipFactory(user=admin_a, centre=world.centre_a, role=Role.JUROR)
    with pytest.raises(CentreError) as exc:
        services.deactivate_membership(own_juror, actor=admin_a)
    assert exc.value.code == "self_deactivation"


def test_cannot_deactivate_the_last_active_centre_admin(world, admin_a):
    only_admin = Membership.objects.get(user=admin_a, centre=world.centre_a)
    with pytest.raises(CentreError) as exc:
        services.deactivate_membership(only_admin, actor=admin_a)
    assert exc.value.code == "last_centre_admin"
    assert "dernier administrateur" in str(exc.value.message)
    # With a second active admin, one admin may withdraw the other.
    second = UserFactory()
    second_membership = MembershipFactory(
        user=second, centre=world.centre_a, role=Role.CENTRE_ADMIN
    )
    services.deactivate_membership(only_admin, actor=second)
    only_admin.refresh_from_db()
    assert not only_admin.is_active
    # The remaining admin is now the last one.
    with pytest.raises(CentreError) as exc:
        services.deactivate_membership(second_membership, actor=second)
    assert exc.value.code == "last_centre_admin"
    # Inactive admins do not count, and an inactive admin has no power left.
    with pytest.raises(CentreError) as exc:
        services.deactivate_membership(second_membership, actor=admin_a)
    assert exc.value.code == "permission_denied"


def test_deactivation_is_refused_across_centres(world, admin_b):
    membership = Membership.objects.get(user=world.user("staff"), centre=world.centre_a)
    with pytest.raises(CentreError):
        services.deactivate_membership(membership, actor=admin_b)


def test_handles_accommodations_only_for_staff(world, admin_a):
    staff = Membership.objects.get(user=world.user("staff"), centre=world.centre_a)
    services.set_handles_accommodations(staff, True, actor=admin_a)
    staff.refresh_from_db()
    assert staff.handles_accommodations
    services.set_handles_accommodations(staff, True, actor=admin_a)  # no-op
    assert audit_actions(staff) == ["membership.accommodations"]
    assessor = Membership.objects.get(user=world.user("assessor"), centre=world.centre_a)
    with pytest.raises(CentreError) as exc:
        services.set_handles_accommodations(assessor, True, actor=admin_a)
    assert exc.value.code == "accommodations_staff_only"


def test_handles_accommodations_grants_the_capability(world, admin_a):
    from centres.access import build_actor
    from centres.roles import Capability

    staff_user = world.user("staff")
    assert not build_actor(staff_user).can(Capability.MANAGE_ACCOMMODATIONS)
    membership = Membership.objects.get(user=staff_user, centre=world.centre_a)
    services.set_handles_accommodations(membership, True, actor=admin_a)
    assert build_actor(staff_user).can(Capability.MANAGE_ACCOMMODATIONS)


# --- companies ---------------------------------------------------------------------------


def test_create_company(world):
    staff = world.user("staff")
    company = services.create_company(
        world.centre_a,
        actor=staff,
        name="  Forges du Rhône ",
        siret="732 829 320 00074",
        city="Lyon",
    )
    assert company.name == "Forges du Rhône"
    assert company.siret == "73282932000074"
    assert company.centre == world.centre_a and company.version == 1
    assert audit_actions(company) == ["company.create"]


def test_create_company_guards(world):
    staff = world.user("staff")
    with pytest.raises(CentreError) as exc:
        services.create_company(world.centre_a, actor=staff, name="X", siret="123")
    assert exc.value.code == "siret_length"
    with pytest.raises(CentreError) as exc:
        services.create_company(world.centre_a, actor=staff, name="X", siret="73282932000075")
    assert exc.value.code == "siret_checksum"
    with pytest.raises(CentreError) as exc:
        services.create_company(world.centre_a, actor=staff, name=" ")
    assert exc.value.code == "name_required"
    with pytest.raises(CentreError) as exc:
        services.create_company(world.centre_a, actor=world.user("assessor"), name="X")
    assert exc.value.code == "permission_denied"
    services.create_company(world.centre_a, actor=staff, name="A", siret=valid_siret(1))
    with pytest.raises(CentreError) as exc:
        services.create_company(world.centre_a, actor=staff, name="B", siret=valid_siret(1))
    assert exc.value.code == "siret_taken"
    # Another centre may register the same company.
    services.create_company(
        world.centre_b, actor=world.user("staff", "b"), name="A", siret=valid_siret(1)
    )


def test_update_company_with_version_check(world):
    staff = world.user("staff")
    company = world.company_a
    updated = services.update_company(company, actor=staff, expected_version=1, city="Villeurbanne")
    assert updated.city == "Villeurbanne" and updated.version == 2
    with pytest.raises(StaleVersionError):
        services.update_company(company, actor=staff, expected_version=1, city="Bron")
    assert Company.objects.get(pk=company.pk).city == "Villeurbanne"
    same = services.update_company(company, actor=staff, expected_version=2, city="Villeurbanne")
    assert same.version == 2  # nothing changed: no new version, no audit row
    assert audit_actions(company) == ["company.update"]
    entry = AuditEntry.objects.get(action="company.update")
    assert entry.before == {"city": "Grenoble"} and entry.after == {"city": "Villeurbanne"}


def test_update_company_refuses_siret_of_another_company(world):
    staff = world.user("staff")
    services.create_company(world.centre_a, actor=staff, name="A", siret=valid_siret(5))
    with pytest.raises(CentreError) as exc:
        services.update_company(world.company_a, actor=staff, siret=valid_siret(5))
    assert exc.value.code == "siret_taken"
    with pytest.raises(CentreError):
        services.update_company(world.company_a, actor=world.user("staff", "b"), name="Pris")


# --- centre settings ---------------------------------------------------------------------


def test_update_centre_settings(world, admin_a):
    centre = services.update_centre_settings(
        world.centre_a,
        actor=admin_a,
        expected_version=1,
        jury_quorum=6,
        commission_min_assessors=3,
    )
    assert (centre.jury_quorum, centre.commission_min_assessors, centre.version) == (6, 3, 2)
    assert audit_actions(centre) == ["centre.settings"]
    with pytest.raises(StaleVersionError):
        services.update_centre_settings(
            world.centre_a, actor=admin_a, expected_version=1, jury_quorum=7
        )


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("jury_quorum", 0, "invalid_quorum"),
        ("jury_quorum", 1, "invalid_quorum"),  # the legal floor is 2 (issue 15)
        ("commission_min_assessors", 1, "invalid_commission_size"),
        ("siret", "12345678901234", "siret_checksum"),
    ],
)
def test_centre_settings_guards(world, admin_a, field, value, code):
    with pytest.raises(CentreError) as exc:
        services.update_centre_settings(world.centre_a, actor=admin_a, **{field: value})
    assert exc.value.code == code


def test_centre_settings_need_manage_settings(world):
    with pytest.raises(CentreError):
        services.update_centre_settings(world.centre_a, actor=world.user("staff"), jury_quorum=3)
    with pytest.raises(CentreError):
        services.update_centre_settings(
            world.centre_a, actor=world.user("centre_admin", "b"), jury_quorum=3
        )
