"""The juries' side of the document pipeline (``documents`` app).

- after a session closes: the PV, which each member present signs (``services.signing``);
- once every member present has signed it: the certificate register entries (parchemin for
  an awarded CQPM, attestation for a partial result), then one batch with the signed PV,
  the parchemins, the attestations and the result letters;
- the renderers of the PV (``jury_minutes``) and of the result letter (``result_letter``),
  registered in ``JuriesConfig.ready``; each builds its context in a fixed number of
  queries.

A kind without a renderer is skipped (logged): the seam stays visible, closing a session
never fails because a document cannot be produced yet.
"""

import logging

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidates.services import add_months
from core.services import user_of
from documents import contexts as ctx
from documents.models import CertificateKind, CertificateRecord, DocumentKind
from documents.services import (
    CertificateFacts,
    DocumentRequest,
    has_renderer,
    issue_certificate,
    request_batch,
    request_document,
    revoke_certificate,
)
from juries.models import (
    AgendaItem,
    Attendance,
    College,
    CompetenceSource,
    ConflictOfInterest,
    Decision,
    DecisionCompetence,
    JuryMember,
    JurySession,
    MinutesSignature,
    Outcome,
)

logger = logging.getLogger(__name__)

LETTER_OUTCOMES = {
    Outcome.AWARDED: "awarded",
    Outcome.PARTIAL: "partial",
    Outcome.NOT_AWARDED: "refused",
}
# Lazy: the result letter translates it when the PDF is rendered (in French, see
# documents.rendering); the certificate register stores it in French (``_register_title``).
PRESIDENT_TITLE = gettext_lazy("Président(e) du jury paritaire de délibération")
# The president's known sex ("F"/"M") gives the title; "Président(e)" only when unknown.
PRESIDENT_TITLES = {
    "F": gettext_lazy("Présidente du jury paritaire de délibération"),
    "M": gettext_lazy("Président du jury paritaire de délibération"),
}


def president_title(sex: str):
    return PRESIDENT_TITLES.get(sex or "", PRESIDENT_TITLE)


def _register_title(sex: str = "") -> str:
    """The signatory's title as the register keeps it: French, like the certificate it is
    printed on, whatever the language of the user who closed the session."""
    with translation.override("fr"):
        return str(president_title(sex))


def _president(session) -> JuryMember | None:
    """The presiding member, with ``pv_signed_at``: when they signed the PV (``None``)."""
    signed = MinutesSignature.objects.filter(member=OuterRef("pk")).values("signed_at")[:1]
    return (
        JuryMember.objects.filter(session=session, is_president=True)
        .select_related("user")
        .annotate(pv_signed_at=Subquery(signed))
        .first()
    )


def president_signed_on(session):
    """The day the president signed the PV (``None`` before): the date of the "Signé
    électroniquement par…" line of the parchemin, the jury date until then."""
    signed_at = (
        MinutesSignature.objects.filter(session=session, member__is_president=True)
        .values_list("signed_at", flat=True)
        .first()
    )
    return timezone.localdate(signed_at) if signed_at else None


def _names(candidate) -> tuple[str, str]:
    return candidate.first_names, (candidate.usage_name or candidate.birth_name)


