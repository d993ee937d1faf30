"""The PV signatures, and the issue of the documents once every member present has signed.

A signature means something: the member re-authenticates at the moment of signing (their
password, plus the code of their authenticator app when two-factor is on for them,
``accounts.reauth``), and the signature records who, when, how, and the SHA-256 of the exact
PDF signed — the stored file of the PV produced at closing. Signing is refused while that
PV is not produced yet, when its file no longer matches the checksum taken when it was
stored, and when the signatory was shown another version than the one on file.

The parchemins, attestations and result letters are issued only when the last present
member signs (``paperwork.after_signatures``), in the same transaction; in production
(``DOCUMENTS_SPECIMEN`` off) never while a mandatory mention of the CQPM is missing
(``cqpm.mentions``).

``seed_demo`` signs with ``reauthenticated_by_seed=True`` (no password to type); the pages
and the API never pass it.
"""

import hashlib
import hmac

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import reauth
from centres import audit
from centres.errors import CentreError
from centres.roles import Capability
from core.services import user_of
from cqpm.mentions import WHO_FILLS_IN, blocking_mentions, describe
from documents.models import DocumentKind, DocumentStatus, GeneratedDocument
from juries import paperwork
from juries.errors import JuryError
from juries.models import Attendance, JurySession, MinutesSignature, SessionStatus, SignatureProof
from juries.services.common import can, lock_session, require_status, seat_of

S = SessionStatus
READ_CHUNK = 1024 * 1024


def require_mentions(session) -> None:
    """Refuse (production only) while a mandatory mention of the session's CQPM is empty."""
    missing = blocking_mentions(session.qualification)
    if missing:
        raise JuryError(
            _(
                "Mention(s) obligatoire(s) manquante(s) pour le CQPM « %(cqpm)s » : %(list)s. "
                "À renseigner par %(who)s ; aucun document n'est délivré d'ici là."
            )
            % {"cqpm": session.qualification.title, "list": describe(missing), "who": WHO_FILLS_IN},
            code="mentions_missing",
        )


def minutes_to_sign(session) -> GeneratedDocument | None:
    """The PV the members sign: the one the first signatures cover, else the latest PV of
    the session (the one requested at closing)."""
    signed = (
        MinutesSignature.objects.filter(session=session, document__isnull=False)
        .select_related("document")
        .order_by("signed_at", "id")
        .first()
    )
    if signed is not None:
        return signed.document
    return (
        GeneratedDocument.objects.filter(
            kind=DocumentKind.JURY_MINUTES,
            subject_type="juries.jurysession",
            subject_id=str(session.pk),
        )
        .order_by("-created_at", "-id")
        .first()
    )


def file_sha256(document) -> str:
    digest = hashlib.sha256()
    with document.file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(READ_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def minutes_pdf(session) -> tuple[GeneratedDocument, str]:
    """The PV to sign and the SHA-256 of its stored file; :class:`JuryError` when it is not
    produced yet or its file does not match the checksum taken when it was stored."""
    document = minutes_to_sign(session)
    if document is None or document.status != DocumentStatus.READY or not document.file:
        raise JuryError(
            _(
                "Le procès-verbal n'est pas encore produit : il se signe une fois le PDF "
                "disponible. Réessayez dans un instant."
            ),
            code="minutes_not_ready",
        )
    try:
        digest = file_sha256(document)
    except OSError:
        digest = ""
    if not document.sha256 or not hmac.compare_digest(digest, document.sha256):
        raise JuryError(
            _(
                "Le fichier du procès-verbal ne correspond plus à celui qui a été produit : "
                "signature impossible. Prévenez le centre."
            ),
            code="minutes_altered",
        )
    return document, digest


def _signatory(session, actor):
    require_status(session, {S.CLOSED}, _("Le procès-verbal se signe une fois la séance close."))
    seat = seat_of(session, actor)
    if seat is None:
        raise JuryError(_("Vous ne siégez pas lors de cette séance."), code="not_member")
    if seat.attendance != Attendance.PRESENT:
        raise JuryError(
            _("Seuls les membres présents signent le procès-verbal."), code="not_present"
        )
    return seat


def _check_shown(document_sha256, digest) -> None:
    shown = (document_sha256 or "").strip().lower()
    if not shown or not hmac.compare_digest(shown, digest):
        raise JuryError(
            _(
                "Le procès-verbal a changé depuis que vous l'avez ouvert : relisez la version "
                "actuelle avant de signer."
            ),
            code="minutes_changed",
        )


def sign_minutes(
    session,
    *,
    actor,
    password="",
    otp="",
    document_sha256="",
    ip=None,
    reauthenticated_by_seed=False,
) -> MinutesSignature:
    """A member present signs the PV of the closed session (see the module docstring).

    ``document_sha256`` is the checksum of the PV the member was shown (the page and the API
    give it): it must be the one on file. Once every member present has signed, the
    certificates are registered and the signed PV, parchemins, attestations and letters
    requested. Signing twice returns the first signature."""
    if not can(actor, session.centre, Capability.DELIBERATE):
        raise JuryError(_("Seuls les membres du jury signent le procès-verbal."), "not_member")
    session = JurySession.objects.select_related("centre", "qualification").get(pk=session.pk)
    seat = _signatory(session, actor)
    existing = MinutesSignature.objects.filter(session=session, member=seat).first()
    if existing is not None:
        return existing
    document, digest = minutes_pdf(session)
    if not reauthenticated_by_seed:
        _check_shown(document_sha256, digest)
    require_mentions(session)
    if reauthenticated_by_seed:
        proof = SignatureProof.SEED
    else:
        # Outside the transaction: the failure rows and the throttling counter must stay.
        try:
            proof = reauth.confirm_identity(
                user_of(actor),
                password=password,
                otp=otp,
                purpose=f"signature du PV {session.reference}",
            )
        except CentreError as exc:
            raise JuryError(exc.message, code=exc.code) from exc
    with transaction.atomic():
        session = lock_session(session)
        seat = _signatory(session, actor)
        existing = MinutesSignature.objects.filter(session=session, member=seat).first()
        if existing is not None:
            return existing
        locked_document, locked_digest = minutes_pdf(session)
        if locked_document.pk != document.pk:
            _check_shown(digest, locked_digest)
        signature = MinutesSignature.objects.create(
            session=session,
            member=seat,
            ip=ip or None,
            document=locked_document,
            document_sha256=locked_digest,
            proof=proof,
        )
        audit.record(
            centre=session.centre,
            actor=actor,
            action="jury.minutes_signed",
            subject=signature,
            after={
                "member": seat.pk,
                "document": locked_document.pk,
                "sha256": locked_digest,
                "proof": proof,
            },
        )
        present = session.members.filter(attendance=Attendance.PRESENT).count()
        if session.minutes_signatures.count() >= present:
            require_mentions(session)
            paperwork.after_signatures(session, actor=actor)
            audit.record(
                centre=session.centre,
                actor=actor,
                action="jury.documents_issued",
                subject=session,
                after={"signatures": present, "minutes_sha256": locked_digest},
            )
    return signature
