"""The end of a role takes back the object permissions it carried (django-guardian grants on
evaluation and jury sessions), in that centre only, audited, and not restored when the role
is given back: the assignment services grant again when the person is assigned again."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import get_objects_for_user

from centres import services
from centres.access import build_actor
from centres.errors import CentreError
from centres.models import AuditEntry, Membership
from centres.permissions import (
    GRANT_CAPABILITIES,
    grant_object_permission,
    revoke_unheld_object_permissions,
    user_grant_tables,
)
from centres.roles import Role
from evaluations import services as evaluation_services
from evaluations.models import EVALUATE_PERMISSION, EvaluationSession, SessionModality
from juries import services as jury_services
from juries.models import SIT_PERMISSION, College, JurySession
from tests.factories import MembershipFactory
from tests.juries.factories import referential

pytestmark = pytest.mark.django_db


def evaluation_session(world, side="a"):
    centre = world.centre_a if side == "a" else world.centre_b
    return evaluation_services.schedule_session(
        centre,
        actor=build_actor(world.user("staff", side)),
        label=f"Session {side}",
        starts_at=timezone.now(),
        place="Atelier 3",
        modality=SessionModality.REAL_WORK,
    )


def seat_assessor(world, session, user, side="a"):
    return evaluation_services.add_member(
        session, user, actor=build_actor(world.user("staff", side))
    )


def jury_session(world, side="a"):
    centre = world.centre_a if side == "a" else world.centre_b
    return jury_services.create_session(
        centre,
        actor=build_actor(world.user("staff", side)),
        qualification=referential().qualification,
        starts_at=timezone.now(),
        place="Salle du conseil",
        label=f"Jury {side}",
    )


def seat_juror(world, session, user, side="a"):
    return jury_services.add_member(
        session,
        user,
        actor=build_actor(world.user("staff", side)),
        college=College.EMPLOYER,
    )


def evaluated_sessions(user) -> set:
    return set(get_objects_for_user(user, EVALUATE_PERMISSION, EvaluationSession))


def jury_sessions(user) -> set:
    return set(get_objects_for_user(user, SIT_PERMISSION, JurySession))


def membership(user, centre, role) -> Membership:
    return Membership.objects.get(user=user, centre=centre, role=role)


@pytest.fixture
def assessor(world):
    """The assessor of centre A, also an assessor of centre B, seated in both."""
    user = world.user("assessor")
    MembershipFactory(user=user, centre=world.centre_b, role=Role.ASSESSOR)
    return user


@pytest.fixture
def juror(world):
    user = world.user("juror")
    MembershipFactory(user=user, centre=world.centre_b, role=Role.JUROR)
    return user


def test_deactivation_revokes_the_assessor_grants_of_that_centre_only(world, admin_a, assessor):
    session_a, other_a = evaluation_session(world), evaluation_session(world)
    session_b = evaluation_session(world, "b")
    seat_assessor(world, session_a, assessor)
    seat_assessor(world, other_a, assessor)
    seat_assessor(world, session_b, assessor, "b")
    assert evaluated_sessions(assessor) == {session_a, other_a, session_b}

    services.deactivate_membership(
        membership(assessor, world.centre_a, Role.ASSESSOR), actor=admin_a, reason="Départ"
    )

    assert evaluated_sessions(assessor) == {session_b}
    checker = ObjectPermissionChecker(assessor)
    assert not checker.has_perm("evaluate_session", session_a)
    assert not checker.has_perm("evaluate_session", other_a)
    assert ObjectPermissionChecker(assessor).has_perm("evaluate_session", session_b)
    revokes = AuditEntry.objects.filter(action="permission.revoke").order_by("id")
    assert {(e.subject_type, e.subject_id) for e in revokes} == {
        ("evaluations.evaluationsession", str(session_a.pk)),
        ("evaluations.evaluationsession", str(other_a.pk)),
    }
    for entry in revokes:
        assert entry.centre == world.centre_a and entry.actor == admin_a
        assert entry.before == {"user": assessor.pk, "permission": EVALUATE_PERMISSION}
        assert entry.reason == "Départ"
    # After the deactivation row, in the same transaction.
    deactivation = AuditEntry.objects.get(action="membership.deactivate")
    assert all(entry.pk > deactivation.pk for entry in revokes)


def test_deactivation_revokes_the_juror_grants_of_that_centre_only(world, admin_a, juror):
    session_a, session_b = jury_session(world), jury_session(world, "b")
    seat_juror(world, session_a, juror)
    seat_juror(world, session_b, juror, "b")
    assert jury_sessions(juror) == {session_a, session_b}

    services.deactivate_membership(membership(juror, world.centre_a, Role.JUROR), actor=admin_a)

    assert jury_sessions(juror) == {session_b}
    assert not ObjectPermissionChecker(juror).has_perm("sit_on_jury_session", session_a)
    assert AuditEntry.objects.filter(
        action="permission.revoke", centre=world.centre_a, subject_id=str(session_a.pk)
    ).exists()


def test_losing_one_role_keeps_the_grants_of_the_others(world, admin_a):
    """An assessor who is also a juror of the centre: withdrawing the juror role takes the
    jury sessions, not the evaluation sessions the assessor role still carries."""
    user = world.user("assessor")
    MembershipFactory(user=user, centre=world.centre_a, role=Role.JUROR)
    evaluation, jury = evaluation_session(world), jury_session(world)
    seat_assessor(world, evaluation, user)
    seat_juror(world, jury, user)

    services.deactivate_membership(membership(user, world.centre_a, Role.JUROR), actor=admin_a)

    assert jury_sessions(user) == set()
    assert evaluated_sessions(user) == {evaluation}


def test_reactivation_restores_nothing_until_assigned_again(world, admin_a, assessor, juror):
    evaluation, jury = evaluation_session(world), jury_session(world)
    commission_seat = seat_assessor(world, evaluation, assessor)
    jury_seat = seat_juror(world, jury, juror)
    for user, role in ((assessor, Role.ASSESSOR), (juror, Role.JUROR)):
        services.deactivate_membership(membership(user, world.centre_a, role), actor=admin_a)
        services.reactivate_membership(membership(user, world.centre_a, role), actor=admin_a)
    assert evaluated_sessions(assessor) == set()
    assert jury_sessions(juror) == set()
    assert not ObjectPermissionChecker(assessor).has_perm("evaluate_session", evaluation)

    # Assigned again by the services, they are granted again.
    staff = build_actor(world.user("staff"))
    evaluation_services.remove_member(commission_seat, actor=staff)
    seat_assessor(world, evaluation, assessor)
    jury_services.remove_member(jury_seat, actor=staff)
    seat_juror(world, jury, juror)
    assert evaluated_sessions(assessor) == {evaluation}
    assert jury_sessions(juror) == {jury}


def test_refused_deactivation_revokes_nothing(world, admin_a):
    """The last administrator's role cannot be withdrawn: nothing is taken either."""
    grant_object_permission(admin_a, "centres.view_company", world.company_a, actor=admin_a)
    with pytest.raises(CentreError):
        services.deactivate_membership(
            membership(admin_a, world.centre_a, Role.CENTRE_ADMIN), actor=admin_a
        )
    assert ObjectPermissionChecker(admin_a).has_perm("view_company", world.company_a)
    assert not AuditEntry.objects.filter(action="permission.revoke").exists()


