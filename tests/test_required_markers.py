"""Every form page marks its required fields (issue 13, « Plausible input »).

Walks every HTML page of the permission matrix (``tests/matrix.py``, which a meta-test keeps
complete: a new page without an entry fails there), as each role allowed to see it (or
anonymously for the public pages), and checks each required control of the page with
``tests.required_markers``: its label carries the mark, and the page shows the legend once.
"""

import pytest
from django.urls import reverse

from .matrix import all_entries
from .required_markers import check

PAGES = [e for e in all_entries() if e.method == "get" and not e.is_api and e.status == 200]


def _pages_seen(entry, world, client):
    if entry.setup:
        entry.setup(world)
    url = reverse(entry.name, kwargs=entry.kwargs(world) if entry.kwargs else {}) + entry.query
    users = [None] if entry.public or not entry.allowed else [world.user(r) for r in entry.allowed]
    for user in users:
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, (entry.id, user)
        if "text/html" in response.get("Content-Type", ""):
            yield user, check(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("entry", PAGES, ids=lambda e: e.id)
def test_required_fields_are_marked(entry, world, client):
    for user, page in _pages_seen(entry, world, client):
        assert not page.problems(), (entry.id, str(user), page.problems())


REQUIRED_FIELD_PAGES = [
    "login",
    "verification:form",
    "candidates:create",
    "candidates:dossier_create",
    "centres:company_create",
    "evaluations:session_create",
    "juries:session_create",
    "documents:certificate",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", REQUIRED_FIELD_PAGES)
def test_the_walk_meets_the_required_fields_of_known_form_pages(name, world, client):
    """The walk above is not vacuous: these pages have required fields, all of them marked."""
    entry = next(e for e in PAGES if e.name == name)
    pages = [page for _user, page in _pages_seen(entry, world, client)]
    assert pages and all(page.required for page in pages)
    assert all(page.legends == 1 and not page.problems() for page in pages)
