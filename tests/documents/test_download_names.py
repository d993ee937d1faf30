"""Downloaded files carry a name a person understands, with an ASCII fallback (RFC 6266)."""

import io
import zipfile
from urllib.parse import quote

import pytest
from django.urls import reverse

from core.disposition import ascii_filename, attachment, safe_filename

from .factories import issue, make_batch, make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.user("staff"))
    return client


def test_the_header_has_an_ascii_fallback_and_the_utf8_name():
    header = attachment("Parchemin - MÉNARD Élodie - LYON-2026-000003.pdf")
    assert header.startswith("attachment; ")
    assert 'filename="Parchemin - MENARD Elodie - LYON-2026-000003.pdf"' in header
    assert "filename*=UTF-8''" + quote("Parchemin - MÉNARD Élodie - LYON-2026-000003.pdf") in header


def test_names_lose_what_no_file_system_accepts():
    assert safe_filename('Convocation — a/b\\c:"d"?.pdf') == "Convocation - a b c d .pdf"
    assert safe_filename("   ") == "document"
    assert ascii_filename("Cœur Œuvre Ærø ß") == "Coeur OEuvre AEro ss"
    long = safe_filename("x" * 300 + ".pdf")
    assert len(long) == 150 and long.endswith(".pdf")


def test_a_parchemin_downloads_as_kind_holder_and_number(world, staff_client):
    record = issue(world.centre_a, holder_first_name="Paul", holder_last_name="Lemaire")
    document = make_document(world.centre_a, certificate=record, status="ready", with_file=True)
    response = staff_client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    expected = f"Parchemin - LEMAIRE Paul - {record.number}.pdf"
    disposition = response["Content-Disposition"]
    assert f'filename="{expected}"' in disposition
    assert "filename*=UTF-8''" + quote(expected) in disposition
    assert "certificate-" not in disposition


def test_the_api_download_has_the_same_name(world, client):
    record = issue(world.centre_a, holder_first_name="Élodie", holder_last_name="Ménard")
    document = make_document(world.centre_a, certificate=record, status="ready", with_file=True)
    client.force_login(world.user("staff"))
    response = client.get(f"/api/v1/documents/{document.pk}/download/")
    assert response.status_code == 200
    expected = f"Parchemin - MÉNARD Élodie - {record.number}.pdf"
    assert "filename*=UTF-8''" + quote(expected) in response["Content-Disposition"]
    assert (
        f'filename="Parchemin - MENARD Elodie - {record.number}.pdf"'
        in response["Content-Disposition"]
    )


def test_other_documents_download_under_their_label(world, staff_client):
    document = make_document(
        world.centre_a,
        kind="convocation",
        label="Convocation — Paul LEMAIRE",
        status="ready",
        with_file=True,
    )
    response = staff_client.get(reverse("documents:download", args=[document.pk]))
    # the title follows the kind in the reader's language, then the name after the dash
    disposition = response["Content-Disposition"]
    assert 'filename="Convocation a l\'evaluation - Paul LEMAIRE.pdf"' in disposition
    assert (
        "filename*=UTF-8''" + quote("Convocation à l'évaluation - Paul LEMAIRE.pdf") in disposition
    )


def test_the_zip_names_its_files_and_keeps_homonyms_apart(world, staff_client):
    batch = make_batch(world.centre_a, count=0, label="Documents du jury J-2026-01")
    for _n in range(2):
        make_document(
            world.centre_a,
            kind="result_letter",
            label="Courrier de résultat — Paul LEMAIRE",
            status="ready",
            with_file=True,
            batch=batch,
        )
    response = staff_client.get(reverse("documents:batch-zip", args=[batch.pk]))
    assert response.status_code == 200
    assert (
        f'filename="Documents du jury J-2026-01 - {batch.pk}.zip"'
        in response["Content-Disposition"]
    )
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == [
        "Courrier de résultat - Paul LEMAIRE (2).pdf",
        "Courrier de résultat - Paul LEMAIRE.pdf",
    ]


def test_exports_carry_both_forms(world, client):
    client.force_login(world.user("staff"))
    response = client.get(reverse("juries:results_csv"))
    disposition = response["Content-Disposition"]
    assert 'filename="resultats-jurys-' in disposition and "filename*=UTF-8''" in disposition