def test_a_grant_without_a_listed_capability_lasts_while_a_role_remains(world, admin_a):
    """Grants of other permissions (guardian's generic table) stay while the person holds
    any role in the centre, and go with the last one."""
    user = world.user("assessor")
    MembershipFactory(user=user, centre=world.centre_a, role=Role.JUROR)
    perm = "centres.view_company"
    grant_object_permission(user, perm, world.company_a, actor=admin_a)
    services.deactivate_membership(membership(user, world.centre_a, Role.JUROR), actor=admin_a)
    assert ObjectPermissionChecker(user).has_perm("view_company", world.company_a)
    services.deactivate_membership(membership(user, world.centre_a, Role.ASSESSOR), actor=admin_a)
    assert not ObjectPermissionChecker(user).has_perm("view_company", world.company_a)
    assert set(get_objects_for_user(user, perm, world.company_a.__class__)) == set()


def test_disabled_account_loses_every_grant(world, assessor):
    session_a, session_b = evaluation_session(world), evaluation_session(world, "b")
    seat_assessor(world, session_a, assessor)
    seat_assessor(world, session_b, assessor, "b")
    assessor.is_active = False
    assessor.save(update_fields=["is_active"])
    assert revoke_unheld_object_permissions(assessor, actor=world.national_admin) == 2
    assert evaluated_sessions(assessor) == set()
    assert set(
        AuditEntry.objects.filter(action="permission.revoke").values_list("centre", flat=True)
    ) == {world.centre_a.pk, world.centre_b.pk}
    # Nothing left: a second sweep revokes (and audits) nothing.
    assert revoke_unheld_object_permissions(assessor, actor=world.national_admin) == 0


# --- The Django admin (superusers: roles are not the national administrators') -----------


@pytest.fixture
def national(db):
    from tests.factories import UserFactory

    return UserFactory(username="root", is_staff=True, is_superuser=True)


