"""The Django admin under the Content Security Policy: the national administrators' pages
(index, lists, change forms with inlines, the add form with its prepopulated slug) carry the
same strict policy as the rest of the site, and their HTML holds nothing the policy would
block (Django's admin loads its scripts from static files, its per-page data through
``data-`` attributes), so the admin needs no exception. Candidate data is not in the admin.
"""

import pytest
from django.urls import NoReverseMatch, reverse

from tests.cqpm.factories import load_small
from tests.factories import UserFactory

from .helpers import inline_code
from .test_headers import _csp

pytestmark = pytest.mark.django_db

STRICT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
}


NATIONAL_PAGES = ("/admin/cqpm/", "/admin/centres/centre/")


@pytest.fixture
def admin_pages(world):
    version = load_small()
    competence = version.competences.first()
    return [
        reverse("admin:index"),
        reverse("admin:centres_centre_changelist"),
        reverse("admin:centres_centre_change", args=[world.centre_a.pk]),
        reverse("admin:centres_centre_add"),  # prepopulated slug
        reverse("admin:centres_company_changelist") + "?centre__id__exact=1",
        reverse("admin:centres_company_change", args=[world.company_a.pk]),
        reverse("admin:centres_user_changelist"),
        reverse("admin:centres_user_change", args=[world.user("assessor").pk]),  # inline
        reverse("admin:centres_auditentry_changelist"),
        reverse("admin:cqpm_qualification_changelist"),
        reverse("admin:cqpm_qualification_change", args=[version.qualification_id]),
        reverse("admin:cqpm_referentialversion_changelist"),
        reverse("admin:cqpm_referentialversion_change", args=[version.pk]),
        reverse("admin:cqpm_competence_change", args=[competence.pk]),
    ]


def _superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def _national(world):
    user = world.national_admin
    user.is_staff = True
    user.save()
    return user


@pytest.mark.parametrize("who", ["superuser", "national_admin"])
def test_admin_pages_keep_the_strict_policy_and_no_inline_code(client, world, admin_pages, who):
    client.force_login(_superuser() if who == "superuser" else _national(world))
    for url in admin_pages:
        response = client.get(url)
        if who == "national_admin" and url != "/admin/" and not url.startswith(NATIONAL_PAGES):
            # the tenancy is the superuser's (see tests/security/test_admin_escalation.py)
            assert response.status_code == 403, url
            continue
        assert response.status_code == 200, url
        policy = _csp(response)
        for directive, sources in STRICT.items():
            assert policy[directive] == sources, (url, directive)
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], url
        problems = inline_code(response.content.decode())
        assert not problems, f"{url}: {problems}"


def test_candidate_data_is_not_in_the_admin(client):
    client.force_login(_superuser())
    html = client.get(reverse("admin:index")).content.decode()
    assert "/admin/candidates/" not in html
    with pytest.raises(NoReverseMatch):
        reverse("admin:candidates_candidate_changelist")
    assert client.get("/admin/candidates/candidate/").status_code == 404


# --- In a real browser ---------------------------------------------------------------------

LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_forms_run_without_a_csp_violation_in_the_browser(world, page):
    from playwright.sync_api import expect

    from tests.conftest import browser_login
    from tests.factories import DEFAULT_PASSWORD

    version = load_small()
    _superuser()
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.add_init_script(LISTEN_FOR_VIOLATIONS)
    browser_login(page, "root", DEFAULT_PASSWORD)

    def visit(url):
        response = page.goto(url)
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")

    # the user change form: date/time shortcuts, the roles inline and its "add another" row
    visit(reverse("admin:centres_user_change", args=[world.user("assessor").pk]))
    rows = page.locator("tr.form-row.dynamic-memberships")
    before = rows.count()
    page.locator(".add-row a").first.click()
    expect(rows).to_have_count(before + 1)
    page.locator(".datetimeshortcuts a").first.click()
    # the centre add form: the slug follows the name (prepopulated fields)
    visit(reverse("admin:centres_centre_add"))
    page.locator("#id_name").press_sequentially("Centre Nouveau")  # keyup events
    expect(page.locator("#id_slug")).to_have_value("centre-nouveau")
    # a referential version and a competence with their inlines, a list with its filters
    visit(reverse("admin:cqpm_referentialversion_change", args=[version.pk]))
    visit(reverse("admin:cqpm_competence_change", args=[version.competences.first().pk]))
    visit(reverse("admin:centres_company_changelist"))
    violations = page.evaluate("window.__cspViolations")
    assert violations == [] and console == [], (violations, console)
    # the listener does see what the policy blocks
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')")
    expect(page.locator("#content")).to_be_visible()
    page.wait_for_function("window.__cspViolations.length > 0")
