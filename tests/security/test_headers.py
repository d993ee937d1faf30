"""Headers and settings: Content Security Policy without inline code, frame denial, HSTS and
secure cookies in production mode, Django's deployment checklist, API rate limits.

The page checks are generic: every template of the project is scanned, and every HTML page
of the permission matrix (``tests/*/matrix.py``) is rendered and parsed, so the pages other
apps add are covered as soon as they have their matrix entries.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from tests.matrix import all_entries

from .helpers import inline_code, production_env, production_settings, run_manage

TEMPLATE_DIRS = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
# WeasyPrint renders these to PDF: never served to a browser, so not under the CSP.
NOT_SERVED = ("documents/pdf/",)


def _served_templates():
    for base in TEMPLATE_DIRS:
        for path in sorted(base.rglob("*.html")):
            relative = path.relative_to(base).as_posix()
            if not relative.startswith(NOT_SERVED):
                yield relative, path


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize(("name", "path"), list(_served_templates()), ids=lambda v: str(v))
def test_templates_have_no_inline_script_style_or_handler(name, path):
    problems = inline_code(path.read_text(encoding="utf-8"))
    assert not problems, f"{name}: {problems}"


def test_the_scanner_finds_what_the_policy_blocks():
    html = (
        '<p style="color:red" onclick="x()">a</p><style>p{}</style><script>alert(1)</script>'
        '<a href="javascript:void(0)">b</a><script src="/static/a.js"></script>'
        '<script type="application/json">{"a": 1}</script>'
    )
    problems = inline_code(html)
    assert len(problems) == 5, problems


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client, world):
    client.force_login(world.user("centre_admin"))
    for url in (reverse("centres:users"), reverse("login"), reverse("cqpm:catalogue")):
        response = client.get(url)
        policy = _csp(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_api_docs_load_their_script_from_the_app(client):
    response = client.get(reverse("api:api-docs"))
    assert response.status_code == 200
    assert inline_code_without_style(response.content.decode()) == []
    policy = _csp(response)
    assert policy["script-src"] == ["'self'"]
    script = client.get(reverse("api:api-docs") + "?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def inline_code_without_style(html):
    return [p for p in inline_code(html) if "<style>" not in p]


HTML_PAGES = [
    e
    for e in all_entries()
    if not e.is_api and e.method == "get" and e.status == 200 and (e.allowed or e.public)
]


@pytest.mark.django_db
@pytest.mark.parametrize("entry", HTML_PAGES, ids=lambda e: e.id)
def test_every_page_renders_without_inline_code(entry, world, client):
    if entry.setup:
        entry.setup(world)
    url = reverse(entry.name, kwargs=entry.kwargs(world) if entry.kwargs else {}) + entry.query
    if entry.allowed:
        client.force_login(world.user(entry.allowed[0]))
    response = client.get(url)
    assert response.status_code == 200
    if "text/html" not in response.get("Content-Type", ""):
        return
    assert "Content-Security-Policy" in response
    problems = inline_code(response.content.decode())
    assert not problems, f"{entry.id}: {problems}"


# --- Production mode ---------------------------------------------------------------------


def test_production_mode_passes_the_security_deployment_checks():
    result = run_manage("check", "--deploy", "--tag", "security", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_mode_passes_the_whole_deployment_checklist():
    """What CI runs: every system check, with the deployment ones, warnings included."""
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_mode_is_secure_by_default():
    values = production_settings(
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "X_FRAME_OPTIONS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "PASSWORD_HASHERS",
        "TWO_FACTOR_ENFORCED",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    )
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert values["PASSWORD_HASHERS"][0].endswith("Argon2PasswordHasher")
    assert values["TWO_FACTOR_ENFORCED"] is True
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True


def test_a_bad_throttle_rate_fails_fast():
    result = run_manage("check", env=production_env(API_USER_RATE="beaucoup"))
    assert result.returncode != 0
    assert "API_USER_RATE" in result.stderr


# --- API rate limits ---------------------------------------------------------------------


@pytest.fixture
def low_api_rates(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": "3/minute",
            "user": "4/minute",
        },
    }
    yield
    cache.clear()


@pytest.mark.django_db
def test_api_throttles_an_authenticated_client(low_api_rates, api_client, world):
    api_client.force_authenticate(world.user("staff"))
    url = reverse("api:qualification-list")
    statuses = [api_client.get(url).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    # Another user has its own budget.
    api_client.force_authenticate(world.user("centre_admin"))
    assert api_client.get(url).status_code == 200


@pytest.mark.django_db
def test_api_throttles_an_anonymous_client(low_api_rates, api_client):
    url = reverse("api:qualification-list")
    statuses = [api_client.get(url).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert "Retry-After" in api_client.get(url)


def test_default_rates_are_out_of_reach_of_a_test_suite_but_present():
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates["anon"] == "300/minute"
    assert rates["user"] == "2000/minute"
    assert rates["token"] == "20/minute"
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == [
        "core.api.throttling.AnonThrottle",
        "core.api.throttling.UserThrottle",
    ]