def test_admin_withdrawing_a_role_revokes_its_grants(world, client, national, assessor):
    session_a, session_b = evaluation_session(world), evaluation_session(world, "b")
    seat_assessor(world, session_a, assessor)
    seat_assessor(world, session_b, assessor, "b")
    role = membership(assessor, world.centre_a, Role.ASSESSOR)
    client.force_login(national)
    response = client.post(
        reverse("admin:centres_membership_change", args=[role.pk]),
        {
            "user": assessor.pk,
            "centre": world.centre_a.pk,
            "role": Role.STAFF,  # the role changed: the assessor grants go
            "company": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert evaluated_sessions(assessor) == {session_b}
    entry = AuditEntry.objects.get(action="permission.revoke")
    assert entry.actor == national and entry.centre == world.centre_a


def test_admin_disabling_an_account_revokes_its_grants(world, client, national, juror):
    session_a, session_b = jury_session(world), jury_session(world, "b")
    seat_juror(world, session_a, juror)
    seat_juror(world, session_b, juror, "b")
    client.force_login(national)
    url = reverse("admin:centres_user_change", args=[juror.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None and name not in {"password", "is_active"}
    }
    data["date_joined_0"] = juror.date_joined.strftime("%Y-%m-%d")
    data["date_joined_1"] = juror.date_joined.strftime("%H:%M:%S")
    data.pop("date_joined", None)
    data.pop("last_login", None)
    roles = list(Membership.objects.filter(user=juror).order_by("centre", "role", "id"))
    data.update(
        {
            "memberships-TOTAL_FORMS": str(len(roles)),
            "memberships-INITIAL_FORMS": str(len(roles)),
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        }
    )
    for index, role in enumerate(roles):
        prefix = f"memberships-{index}-"
        data.update(
            {
                prefix + "id": role.pk,
                prefix + "user": juror.pk,
                prefix + "centre": role.centre_id,
                prefix + "role": role.role,
                prefix + "company": role.company_id or "",
                prefix + "is_active": "on",
            }
        )
    response = client.post(url, data)
    if response.status_code != 302:  # the form refused: say why
        ctx = response.context
        errors = [inline.formset.errors for inline in ctx["inline_admin_formsets"]]
        raise AssertionError((ctx["adminform"].form.errors, errors))
    juror.refresh_from_db()
    assert not juror.is_active
    assert jury_sessions(juror) == set()


def test_every_direct_grant_table_has_its_capability():
    """A new per-object permission must say which capability it stands on."""
    for table in user_grant_tables():
        target = table._meta.get_field("content_object").related_model
        if target is None:  # guardian's generic table
            continue
        for codename, _label in target._meta.permissions:
            perm = f"{target._meta.app_label}.{codename}"
            assert perm in GRANT_CAPABILITIES, perm


def test_command_sweeps_the_grants_left_by_older_withdrawals(world, assessor):
    """Roles withdrawn before the revocation existed (a bare update) left their grants:
    the command takes them back, once."""
    session_a, session_b = evaluation_session(world), evaluation_session(world, "b")
    seat_assessor(world, session_a, assessor)
    seat_assessor(world, session_b, assessor, "b")
    Membership.objects.filter(user=assessor, centre=world.centre_a).update(is_active=False)
    out = StringIO()
    call_command("revoke_unheld_grants", stdout=out)
    assert "1 droit(s) retiré(s) au total" in out.getvalue()
    assert evaluated_sessions(assessor) == {session_b}
    entry = AuditEntry.objects.get(action="permission.revoke")
    assert entry.actor is None and entry.centre == world.centre_a
    out = StringIO()
    call_command("revoke_unheld_grants", stdout=out)
    assert "0 droit(s) retiré(s) au total" in out.getvalue()


def test_deactivating_from_the_page_revokes_inside_the_request_scope(
    world, client, admin_a, assessor
):
    session_a, session_b = evaluation_session(world), evaluation_session(world, "b")
    seat_assessor(world, session_a, assessor)
    seat_assessor(world, session_b, assessor, "b")
    role = membership(assessor, world.centre_a, Role.ASSESSOR)
    client.force_login(admin_a)
    response = client.post(
        reverse("centres:membership_deactivate", args=[role.pk]), {"reason": "Fin de mission"}
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert not role.is_active
    assert evaluated_sessions(assessor) == {session_b}


def test_adding_again_a_reactivated_member_who_kept_the_seat_grants_again(
    world, admin_a, assessor, juror
):
    """The seat outlives the withdrawn role; adding the person again (no removal first, which
    is refused once they signed or deliberated) gives the session back."""
    evaluation, jury = evaluation_session(world), jury_session(world)
    commission_seat = seat_assessor(world, evaluation, assessor)
    jury_seat = seat_juror(world, jury, juror)
    for user, role in ((assessor, Role.ASSESSOR), (juror, Role.JUROR)):
        services.deactivate_membership(membership(user, world.centre_a, role), actor=admin_a)
        services.reactivate_membership(membership(user, world.centre_a, role), actor=admin_a)
    assert seat_assessor(world, evaluation, assessor) == commission_seat
    assert seat_juror(world, jury, juror) == jury_seat
    assert evaluated_sessions(assessor) == {evaluation}
    assert jury_sessions(juror) == {jury}
    # a second call writes nothing more
    before = AuditEntry.objects.filter(action="permission.grant").count()
    seat_assessor(world, evaluation, assessor)
    assert AuditEntry.objects.filter(action="permission.grant").count() == before
