"""seed_demo: idempotent, refuses to run with DEBUG off unless --force."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from centres.demo import DEMO_PASSWORD
from centres.models import Centre, Company, Membership
from centres.roles import Role

pytestmark = pytest.mark.django_db
User = get_user_model()


def counts():
    return (
        Centre.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Company.objects.count(),
    )


def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    assert first[0] >= 2
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first
    printed = out.getvalue()
    assert "parchemin-demo" in printed and "admin.lyon" in printed


def test_demo_content(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    for slug in ("lyon", "grenoble"):
        centre = Centre.objects.get(slug=slug)
        assert centre.region == "Auvergne-Rhône-Alpes"
        members = Membership.objects.filter(centre=centre, is_active=True)
        by_role = {role: members.filter(role=role).count() for role in Role.values}
        assert by_role[Role.CENTRE_ADMIN] == 1
        assert by_role[Role.STAFF] == 2
        assert by_role[Role.ASSESSOR] == 3
        assert by_role[Role.JUROR] == 4
        assert by_role[Role.COMPANY_REP] == 2
        assert members.filter(role=Role.STAFF, handles_accommodations=True).count() == 1
        companies = Company.objects.filter(centre=centre)
        assert companies.count() == 2
        for company in companies:
            assert company.representatives.filter(is_active=True).count() == 1
    shared = User.objects.get(username="assessor.shared")
    assert shared.memberships.filter(role=Role.ASSESSOR).count() == 2
    national = User.objects.get(username="national.admin")
    assert national.is_national_admin and national.is_staff
    assert not national.memberships.exists()
    assert User.objects.get(username="admin.lyon").check_password(DEMO_PASSWORD)


def test_seed_keeps_a_changed_password(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    user = User.objects.get(username="staff1.lyon")
    user.set_password("change-pendant-la-demo")
    user.save()
    call_command("seed_demo", stdout=StringIO())
    user.refresh_from_db()
    assert user.check_password("change-pendant-la-demo")


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert Centre.objects.count() == 0
    call_command("seed_demo", "--force", stdout=StringIO())
    assert Centre.objects.filter(slug="lyon").exists()


def test_demo_logins_documented():
    from pathlib import Path

    from centres.demo import CENTRES

    doc = (Path(__file__).resolve().parents[2] / "docs" / "demo-logins.md").read_text()
    assert DEMO_PASSWORD in doc
    for spec in CENTRES:
        for people in spec["people"].values():
            for username, _first, _last in people:
                assert f"`{username}`" in doc
    assert "`national.admin`" in doc


@pytest.mark.django_db(transaction=True)  # the mails leave on commit, as in make run
def test_seed_demo_ends_with_the_login_address_and_keeps_mails_off_the_console(
    settings, capsys, tmp_path, monkeypatch
):
    """make run's console: the demo's e-mails go to files under var/, and the output ends
    with the logins and the address to open (the one the site is served on)."""
    # The PDFs' render jobs also leave on commit: not this test's business (minutes of CPU).
    monkeypatch.setattr("documents.services.enqueue_render", lambda document_id: True)
    monkeypatch.setattr("documents.services.enqueue_many", lambda ids: len(ids))
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.VAR_DIR = tmp_path
    settings.SITE_URL = "http://127.0.0.1:8101"
    call_command("seed_demo")
    printed = capsys.readouterr().out
    lines = [line for line in printed.splitlines() if line.strip()]
    assert "Subject:" not in printed and "Content-Type:" not in printed
    assert len(lines) < 120, len(lines)
    assert lines[-1].strip().endswith("http://127.0.0.1:8101/comptes/connexion/")
    logins = next(i for i, line in enumerate(lines) if "Comptes de démonstration" in line)
    assert any("admin.lyon" in line for line in lines[logins:])
    assert all("/verifier/" not in line for line in lines[logins:])
    mails = list((tmp_path / "demo-mails").glob("*.log"))
    assert mails, "the demo's e-mails are kept in var/demo-mails/"
    assert "Subject:" in mails[0].read_text()
    assert f"{tmp_path / 'demo-mails'}" in printed
