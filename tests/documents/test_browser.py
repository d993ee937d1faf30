"""The batch page in a real browser: the htmx progress fragment polls until done."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from documents.models import DocumentStatus
from tests.conftest import browser_login, touch_page
from tests.factories import DEFAULT_PASSWORD

from .factories import FAKE_PDF, make_batch


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_batch_progress_bar_updates_and_offers_the_zip(world, page):
    batch = make_batch(world.centre_a, count=2, status=DocumentStatus.PENDING)
    browser_login(page, "staff_a", DEFAULT_PASSWORD)
    page.goto(reverse("documents:batch", args=[batch.pk]))
    progress = page.locator("#batch-progress")
    assert "0 documents traités sur 2" in progress.inner_text()
    assert page.get_by_role("link", name="Télécharger l'archive ZIP").count() == 0

    for document in batch.documents.all():  # the workers finish
        document.file.save(f"doc-{document.pk}.pdf", ContentFile(FAKE_PDF), save=False)
        document.status = DocumentStatus.READY
        document.save()

    page.get_by_role("link", name="Télécharger l'archive ZIP").wait_for(timeout=10_000)
    assert "2 documents traités sur 2" in progress.inner_text()
    assert page.locator("#batch-progress[hx-trigger]").count() == 0  # polling stopped


@pytest.fixture
def phone_page(browser, live_server):
    """A 390×844 phone: the verification page is what a certificate's QR code opens."""
    with touch_page(browser, live_server.url, 390, 844) as page:
        yield page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("revoked", [False, True], ids=["valid", "revoked"])
def test_the_verification_page_fits_a_phone_screen(world, phone_page, revoked):
    from documents.services import revoke_certificate

    from .factories import issue

    record = issue(world.centre_a, world.user("staff"), kind="attestation")
    if revoked:
        revoke_certificate(record, reason="Erreur de saisie", actor=world.user("staff"))
    for url in (
        reverse("verification:verify", kwargs={"code": record.display_code}),
        reverse("verification:verify", kwargs={"code": "ZZZZZ-ZZZZZ"}),  # unknown code
        reverse("verification:form"),
    ):
        phone_page.goto(url)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url}: {width} px wide on a 390 px screen"
    assert phone_page.get_by_role("heading").first.is_visible()