def certificate_facts(
    decision, kind, *, session, president=None, signed_on=None
) -> CertificateFacts:
    """``president``: the session's presiding :class:`JuryMember` (``None``: no signatory);
    ``signed_on``: the day the president signed the PV (``None``: the jury date)."""
    dossier = decision.dossier
    candidate = dossier.candidate
    version = dossier.referential_version
    qualification = version.qualification
    rows = [
        r
        for r in decision.competences.select_related("competence").order_by("competence__number")
        if r.acquired
    ]
    validated = {r.competence_id for r in rows}
    blocs = []
    for bloc in decision.validated_blocs.prefetch_related("competences").order_by("order"):
        blocs.append(
            {
                "code": bloc.rncp_code or bloc.code,
                "title": bloc.title,
                "competences": [
                    {"code": c.code, "title": c.title}
                    for c in sorted(bloc.competences.all(), key=lambda c: c.number)
                    if c.pk in validated
                ],
            }
        )
    first, last = _names(candidate)
    return CertificateFacts(
        kind=kind,
        subject=decision,
        holder_first_name=first,
        holder_last_name=last,
        holder_birth_date=candidate.birth_date,
        holder_birth_place=candidate.birth_place,
        holder_sex=candidate.sex,
        qualification_title=qualification.title,
        qualification_code=qualification.code,
        referential_version=str(version.number),
        certifier=qualification.certifier,
        rncp_number=qualification.rncp_code,
        france_competences_decision_date=qualification.registration_decision_date,
        level_national=qualification.level,
        level_european=qualification.european_level,
        blocs=blocs,
        competences=[{"code": r.competence.code, "title": r.competence.title} for r in rows],
        jury_date=session.jury_date,
        issued_place=session.document_town,
        signatory_name=president.name if president else "",
        signatory_title=_register_title(president.sex) if president else "",
        signed_on=signed_on,  # None: the register takes the jury date
    )


def batch_label(session) -> str:
    return _("Documents du jury %(ref)s") % {"ref": session.reference}


def minutes_label(session) -> str:
    return _("PV du jury %(ref)s") % {"ref": session.reference}


def after_close(session, *, actor):
    """Ask for the PV the present members will sign; nothing is issued yet."""
    if not has_renderer(DocumentKind.JURY_MINUTES):
        logger.warning("Jury %s: no renderer for the PV; not requested", session.pk)
        return None
    return request_document(
        DocumentKind.JURY_MINUTES,
        session,
        centre=session.centre,
        actor=user_of(actor),
        label=minutes_label(session),
    )


def issuable_decisions(session):
    """The frozen, standing decisions of a closed session (revoked ones issue nothing)."""
    return list(
        Decision.objects.filter(
            item__session=session, frozen_at__isnull=False, revoked_at__isnull=True
        )
        .select_related("dossier__candidate", "dossier__referential_version__qualification")
        .order_by("item__position", "item_id")
    )


def after_signatures(session, *, actor) -> None:
    """Every present member signed: register the certificates and ask for the signed PV, the
    parchemins, the attestations and the result letters (one batch)."""
    user = user_of(actor)
    president = _president(session)
    signed_on = president_signed_on(session)
    requests = []
    if has_renderer(DocumentKind.JURY_MINUTES):
        requests.append(
            DocumentRequest(
                DocumentKind.JURY_MINUTES,
                session,
                label=_("PV signé du jury %(ref)s") % {"ref": session.reference},
            )
        )
    for decision in issuable_decisions(session):
        name = decision.dossier.candidate.full_name
        kind = {
            Outcome.AWARDED: CertificateKind.CERTIFICATE,
            Outcome.PARTIAL: CertificateKind.ATTESTATION,
        }.get(decision.outcome)
        if kind is not None:
            record = issue_certificate(
                certificate_facts(
                    decision, kind, session=session, president=president, signed_on=signed_on
                ),
                centre=session.centre,
                actor=user,
            )
            if has_renderer(kind):
                requests.append(
                    DocumentRequest(
                        kind,
                        decision,
                        label=f"{record.get_kind_display()} — {name}",
                        certificate=record,
                    )
                )
        if decision.outcome in LETTER_OUTCOMES and has_renderer(DocumentKind.RESULT_LETTER):
            requests.append(
                DocumentRequest(
                    DocumentKind.RESULT_LETTER,
                    decision,
                    label=_("Courrier de résultat — %(name)s") % {"name": name},
                )
            )
    missing = [
        k for k in (DocumentKind.JURY_MINUTES, DocumentKind.RESULT_LETTER) if not has_renderer(k)
    ]
    if missing:
        logger.warning("Jury %s: no renderer for %s; documents not requested", session.pk, missing)
    if requests:
        request_batch(
            batch_label(session),
            requests,
            centre=session.centre,
            actor=user,
            subject=session,
        )


