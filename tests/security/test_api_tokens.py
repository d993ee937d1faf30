"""Issue 14, finding 5: API tokens never expired and survived a password reset (the new
password even returned the same key); logout revoked nothing and nothing could revoke one.
Now tokens are stored hashed, expire (idle and absolute), are revoked by a password change or
reset, a second-factor change (``test_two_factor_enrolment.py``), the account's deactivation
and the end of its last role, and their owner lists and revokes them (page and API)."""

import datetime
import hashlib
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import tokens
from centres import services
from centres.models import ApiToken, AuditEntry, Membership
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, api_key

pytestmark = pytest.mark.django_db

ME = reverse("api:me")
TOKEN_URL = reverse("api:auth-token")
NEW_PASSWORD = "une-toute-nouvelle-phrase"


@pytest.fixture(autouse=True)
def clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def obtain(user, password=DEFAULT_PASSWORD) -> str:
    response = Client().post(
        TOKEN_URL,
        {"username": user.username, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content[:300]
    return response.json()["token"]


def status_with(key) -> int:
    return Client(HTTP_AUTHORIZATION=f"Token {key}").get(ME).status_code


# --- revoked when the credentials change -------------------------------------------------


def test_a_password_reset_revokes_the_tokens_and_the_new_password_gives_a_new_key(world):
    user = world.user("assessor")
    old = obtain(user)
    assert status_with(old) == 200
    browser = Client()
    browser.post(reverse("password_reset"), {"email": user.email})
    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/comptes/mot-de-passe/nouveau/\S+/)", message.body)
    confirm = browser.get(link.group(1), follow=True)
    done = browser.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert status_with(old) == 401
    new = obtain(user, NEW_PASSWORD)
    assert new != old and status_with(new) == 200
    assert AuditEntry.objects.filter(
        action="auth.api_tokens_revoked", subject_id=str(user.pk), reason="password_changed"
    ).exists()


def test_a_password_change_revokes_the_tokens(world):
    user = world.user("company_rep")
    key = obtain(user)
    browser = Client()
    browser.force_login(user)
    response = browser.post(
        reverse("password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert status_with(key) == 401


def test_any_password_change_revokes_them_but_a_hash_upgrade_does_not(world):
    user = world.user("assessor")
    key = api_key(user)
    user.check_password(DEFAULT_PASSWORD)  # may rehash: not a change
    user.save()
    assert status_with(key) == 200
    user.set_password(NEW_PASSWORD)  # the admin's form, changepassword, a script…
    user.save()
    assert status_with(key) == 401
    assert not ApiToken.objects.filter(user=user).exists()


def test_deactivating_the_account_deletes_its_tokens(world):
    user = world.user("assessor")
    api_key(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert not ApiToken.objects.filter(user=user).exists()


def test_the_end_of_the_last_role_revokes_the_tokens(world):
    admin = world.user("centre_admin")
    user = world.user("assessor")
    second = MembershipFactory(user=user, centre=world.centre_a, role="juror")
    key = api_key(user)
    first = Membership.objects.get(user=user, role="assessor")
    services.deactivate_membership(first, actor=admin)
    assert status_with(key) == 200  # still a juror
    services.deactivate_membership(second, actor=admin)
    assert status_with(key) == 401
    entry = AuditEntry.objects.get(action="auth.api_tokens_revoked", subject_id=str(user.pk))
    assert (entry.centre_id, entry.actor_id, entry.reason) == (
        world.centre_a.pk,
        admin.pk,
        "last_role_ended",
    )


# --- expiry ------------------------------------------------------------------------------


REAL_NOW = timezone.now


def travel(monkeypatch, days):
    """Move the clock ``days`` after the real now (for every ``timezone.now()`` caller)."""
    moment = REAL_NOW() + datetime.timedelta(days=days)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_a_token_unused_for_the_idle_period_expires(world, settings, monkeypatch):
    settings.API_TOKEN_IDLE_DAYS = 30
    key = api_key(world.user("staff"))
    travel(monkeypatch, 29)
    assert status_with(key) == 200
    travel(monkeypatch, 29 + 31)  # 31 days after that last use
    assert status_with(key) == 401


def test_a_token_in_use_still_ends_at_its_absolute_age(world, settings, monkeypatch):
    settings.API_TOKEN_IDLE_DAYS = 30
    settings.API_TOKEN_MAX_AGE_DAYS = 365
    key = api_key(world.user("staff"))
    for day in range(20, 365, 20):  # used every 20 days: never idle
        travel(monkeypatch, day)
        assert status_with(key) == 200, day
    travel(monkeypatch, 366)
    assert status_with(key) == 401


# --- stored hashed -----------------------------------------------------------------------


def test_only_the_hash_of_the_key_is_stored(world):
    user = world.user("staff")
    key = obtain(user)
    row = ApiToken.objects.get(user=user)
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM centres_apitoken")
        dump = repr(cursor.fetchall())
    assert key not in dump


def test_the_migration_hashes_the_old_clear_keys(world):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("centres.migrations.0004_api_token_hashed")
    user = world.user("staff")
    clear = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            'CREATE TABLE "authtoken_token" ("key" varchar(40) PRIMARY KEY, '
            '"user_id" bigint NOT NULL, "created" timestamptz NOT NULL)'
        )
        cursor.execute('INSERT INTO "authtoken_token" VALUES (%s, %s, now())', [clear, user.pk])
    with connection.schema_editor() as editor:
        migration.hash_existing_tokens(apps, editor)
    assert "authtoken_token" not in connection.introspection.table_names()
    assert status_with(clear) == 200  # the client keeps its key
    assert ApiToken.objects.get(user=user).key_hash == ApiToken.hash_key(clear)


# --- the owner lists and revokes them ----------------------------------------------------


def test_the_account_page_links_the_password_codes_and_tokens(world, client):
    client.force_login(world.user("juror"))
    page = client.get(reverse("account")).content.decode()
    for name in ("password_change", "api_tokens", "two_factor_setup"):
        assert reverse(name) in page
    assert reverse("account") in client.get(reverse("home")).content.decode()


def test_the_tokens_page_lists_and_revokes_ones_own_tokens(world, client):
    user, other = world.user("staff"), world.user("staff", "b")
    mine, theirs = api_key(user), api_key(other)
    client.force_login(user)
    page = client.get(reverse("api_tokens"))
    assert page.status_code == 200
    body = page.content.decode()
    assert mine[:8] in body and theirs[:8] not in body and mine not in body
    own = ApiToken.objects.get(user=user)
    foreign = ApiToken.objects.get(user=other)
    assert client.post(reverse("api_token_revoke", args=[foreign.pk])).status_code == 404
    assert status_with(theirs) == 200
    done = client.post(reverse("api_token_revoke", args=[own.pk]))
    assert done.status_code == 302 and done["Location"] == reverse("api_tokens")
    assert status_with(mine) == 401
    assert AuditEntry.objects.filter(action="auth.api_token_revoked", subject_id=str(user.pk))


def test_the_tokens_page_costs_the_same_queries_for_one_or_many(
    world, client, django_assert_num_queries
):
    user = world.user("staff")
    client.force_login(user)
    api_key(user)
    client.get(reverse("api_tokens"))
    with django_assert_num_queries(4) as one:  # session, user, roles, tokens
        client.get(reverse("api_tokens"))
    for _ in range(5):
        api_key(user)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("api_tokens"))


def test_the_api_lists_and_deletes_ones_own_tokens(world, django_assert_num_queries):
    user, other = world.user("staff"), world.user("staff", "b")
    current, spare = api_key(user), api_key(user)
    theirs = api_key(other)
    api = Client(HTTP_AUTHORIZATION=f"Token {current}")
    with django_assert_num_queries(3):  # the token and its user, the roles, the list
        listed = api.get(reverse("api:api-token-list"))
    assert listed.status_code == 200
    rows = listed.json()
    assert {r["prefix"] for r in rows} == {current[:8], spare[:8]}
    assert [r["is_current"] for r in rows if r["prefix"] == current[:8]] == [True]
    assert all("key" not in r and "key_hash" not in r for r in rows)
    foreign = ApiToken.objects.get(user=other)
    assert api.delete(reverse("api:api-token-detail", args=[foreign.pk])).status_code == 404
    assert status_with(theirs) == 200
    spare_pk = ApiToken.objects.get(prefix=spare[:8]).pk
    assert api.delete(reverse("api:api-token-detail", args=[spare_pk])).status_code == 204
    assert status_with(spare) == 401 and status_with(current) == 200


def test_logout_from_the_api_revokes_the_token_used(world):
    user = world.user("juror")
    used, other = api_key(user), api_key(user)
    api = Client(HTTP_AUTHORIZATION=f"Token {used}")
    assert api.post(reverse("api:auth-logout")).status_code == 204
    assert status_with(used) == 401
    assert status_with(other) == 200
    assert AuditEntry.objects.filter(
        action="auth.api_token_revoked", subject_id=str(user.pk), reason="logout"
    ).exists()


def test_expired_tokens_are_marked_in_the_list(world, settings):
    user = world.user("staff")
    api_key(user)
    ApiToken.objects.filter(user=user).update(
        last_used_at=timezone.now() - datetime.timedelta(days=settings.API_TOKEN_IDLE_DAYS + 1)
    )
    assert tokens.is_expired(ApiToken.objects.get(user=user))
    client = Client()
    client.force_login(user)
    assert "Expiré" in client.get(reverse("api_tokens")).content.decode()
