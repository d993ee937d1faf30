"""Issue 14, finding 2: a national administrator escalated through ``/admin/`` with no trace
(reset a superuser's password, gave themselves a ``centre_admin`` role that opened health
data). Their admin is now the national referential and the register of centres only; every
other model admin of the site answers 403, and every admin write is audited.

The walk iterates ``admin.site._registry``: a model admin added later is covered (and is
superuser-only unless it says ``national_admin_allowed``, see ``centres.admin_site``)."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from centres.models import AuditEntry, Invitation, Membership
from centres.roles import Role
from centres.scoping import scopes_disabled
from tests.cqpm.factories import load_small
from tests.factories import DEFAULT_PASSWORD, UserFactory, api_key

pytestmark = pytest.mark.django_db

# What a national administrator may use in the admin: nothing else.
NATIONAL_MODELS = {
    "centres.centre",
    "cqpm.qualification",
    "cqpm.referentialversion",
    "cqpm.competence",
}
NEW_PASSWORD = "Un-nouveau-mot-de-passe-42"


@pytest.fixture
def national(world):
    user = world.national_admin
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def one_of_each(world, root):
    """An object of every registered model, for the change/delete/history URLs."""
    load_small()
    user = world.user("staff")
    Group.objects.create(name="Groupe")
    api_key(user)
    now = timezone.now()
    common = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "x"}
    AccessAttempt.objects.create(failures_since_start=1, attempt_time=now, **common)
    AccessLog.objects.create(attempt_time=now, **common)
    AccessFailureLog.objects.create(attempt_time=now, **common)
    TOTPDevice.objects.create(user=user, name="téléphone")
    StaticDevice.objects.create(user=user, name="secours")
    Invitation.objects.create(
        centre=world.centre_a,
        email="nouveau@example.org",
        role=Role.STAFF,
        token_hash="0" * 64,
        invited_by=world.user("centre_admin"),
        expires_at=now + datetime.timedelta(days=7),
    )
    AuditEntry.objects.create(centre=world.centre_a, action="test", subject_type="x")


def _rows(model):
    manager = model._default_manager
    if hasattr(manager, "with_scopes_disabled"):
        return manager.with_scopes_disabled().all()
    return manager.all()


def _first(model):
    obj = _rows(model).order_by("pk").first()
    assert obj is not None, f"give {model._meta.label} an object in one_of_each"
    return obj


def _urls(model, obj):
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    urls = {
        "changelist": reverse(f"{prefix}_changelist"),
        "add": reverse(f"{prefix}_add"),
        "change": reverse(f"{prefix}_change", args=[obj.pk]),
        "delete": reverse(f"{prefix}_delete", args=[obj.pk]),
        "history": reverse(f"{prefix}_history", args=[obj.pk]),
    }
    if model._meta.label_lower == "centres.user":
        urls["password"] = reverse("admin:auth_user_password_change", args=[obj.pk])
    return urls


def test_the_national_administrator_reaches_only_the_referential_and_the_centres(
    client, national, one_of_each
):
    client.force_login(national)
    reachable = set()
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        obj = _first(model)
        request = client.get(reverse("admin:index")).wsgi_request
        if model_admin.has_module_permission(request):
            reachable.add(label)
        if label in NATIONAL_MODELS:
            continue
        before = AuditEntry.objects.with_scopes_disabled().count()
        rows = _rows(model).count()
        for kind, url in _urls(model, obj).items():
            for method in ("get", "post"):
                response = getattr(client, method)(url, {"post": "yes"})
                assert response.status_code in (403, 404), (label, kind, method, url)
        # nothing written, nothing deleted
        assert _rows(model).count() == rows, label
        assert AuditEntry.objects.with_scopes_disabled().count() == before
        assert not model_admin.has_view_permission(request, obj), label
        assert not model_admin.has_change_permission(request, obj), label
    assert reachable == NATIONAL_MODELS
    # and the index lists nothing else
    html = client.get(reverse("admin:index")).content.decode()
    for url in ("/admin/centres/user/", "/admin/centres/membership/", "/admin/auth/group/"):
        assert url not in html


def test_the_national_administrator_cannot_escalate(client, world, national, root):
    """The two attacks of the review, replayed."""
    client.force_login(national)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password(DEFAULT_PASSWORD)

    response = client.post(
        reverse("admin:centres_membership_add"),
        {"user": national.pk, "centre": world.centre_a.pk, "role": Role.CENTRE_ADMIN},
    )
    assert response.status_code == 403
    with scopes_disabled():
        assert not Membership.objects.filter(user=national).exists()


def test_centre_settings_stay_the_centres(client, world, national):
    client.force_login(national)
    url = reverse("admin:centres_centre_change", args=[world.centre_a.pk])
    assert client.get(url).status_code == 200
    centre = world.centre_a
    data = {
        "name": "UIMM Centre A renommé",
        "slug": centre.slug,
        "region": centre.region,
        "address": centre.address,
        "city": centre.city,
        "siret": centre.siret,
        "jury_quorum": 2,  # read-only for them: ignored
        "commission_min_assessors": 1,
        "retention_active_months": 1,
        "retention_archive_months": 1,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    centre.refresh_from_db()
    assert centre.name == "UIMM Centre A renommé"
    assert (centre.jury_quorum, centre.commission_min_assessors) == (4, 2)
    entry = AuditEntry.objects.with_scopes_disabled().get(action="admin.change")
    assert entry.centre == centre and entry.actor == national
    assert entry.after == {"name": "UIMM Centre A renommé"}
    assert client.post(reverse("admin:centres_centre_delete", args=[centre.pk])).status_code == 403


# --- Every admin write is audited ------------------------------------------------------------


def _entries(**filters):
    return AuditEntry.objects.with_scopes_disabled().filter(**filters)


def test_a_password_set_in_the_admin_is_audited_without_the_secret(client, world, root):
    target = UserFactory(username="other.root", is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[target.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)
    entry = _entries(action="admin.change", subject_id=str(target.pk)).get()
    assert entry.actor == root and entry.subject_type == "centres.user" and entry.centre is None
    assert entry.after == {"fields": ["password"]}
    assert target.password not in str(entry.after)

    # a user holding roles: one row in each of their centres
    staff = world.user("staff")
    client.post(
        reverse("admin:auth_user_password_change", args=[staff.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    rows = _entries(action="admin.change", subject_id=str(staff.pk))
    assert list(rows.values_list("centre", flat=True)) == [world.centre_a.pk]


def test_a_membership_added_in_the_admin_is_in_the_centres_log(client, world, root):
    user = UserFactory(username="new.admin")
    client.force_login(root)
    response = client.post(
        reverse("admin:centres_membership_add"),
        {
            "user": user.pk,
            "centre": world.centre_b.pk,
            "role": Role.CENTRE_ADMIN,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        membership = Membership.objects.get(user=user)
    entry = _entries(action="admin.add", subject_type="centres.membership").get()
    assert entry.centre == world.centre_b and entry.actor == root
    assert entry.subject_id == str(membership.pk)
    assert entry.after["role"] == Role.CENTRE_ADMIN and entry.after["user"] == user.pk

    url = reverse("admin:centres_membership_delete", args=[membership.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    entry = _entries(action="admin.delete", subject_type="centres.membership").get()
    assert entry.centre == world.centre_b and entry.before["role"] == Role.CENTRE_ADMIN


def test_roles_changed_in_the_user_form_are_audited_row_by_row(client, world, root):
    user = UserFactory(username="inline.user")
    client.force_login(root)
    url = reverse("admin:centres_user_change", args=[user.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None and name not in {"password"}
    }
    data["date_joined_0"] = user.date_joined.strftime("%Y-%m-%d")
    data["date_joined_1"] = user.date_joined.strftime("%H:%M:%S")
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data["is_active"] = "on"
    data["groups"] = []
    data["user_permissions"] = []
    data.update(
        {
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-user": user.pk,
            "memberships-0-centre": world.centre_a.pk,
            "memberships-0-role": Role.CENTRE_ADMIN,
            "memberships-0-handles_accommodations": "on",
            "memberships-0-is_active": "on",
        }
    )
    data = {k: v for k, v in data.items() if v != []}
    response = client.post(url, data)
    if response.status_code != 302:
        ctx = response.context
        errors = [inline.formset.errors for inline in ctx["inline_admin_formsets"]]
        raise AssertionError((ctx["adminform"].form.errors, errors))
    entry = _entries(action="admin.add", subject_type="centres.membership").get()
    assert entry.centre == world.centre_a and entry.actor == root
    assert entry.after["role"] == Role.CENTRE_ADMIN and entry.after["handles_accommodations"]


def test_deletions_and_library_admins_are_audited(client, world, root):
    client.force_login(root)
    group = Group.objects.create(name="Lecteurs")
    response = client.post(
        reverse("admin:auth_group_changelist"),
        {"action": "delete_selected", "_selected_action": [group.pk], "post": "yes"},
    )
    assert response.status_code == 302
    entry = _entries(action="admin.delete", subject_type="auth.group").get()
    assert entry.centre is None and entry.before["name"] == "Lecteurs"

    device = TOTPDevice.objects.create(user=world.user("staff"), name="téléphone")
    response = client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    entry = _entries(action="admin.delete", subject_type="otp_totp.totpdevice").get()
    assert entry.centre == world.centre_a
    assert entry.before["key"] == "[masqué]"

    response = client.post(reverse("admin:auth_group_add"), {"name": "Nouveaux"})
    assert response.status_code == 302
    assert _entries(action="admin.add", subject_type="auth.group").get().after == {
        "name": "Nouveaux"
    }


def test_ones_own_password_changed_in_the_admin_is_audited(client, root):
    client.force_login(root)
    response = client.post(
        reverse("admin:password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    entry = _entries(action="admin.password_change").get()
    assert entry.actor == root and entry.subject_id == str(root.pk)


def test_referential_edits_in_the_admin_are_audited(client, national):
    qualification = load_small().qualification
    client.force_login(national)
    url = reverse("admin:cqpm_qualification_change", args=[qualification.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data["title"] = "Titre revu"
    data.update(
        {
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
            "versions-MIN_NUM_FORMS": "0",
            "versions-MAX_NUM_FORMS": "1000",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = _entries(action="admin.change", subject_type="cqpm.qualification").get()
    assert entry.centre is None and entry.actor == national
    assert entry.after == {"title": "Titre revu"}
