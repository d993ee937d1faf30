"""The centre's PAdES seal on issued PDFs (documents.signing), checked with pyHanko."""

import datetime
import hashlib
import io
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asn1crypto import pem, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader, PdfWriter

from documents import signing
from documents.models import DocumentKind
from documents.services import request_document
from documents.tasks import render_now

from .factories import issue, make_document

pytestmark = pytest.mark.django_db


def certificate_of(pem_bytes: bytes) -> asn1_x509.Certificate:
    """The first certificate of a PEM file (the self-signed bundle starts with its key)."""
    for kind, _headers, der in pem.unarmor(pem_bytes, multiple=True):
        if kind == "CERTIFICATE":
            return asn1_x509.Certificate.load(der)
    raise ValueError("no certificate")


def validate(pdf: bytes, trust_root_pem: bytes, **kwargs):
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    [embedded] = reader.embedded_signatures
    context = ValidationContext(trust_roots=[certificate_of(trust_root_pem)])
    return embedded, validate_pdf_signature(embedded, context, **kwargs)


def flip_one_byte(pdf: bytes) -> bytes:
    """The same file with one byte of its signed part changed: inside the binary comment of
    the header (``%PDF-1.7`` then ``%`` and four high bytes), so the PDF still parses."""
    copy = bytearray(pdf)
    index = pdf.index(b"\n%") + 2
    copy[index] ^= 0x01
    return bytes(copy)


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def issued_parchemin(world, django_capture_on_commit_callbacks, **facts):
    staff = world.user("staff")
    record = issue(world.centre_a, staff, subject=("juries.decision", "7"), **facts)
    with django_capture_on_commit_callbacks(execute=True):
        document = request_document(
            DocumentKind.CERTIFICATE,
            ("juries.decision", "7"),
            centre=world.centre_a,
            actor=staff,
            label="Parchemin",
        )
    document.refresh_from_db()
    return record, document


def test_an_issued_parchemin_carries_a_valid_pades_seal_that_one_byte_breaks(
    world, django_capture_on_commit_callbacks
):
    record, document = issued_parchemin(world, django_capture_on_commit_callbacks)
    data = document.file.read()
    # The stored file and its checksum are the signed bytes.
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    root = signing.signing_certificate_pem()

    embedded, status = validate(data, root)
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert embedded.sig_object["/Name"] == world.centre_a.name
    assert status.signing_cert.subject.native["common_name"] == signing.SELF_SIGNED_NAME
    assert status.timestamp_validity is None  # no TSA configured: no time stamp

    _embedded, broken = validate(flip_one_byte(data), root)
    assert not broken.intact and not broken.bottom_line

    # Still an ordinary PDF: the reader extracts the parchemin's text.
    text = re.sub(r"\s+", " ", PdfReader(io.BytesIO(data)).pages[0].extract_text())
    assert record.number in text
    assert "Signé électroniquement par Anne Lefèvre, le 18 juin 2026" in text
    assert "Pour le jury paritaire, signature" not in text


def test_the_parchemin_prints_the_day_the_president_signed(
    world, django_capture_on_commit_callbacks
):
    record, document = issued_parchemin(
        world, django_capture_on_commit_callbacks, signed_on=datetime.date(2026, 6, 19)
    )
    assert record.signed_on == datetime.date(2026, 6, 19)
    text = re.sub(r"\s+", " ", PdfReader(io.BytesIO(document.file.read())).pages[0].extract_text())
    assert "Signé électroniquement par Anne Lefèvre, le 19 juin 2026" in text
    assert "Présidente du jury" in text


def test_a_certificate_without_signature_date_is_dated_by_its_jury(world):
    record = issue(world.centre_a)
    assert record.signed_on == record.jury_date == datetime.date(2026, 6, 18)


def test_only_issued_kinds_are_sealed(world):
    pdf = blank_pdf()
    assert signing.sign_if_issued(DocumentKind.CONVOCATION, pdf) == pdf
    assert signing.sign_if_issued(DocumentKind.EVALUATION_GRID, pdf) == pdf
    root = signing.signing_certificate_pem()
    for kind in (
        DocumentKind.JURY_MINUTES,
        DocumentKind.CERTIFICATE,
        DocumentKind.ATTESTATION,
        DocumentKind.RESULT_LETTER,
    ):
        sealed = signing.sign_if_issued(kind, pdf, centre=world.centre_a)
        assert sealed.startswith(pdf)  # an incremental update: the rendered bytes, then the seal
        assert validate(sealed, root)[1].bottom_line, kind


def test_a_failed_seal_fails_the_render_and_stores_nothing(world, monkeypatch):
    def broken(*args, **kwargs):
        raise ImproperlyConfigured("Document signing file not found: /nope.pem")

    monkeypatch.setattr(signing, "sign_pdf", broken)
    record = issue(world.centre_a)
    document = make_document(world.centre_a, certificate=record)
    assert render_now(document.pk).status == "failed"
    document.refresh_from_db()
    assert not document.file and document.sha256 == ""
    assert "Document signing file not found" in document.error


