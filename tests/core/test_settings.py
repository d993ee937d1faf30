"""The settings fail fast: SITE_URL follows the served address on the embedded default and
is required in production (issue 13), a weak SECRET_KEY refuses to start in production
(issue 14). Each case starts a fresh interpreter, as a real start does."""

import json
import subprocess
import sys

from django.conf import settings

from tests.security.helpers import production_env, run_manage

EMBEDDED_UNSET = {"DEBUG", "SITE_URL", "HOST", "PORT", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}


def embedded_env(**extra) -> dict:
    env = {k: v for k, v in production_env().items() if k not in EMBEDDED_UNSET}
    env.update(extra)
    return env


def settings_of(env, *names) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "parchemin.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- SITE_URL ---------------------------------------------------------------------------


def test_the_embedded_default_site_url_is_the_served_address():
    """make run PORT=8101 passes HOST and PORT: certificates and mails say :8101."""
    assert settings_of(embedded_env(PORT="8101"), "SITE_URL") == {
        "SITE_URL": "http://127.0.0.1:8101"
    }
    assert settings_of(embedded_env(), "SITE_URL")["SITE_URL"] == "http://127.0.0.1:8000"
    explicit = embedded_env(PORT="8101", SITE_URL="https://demo.example.org/")
    assert settings_of(explicit, "SITE_URL")["SITE_URL"] == "https://demo.example.org"


def test_make_run_passes_its_port_to_the_demo_and_the_server():
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8101"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    commands = result.stdout.splitlines()
    seed = next(line for line in commands if "manage.py seed_demo" in line)
    assert "PORT=8101" in seed
    servers = [line for line in commands if "manage.py runserver" in line]
    assert servers and all("PORT=8101" in line and "8101" in line for line in servers)


def test_production_refuses_to_start_without_site_url():
    env = production_env()
    env.pop("SITE_URL")
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SITE_URL must be set when DEBUG is off" in result.stderr


def test_a_site_url_that_is_no_address_fails_fast():
    result = run_manage("check", env=production_env(SITE_URL="parchemin.example.org"))
    assert result.returncode != 0
    assert "SITE_URL must be an absolute http(s) address" in result.stderr


# --- DOCUMENTS_SPECIMEN (issue 15) ----------------------------------------------------------


def test_specimen_documents_follow_debug_unless_set():
    """The demo issues specimens (watermarked, mentions not required); production does not,
    unless a staging deployment asks for it."""
    assert settings_of(embedded_env(), "DOCUMENTS_SPECIMEN") == {"DOCUMENTS_SPECIMEN": True}
    assert settings_of(production_env(), "DOCUMENTS_SPECIMEN") == {"DOCUMENTS_SPECIMEN": False}
    staging = production_env(DOCUMENTS_SPECIMEN="true")
    assert settings_of(staging, "DOCUMENTS_SPECIMEN") == {"DOCUMENTS_SPECIMEN": True}


# --- SECRET_KEY (issue 14, finding 11) -----------------------------------------------------


def test_production_refuses_to_start_with_a_short_secret_key():
    result = run_manage("check", env=production_env(SECRET_KEY="x7Kp2-too-short-but-varied"))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is too weak for production" in result.stderr
    assert "it has 26 characters, at least 50 are needed" in result.stderr


def test_production_refuses_a_key_of_too_few_distinct_characters():
    result = run_manage("check", env=production_env(SECRET_KEY="abab" * 20))
    assert result.returncode != 0
    assert "only 2 distinct characters" in result.stderr


def test_production_refuses_a_django_insecure_key():
    key = "django-insecure-" + "k3y9Qw8Zr7Lm2Np4Xv6Tb1Hc5Jd0Fg8Ys3Ue7Ai9Ro"
    assert len(key) >= 50
    result = run_manage("check", env=production_env(SECRET_KEY=key))
    assert result.returncode != 0
    assert "starts with 'django-insecure-'" in result.stderr


def test_a_strong_key_starts_and_development_keeps_any_key():
    assert run_manage("check", env=production_env()).returncode == 0  # a 60-character key
    short = embedded_env(SECRET_KEY="short")
    assert settings_of(short, "SECRET_KEY") == {"SECRET_KEY": "short"}  # DEBUG on: allowed
