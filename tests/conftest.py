"""Shared fixtures: scopes, the two-centre world, API clients, and the browser harness."""

import contextlib
import os
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.utils import translation
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from centres.roles import Role

from .factories import CentreFactory, CompanyFactory, UserFactory, user_with_role

ROLES = [r.value for r in Role]
NATIONAL_ADMIN = "national_admin"


@pytest.fixture(autouse=True)
def _test_code_outside_scopes():
    """Test code builds and inspects rows of several centres; requests re-open the scope
    through the middleware, so pages and endpoints are still checked fail-closed."""
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _fast_hashing_and_no_axes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts and ends in the default language (French): a request made in
    English leaves English active in the thread, which services called afterwards would
    use for their messages."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@dataclass
class World:
    """Two centres; in each, one user per role (``world.users["a"]["staff"]``), plus a
    national administrator. Centre A holds the objects under test, centre B the outsiders."""

    centre_a: object
    centre_b: object
    company_a: object
    company_b: object
    users: dict = field(default_factory=dict)
    national_admin: object = None

    def user(self, role, side="a"):
        if role == NATIONAL_ADMIN:
            return self.national_admin
        return self.users[side][role]


@pytest.fixture
def world(db):
    centre_a = CentreFactory(name="UIMM Centre A", slug="centre-a")
    centre_b = CentreFactory(name="UIMM Centre B", slug="centre-b")
    company_a = CompanyFactory(centre=centre_a, name="Société Alpha")
    company_b = CompanyFactory(centre=centre_b, name="Société Bêta")
    users = {}
    for side, centre, company in (("a", centre_a, company_a), ("b", centre_b, company_b)):
        users[side] = {
            role: user_with_role(
                centre,
                role,
                username=f"{role}_{side}",
                company=company if role == Role.COMPANY_REP else None,
            )
            for role in ROLES
        }
    national = UserFactory(username="national_admin", is_national_admin=True)
    return World(centre_a, centre_b, company_a, company_b, users, national)


@pytest.fixture
def api_client():
    return APIClient()


def login(client, user):
    client.force_login(user)
    return client


# --- Browser harness -------------------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def _playwright():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium "
            "(apt-get install -y chromium) or set CHROMIUM_PATH"
        )
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server. The project sets ``MEDIA_URL = None`` (no public media
    URL), which Django's live-server media handler cannot parse (every request fails with a
    TypeError): the handler is built with a prefix nothing links to, then the setting is
    restored."""
    from django.conf import settings as django_settings
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    media_url = django_settings.MEDIA_URL
    django_settings.MEDIA_URL = "/__live-server-media__/"
    try:
        server = LiveServer(addr)
    finally:
        django_settings.MEDIA_URL = media_url
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@contextlib.contextmanager
def touch_page(browser, base_url, width, height):
    """A page on a touch device of ``width``×``height`` (tablet, phone), closed afterwards."""
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": width, "height": height},
        has_touch=True,
        is_mobile=True,
        device_scale_factor=1,
        locale="fr-FR",
        timezone_id="Europe/Paris",
    )
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def tablet_page(browser, live_server):
    """A 1024×768 touch tablet, as assessors use on the shop floor."""
    with touch_page(browser, live_server.url, 1024, 768) as page:
        yield page


def browser_login(page, username, password):
    page.goto("/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("domcontentloaded")
