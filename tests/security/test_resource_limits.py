"""Resource exhaustion through hostile input (issue 14, findings 6–8): a pixel bomb in an
upload, over-long free text, oversized request bodies, spreadsheet bombs in the import."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from candidates.errors import DossierError
from candidates.filechecks import check_upload
from candidates.models import DossierDocument
from tests.candidates.factories import DossierFactory

pytestmark = pytest.mark.django_db


def pixel_bomb(width=100_000, height=100_000) -> bytes:
    """A tiny PNG whose header declares width × height pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


def test_a_pixel_bomb_is_refused_by_the_upload_check():
    bomb = pixel_bomb()
    assert len(bomb) < 100
    with pytest.raises(DossierError) as exc:
        check_upload(SimpleUploadedFile("bombe.png", bomb))
    assert exc.value.code == "image_too_large"
    message = str(exc.value.message).replace("\xa0", " ")
    assert "bombe.png" in message and "100 000 × 100 000" in message


def test_a_pixel_bomb_is_refused_by_the_api(api_client, world):
    api_client.force_login(world.user("staff"))
    dossier = DossierFactory(centre=world.centre_a)
    response = api_client.post(
        reverse("api:dossier-document-list"),
        {
            "dossier": dossier.pk,
            "kind": "report",
            "file": SimpleUploadedFile("bombe.png", pixel_bomb()),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "image_too_large"
    assert not DossierDocument.objects.exists()


def test_a_pixel_bomb_is_refused_by_the_upload_form(client, world):
    dossier = DossierFactory(centre=world.centre_a)
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("candidates:document_upload", args=[dossier.pk]),
        {"kind": "report", "file": SimpleUploadedFile("bombe.png", pixel_bomb())},
        follow=True,
    )
    assert response.status_code == 200
    assert "trop grande" in response.content.decode()
    assert not DossierDocument.objects.exists()


# --- finding 7: request bodies and free text ---------------------------------------------


def test_an_oversized_json_body_is_refused_before_it_is_read(api_client, world, settings):
    from core.body_limit import RequestBodyLimitMiddleware

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2 * 1024 * 1024
    assert "core.body_limit.RequestBodyLimitMiddleware" in settings.MIDDLEWARE
    assert RequestBodyLimitMiddleware
    api_client.force_login(world.user("staff"))
    body = '{"birth_name": "' + "x" * (3 * 1024 * 1024) + '"}'
    response = api_client.generic(
        "POST", reverse("api:candidate-list"), body, content_type="application/json"
    )
    assert response.status_code == 413
    data = response.json()
    assert data["code"] == "request_too_large" and "trop volumineuse" in data["detail"]


def test_an_oversized_form_post_is_refused(client, world):
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("candidates:create"),
        "birth_name=" + "x" * (3 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "trop volumineuse" in response.content.decode()


def test_an_upload_keeps_its_own_limit(api_client, world):
    """A multipart upload of a few megabytes (above the 2 MB body cap) still goes through."""
    api_client.force_login(world.user("staff"))
    dossier = DossierFactory(centre=world.centre_a)
    pdf = b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024) + b"\n%%EOF\n"
    response = api_client.post(
        reverse("api:dossier-document-list"),
        {"dossier": dossier.pk, "kind": "report", "file": SimpleUploadedFile("gros.pdf", pdf)},
        format="multipart",
    )
    assert response.status_code == 201, response.content


def test_the_schema_gives_every_free_text_its_max_length(api_client, world):
    from core.limits import TEXT_LONG, TEXT_SHORT

    api_client.force_login(world.user("staff"))
    schema = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    assert components["CriterionScore"]["properties"]["comment"]["maxLength"] == TEXT_SHORT
    assert components["EvaluationSession"]["properties"]["notes"]["maxLength"] == TEXT_LONG
    # No writable free-text string of the API is left unbounded.
    unbounded = [
        f"{name}.{prop}"
        for name, component in components.items()
        for prop, spec in component.get("properties", {}).items()
        if spec.get("type") == "string"
        and not spec.get("readOnly")
        and "format" not in spec
        and "enum" not in spec
        and "maxLength" not in spec
        and name.endswith("Request")  # what a client sends
    ]
    assert unbounded == [], unbounded
