"""Renderers this app owns: the parchemin and the attestation, built from the register.

Everything printed on them comes from the :class:`~documents.models.CertificateRecord`
(frozen when the number was taken), so a re-render years later prints the same facts.
The other kinds are registered by the apps owning their data (see ``docs/documents.md``).
"""

from datetime import date

import segno

from documents.contexts import (
    BlocLine,
    CentreHeader,
    CertificateContext,
    CodeTitle,
    Person,
    Qualification,
)
from documents.contexts import Signature as SignatureLine
from documents.models import CertificateKind, CertificateRecord, DocumentKind


class MissingCertificate(LookupError):
    pass


def qr_data_uri(url: str) -> str:
    """An SVG QR code of ``url`` as a ``data:`` URI (no file, no fetch)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=0)


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(value)


def certificate_context(record: CertificateRecord, centre_header: CentreHeader):
    """The :class:`CertificateContext` of a register row (no query)."""
    url = record.verification_url
    return CertificateContext(
        centre=centre_header,
        reference=record.number,
        kind=record.kind,
        number=record.number,
        verification_code=record.display_code,
        verification_url=url,
        qr_data_uri=qr_data_uri(url),
        holder=Person(
            first_name=record.holder_first_name,
            last_name=record.holder_last_name,
            birth_date=record.holder_birth_date,
            birth_place=record.holder_birth_place,
            sex=record.holder_sex,
        ),
        qualification=Qualification(
            title=record.qualification_title,
            code=record.qualification_code,
            referential_version=record.referential_version,
            rncp_number=record.rncp_number,
        ),
        certifier=record.certifier,
        france_competences_decision_date=record.france_competences_decision_date,
        level_national=record.level_national,
        level_european=record.level_european,
        blocs=[
            BlocLine(
                code=bloc.get("code", ""),
                title=bloc.get("title", ""),
                competences=[
                    CodeTitle(code=c.get("code", ""), title=c.get("title", ""))
                    for c in bloc.get("competences", [])
                ],
            )
            for bloc in record.blocs
        ],
        competences=[
            CodeTitle(code=c.get("code", ""), title=c.get("title", "")) for c in record.competences
        ],
        jury_date=_date(record.jury_date),
        issued_on=_date(record.issued_on),
        issued_place=record.issued_place,
        signatory=SignatureLine(name=record.signatory_name, capacity=record.signatory_title)
        if record.signatory_name
        else None,
        signed_on=_date(record.signature_date),
        revoked=record.is_revoked,
    )


def build_certificate(document):
    """Renderer of ``certificate`` and ``attestation`` documents.

    Uses ``document.certificate`` (select it with the document) or else the register row of
    the same subject and kind; a document without a register row fails with a clear error.
    """
    record = document.certificate
    if record is None:
        record = CertificateRecord.objects.filter(
            subject_type=document.subject_type,
            subject_id=document.subject_id,
            kind=document.kind,
        ).first()
    if record is None:
        raise MissingCertificate(
            f"No certificate record for {document.subject_type}#{document.subject_id} "
            f"({document.kind}): issue it with documents.services.issue_certificate first"
        )
    context = certificate_context(record, CentreHeader.from_centre(document.centre))
    template = (
        "documents/pdf/attestation.html"
        if record.kind == CertificateKind.ATTESTATION
        else "documents/pdf/certificate.html"
    )
    return template, context


CERTIFICATE_KINDS = (DocumentKind.CERTIFICATE, DocumentKind.ATTESTATION)
