"""The centre's electronic seal on issued PDFs: a PAdES signature made with pyHanko.

The PV, the parchemin, the attestation and the result letter (:data:`SIGNED_KINDS`) are
signed once WeasyPrint has rendered them, before they are stored: the file kept, its
SHA-256 and what the public verification page compares are the signed bytes. A PDF reader
lists the signature (signer, time, "document not modified"); changing one byte of the file
breaks it.

The key and certificate come from the deployment (``DOCUMENT_SIGNING_KEY``,
``DOCUMENT_SIGNING_CERT``, optional ``DOCUMENT_SIGNING_CHAIN`` and
``DOCUMENT_SIGNING_PASSPHRASE``; see ``.env.example``). Without them — the embedded default,
the demo and the tests — a self-signed certificate is generated on first use under
``VAR_DIR/signing/`` (:func:`ensure_self_signed`, also run by ``make run`` through the
``signing_certificate`` command): the seal then proves integrity, not identity.

Where ``DOCUMENT_TSA_URL`` names a time-stamping authority, the signature carries an
RFC 3161 time stamp from it (PAdES B-T); otherwise none (B-B), and the signing time is the
server's clock.
"""

import asyncio
import datetime
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SIGNED_KINDS = frozenset({"jury_minutes", "certificate", "attestation", "result_letter"})
FIELD_NAME = "CachetCentre"
SELF_SIGNED_NAME = "Parchemin — cachet de démonstration (certificat auto-signé)"


@dataclass(frozen=True)
class SigningFiles:
    key: Path
    cert: Path
    chain: tuple[Path, ...] = ()
    passphrase: bytes | None = None


def self_signed_dir() -> Path:
    return Path(settings.VAR_DIR) / "signing"


def _write_atomic(path: Path, data: bytes, mode: int) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def ensure_self_signed(directory: Path | None = None) -> SigningFiles:
    """The self-signed key and certificate of the embedded default, created if missing.

    Both are written in one PEM file (key then certificate) renamed into place, so two
    processes starting together never pair one's key with the other's certificate.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    directory = directory or self_signed_dir()
    bundle = directory / "self-signed.pem"
    if not bundle.is_file():
        directory.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, SELF_SIGNED_NAME),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Parchemin"),
                x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            ]
        )
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,  # non-repudiation, what pyHanko asks of a signer
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(key, hashes.SHA256())
        )
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ) + cert.public_bytes(serialization.Encoding.PEM)
        _write_atomic(bundle, pem, 0o600)
    return SigningFiles(key=bundle, cert=bundle)


def configured_files() -> SigningFiles:
    """The deployment's key and certificate, or the self-signed pair."""
    key = getattr(settings, "DOCUMENT_SIGNING_KEY", "")
    cert = getattr(settings, "DOCUMENT_SIGNING_CERT", "")
    if not key and not cert:
        return ensure_self_signed()
    if not (key and cert):
        raise ImproperlyConfigured(
            "DOCUMENT_SIGNING_KEY and DOCUMENT_SIGNING_CERT go together: set both or neither"
        )
    passphrase = getattr(settings, "DOCUMENT_SIGNING_PASSPHRASE", "")
    chain = getattr(settings, "DOCUMENT_SIGNING_CHAIN", ())
    return SigningFiles(
        key=Path(key),
        cert=Path(cert),
        chain=tuple(Path(p) for p in chain),
        passphrase=passphrase.encode() if passphrase else None,
    )


@lru_cache(maxsize=4)
def load_signer(files: SigningFiles):
    """The pyHanko signer of ``files`` (cached: loaded once per process)."""
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    for path in (files.key, files.cert, *files.chain):
        if not path.is_file():
            raise ImproperlyConfigured(f"Document signing file not found: {path}")
    key = load_private_key_from_pemder_data(files.key.read_bytes(), passphrase=files.passphrase)
    certs = list(load_certs_from_pemder_data(files.cert.read_bytes()))
    if not certs:
        raise ImproperlyConfigured(f"No certificate in {files.cert}")
    chain = [c for path in files.chain for c in load_certs_from_pemder_data(path.read_bytes())]
    return SimpleSigner(
        signing_cert=certs[0],
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([certs[0], *certs[1:], *chain]),
    )


def signing_certificate_pem() -> bytes:
    """The PEM of the certificate that signs the documents (trust root of the tests)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    files = configured_files()
    cert = x509.load_pem_x509_certificates(files.cert.read_bytes())[0]
    return cert.public_bytes(serialization.Encoding.PEM)


def _timestamper():
    url = getattr(settings, "DOCUMENT_TSA_URL", "")
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=getattr(settings, "DOCUMENT_TSA_TIMEOUT", 10))


def sign_pdf(pdf: bytes, *, signer_name: str = "", location: str = "") -> bytes:
    """``pdf`` with the centre's PAdES signature (and a time stamp where a TSA is set)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Document délivré par le centre de certification",
        name=signer_name or None,
        location=location or None,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    signer = load_signer(configured_files())
    timestamper = _timestamper()
    return _outside_event_loop(
        lambda: signers.sign_pdf(writer, meta, signer=signer, timestamper=timestamper).getvalue()
    )


def _outside_event_loop(work):
    """pyHanko's synchronous ``sign_pdf`` calls ``asyncio.run``, which refuses to run in a
    thread whose event loop is running (an ASGI worker, a Playwright-driven test, a task run
    in process from async code): there, it runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def sign_if_issued(kind: str, pdf: bytes, *, centre=None) -> bytes:
    """Sign the kinds a centre issues (:data:`SIGNED_KINDS`); others are returned as is."""
    if kind not in SIGNED_KINDS:
        return pdf
    return sign_pdf(
        pdf,
        signer_name=getattr(centre, "name", "") or "",
        location=getattr(centre, "city", "") or "",
    )