def revoke_certificates(decision, *, reason, actor) -> list[str]:
    records = CertificateRecord.objects.filter(
        subject_type="juries.decision", subject_id=str(decision.pk), revoked_at__isnull=True
    )
    numbers = []
    for record in records:
        revoke_certificate(record, reason=reason, actor=user_of(actor))
        numbers.append(record.number)
    return numbers


# --- renderers ----------------------------------------------------------------------------


def _person(candidate, *, with_address=False) -> ctx.Person:
    first, last = _names(candidate)
    return ctx.Person(
        first_name=first,
        last_name=last,
        birth_date=candidate.birth_date,
        birth_place=candidate.birth_place,
        sex=candidate.sex,
        address_lines=[line for line in candidate.address.splitlines() if line.strip()]
        if with_address
        else [],
    )


def _qualification(version) -> ctx.Qualification:
    qualification = version.qualification
    return ctx.Qualification(
        title=qualification.title,
        code=qualification.code,
        referential_version=str(version.number),
        rncp_number=qualification.rncp_code,
    )


def _decision_note(decision) -> str:
    notes = []
    casting = [r.competence.code for r in decision.competences.all() if r.casting_vote]
    if casting:
        notes.append(
            _("Voix prépondérante du président sur %(codes)s") % {"codes": ", ".join(casting)}
        )
    if decision.item.revises_id:
        notes.append(_("Nouvelle décision après révocation"))
    if decision.revoked_at:
        notes.append(_("Décision révoquée : %(why)s") % {"why": decision.revocation_reason})
    return " ; ".join(notes)


# Computed when the PDF template prints it, in the language active then (French).
_lazy_decision_note = lazy(_decision_note, str)


MARKS = {True: "A", False: "NA"}


def build_minutes(document):
    """The PV of a session (``subject``: the session): 7 queries whatever its size."""
    session = JurySession.objects.select_related("centre", "qualification").get(
        pk=document.subject_id
    )
    members = list(
        JuryMember.objects.filter(session=session)
        .select_related("user")
        .prefetch_related("signatures")
        .order_by("college", "-is_president", "id")
    )
    items = list(
        AgendaItem.objects.filter(session=session)
        .select_related("dossier__candidate", "dossier__referential_version__qualification")
        .select_related("decision")
        .prefetch_related(
            Prefetch(
                "decision__competences",
                queryset=DecisionCompetence.objects.select_related("competence"),
            ),
            "decision__validated_blocs",
            Prefetch(
                "conflicts", queryset=ConflictOfInterest.objects.select_related("member__user")
            ),
        )
        .order_by("position", "id")
    )
    codes: dict[int, str] = {}
    decisions = []
    for item in items:
        decision = getattr(item, "decision", None) if hasattr(item, "decision") else None
        marks = {}
        if decision is not None:
            for row in decision.competences.all():
                codes[row.competence.number] = row.competence.code
                if row.source == CompetenceSource.EVALUATED:
                    marks[row.competence.code] = MARKS[row.acquired]
        decisions.append(
            ctx.CandidateDecision(
                candidate=_person(item.dossier.candidate),
                dossier_reference=item.dossier.reference,
                competences=marks,
                blocs_validated=sorted(b.code for b in decision.validated_blocs.all())
                if decision
                else [],
                # Lazy texts: translated when documents.rendering renders them (in French).
                outcome=Outcome(decision.outcome).label if decision else gettext_lazy("Non décidé"),
                abstentions=[c.member.name for c in item.conflicts.all()],
                note=_lazy_decision_note(decision) if decision else "",
            )
        )
    context = ctx.JuryMinutesContext(
        centre=ctx.CentreHeader.from_centre(session.centre),
        reference=session.reference,
        qualification=_qualification(items[0].dossier.referential_version)
        if items
        else ctx.Qualification(title=session.qualification.title, code=session.qualification.code),
        session_date=session.jury_date,
        place=session.where,
        town=session.document_town,
        session_reference=session.reference,
        members=[
            ctx.JuryMember(
                name=m.name,
                college=College(m.college).label,
                is_president=m.is_president,
                present=m.attendance == Attendance.PRESENT,
                signed_at=next((s.signed_at for s in m.signatures.all()), None),
                sex=m.sex,
            )
            for m in members
        ],
        quorum=session.centre.jury_quorum,
        regularity_statement=gettext_lazy(
            "Le jury a vérifié, pour chaque candidat, que l'évaluation s'est déroulée "
            "conformément au référentiel et aux règles de la certification."
        ),
        competence_codes=[codes[n] for n in sorted(codes)],
        decisions=decisions,
        observations=session.observations,
        late_invitation_reason=session.get_late_invitation_reason_display()
        if session.late_invitation_reason
        else "",
        late_invitation_justification=session.late_invitation_justification,
        invitations_sent_on=timezone.localtime(session.invitations_sent_at).date()
        if session.invitations_sent_at
        else None,
        imbalance_reason=session.imbalance_reason,
    )
    return "documents/pdf/jury_minutes.html", context