# --- a deployment's own key and certificate -----------------------------------------------


def write_key_and_cert(directory, *, passphrase=None, common_name="UIMM Centre A — cachet"):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    key_path, cert_path = directory / "seal.key", directory / "seal.crt"
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert, key_path, cert_path


def test_the_deployment_key_and_certificate_sign_when_configured(settings, tmp_path):
    _key, _cert, key_path, cert_path = write_key_and_cert(tmp_path, passphrase="s3cret")
    settings.DOCUMENT_SIGNING_KEY = str(key_path)
    settings.DOCUMENT_SIGNING_CERT = str(cert_path)
    settings.DOCUMENT_SIGNING_PASSPHRASE = "s3cret"
    sealed = signing.sign_pdf(blank_pdf(), signer_name="UIMM Centre A")
    _embedded, status = validate(sealed, cert_path.read_bytes())
    assert status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == "UIMM Centre A — cachet"
    # The generated self-signed certificate is not what signed it.
    assert not validate(sealed, signing.ensure_self_signed().cert.read_bytes())[1].trusted


def test_a_half_configured_or_missing_key_is_refused(settings, tmp_path):
    settings.DOCUMENT_SIGNING_KEY = str(tmp_path / "seal.key")
    settings.DOCUMENT_SIGNING_CERT = ""
    with pytest.raises(ImproperlyConfigured, match="go together"):
        signing.sign_pdf(blank_pdf())
    settings.DOCUMENT_SIGNING_CERT = str(tmp_path / "seal.crt")
    with pytest.raises(ImproperlyConfigured, match="not found"):
        signing.sign_pdf(blank_pdf())


def test_the_self_signed_pair_is_generated_once(tmp_path):
    first = signing.ensure_self_signed(tmp_path)
    content = first.key.read_bytes()
    assert b"PRIVATE KEY" in content and b"CERTIFICATE" in content
    assert oct(first.key.stat().st_mode & 0o777) == "0o600"
    assert signing.ensure_self_signed(tmp_path).key.read_bytes() == content


def test_the_command_prepares_the_seal_and_prints_its_certificate(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("signing_certificate", stdout=out)
    assert signing.SELF_SIGNED_NAME in out.getvalue()
    assert (tmp_path / "signing" / "self-signed.pem").is_file()
    out = io.StringIO()
    call_command("signing_certificate", "--pem", stdout=out)
    assert out.getvalue().startswith("-----BEGIN CERTIFICATE-----")
    assert out.getvalue() == signing.signing_certificate_pem().decode()


# --- RFC 3161 time stamp ------------------------------------------------------------------


@pytest.fixture
def tsa_server(tmp_path):
    """A local RFC 3161 time-stamping authority (pyHanko's DummyTimeStamper behind HTTP;
    it signs with RSA only)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA de test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    stamper = DummyTimeStamper(
        tsa_cert=certificate_of(cert_pem),
        tsa_key=load_private_key_from_pemder_data(key_pem, passphrase=None),
    )
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append(self.headers["Content-Type"])
            reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/tsa", cert_pem, requests
    finally:
        server.shutdown()
        server.server_close()


def test_a_configured_tsa_adds_an_rfc3161_time_stamp(settings, tsa_server):
    url, tsa_cert_pem, requests = tsa_server
    settings.DOCUMENT_TSA_URL = url
    sealed = signing.sign_pdf(blank_pdf())
    assert requests and set(requests) == {"application/timestamp-query"}
    reader = PdfFileReader(io.BytesIO(sealed), strict=False)
    [embedded] = reader.embedded_signatures
    status = validate_pdf_signature(
        embedded,
        ValidationContext(trust_roots=[certificate_of(signing.signing_certificate_pem())]),
        ts_validation_context=ValidationContext(trust_roots=[certificate_of(tsa_cert_pem)]),
    )
    assert status.bottom_line
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact and status.timestamp_validity.trusted


def test_the_verification_page_recognises_the_issued_parchemin_and_not_a_modified_copy(
    world, client, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    record, document = issued_parchemin(world, django_capture_on_commit_callbacks)
    data = document.file.read()
    page = reverse("verification:verify", kwargs={"code": record.display_code})
    same = client.post(page, {"document": SimpleUploadedFile("p.pdf", data)})
    assert "Ce fichier est exactement le document délivré" in same.content.decode()
    modified = client.post(page, {"document": SimpleUploadedFile("p.pdf", flip_one_byte(data))})
    assert "Ce fichier n'est pas le document délivré" in modified.content.decode()


def test_signing_works_where_an_event_loop_is_running():
    """pyHanko's synchronous API runs ``asyncio.run``: from a thread whose loop is running
    (ASGI, a Playwright-driven test, a task run in process) the seal is still made."""
    import asyncio

    async def from_async_code():
        return signing.sign_pdf(blank_pdf())

    signed = asyncio.run(from_async_code())
    _embedded, status = validate(signed, signing.signing_certificate_pem())
    assert status.intact and status.valid
