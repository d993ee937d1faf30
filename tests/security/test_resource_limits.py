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