def _letter_date(document, jury_date):
    """The day the letter was asked for (a re-render prints the same date), never before
    the day the jury deliberated."""
    requested = getattr(document, "created_at", None)
    day = timezone.localdate(requested) if requested else timezone.localdate()
    return max(day, jury_date)


def build_result_letter(document):
    """The letter to one candidate (``subject``: the decision): 5 queries."""
    decision = (
        Decision.objects.select_related(
            "centre",
            "dossier__candidate",
            "dossier__referential_version__qualification",
            "item__session__centre",
        )
        .prefetch_related(
            Prefetch(
                "competences",
                queryset=DecisionCompetence.objects.select_related("competence").order_by(
                    "competence__number"
                ),
            ),
            "validated_blocs",
        )
        .get(pk=document.subject_id)
    )
    session = decision.item.session
    version = decision.dossier.referential_version
    rows = list(decision.competences.all())
    partial = decision.outcome == Outcome.PARTIAL
    jury_date = session.jury_date
    president = _president(session)
    context = ctx.ResultLetterContext(
        centre=ctx.CentreHeader.from_centre(decision.centre),
        reference=decision.dossier.reference,
        candidate=_person(decision.dossier.candidate, with_address=True),
        qualification=_qualification(version),
        jury_date=jury_date,
        outcome=LETTER_OUTCOMES.get(decision.outcome, "refused"),
        validated_competences=[
            ctx.CodeTitle(code=r.competence.code, title=r.competence.title)
            for r in rows
            if r.acquired
        ],
        missing_competences=[
            ctx.CodeTitle(code=r.competence.code, title=r.competence.title)
            for r in rows
            if not r.acquired
        ],
        validated_blocs=[
            ctx.CodeTitle(code=b.code, title=b.title)
            for b in sorted(decision.validated_blocs.all(), key=lambda b: b.order)
        ],
        rncp_registered=version.qualification.rncp_registered,
        competences_valid_until=add_months(jury_date, version.competence_credit_months)
        if partial
        else None,
        blocs_valid_until=add_months(jury_date, version.bloc_credit_months) if partial else None,
        place=session.document_town,
        letter_date=_letter_date(document, jury_date),
        # issued once every present member signed the PV: the president's signature is the
        # letter's ("Signé électroniquement par …, le …"), never an empty box
        signatory=ctx.Signature(
            name=president.name,
            capacity=president_title(president.sex),
            signed_at=president.pv_signed_at,
        )
        if president
        else None,
    )
    return "documents/pdf/result_letter.html", context


def register() -> None:
    from documents.services import register_renderer

    register_renderer(DocumentKind.JURY_MINUTES, build_minutes)
    register_renderer(DocumentKind.RESULT_LETTER, build_result_letter)
