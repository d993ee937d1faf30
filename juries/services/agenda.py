"""The agenda: dossiers "ready for jury" chosen by staff (or a dossier whose decision was
revoked, to be decided again), conflicts of interest, the regularity check."""

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.models import Dossier, DossierStatus
from centres import audit
from centres.models import Membership
from centres.roles import Capability
from core.services import user_of
from juries.errors import JuryError
from juries.models import (
    AgendaItem,
    ConflictKind,
    ConflictOfInterest,
    ConflictSource,
    Decision,
    JuryMember,
    RegularityCheck,
    SessionStatus,
)
from juries.services.common import (
    can,
    lock_session,
    require_convener,
    require_convener_or_president,
    require_status,
    seat_of,
    touch_board,
)
from juries.services.decisions import refresh_item

S = SessionStatus


# --- eligibility --------------------------------------------------------------------------


def _pending_item():
    return AgendaItem.objects.filter(dossier=OuterRef("pk")).exclude(session__status=S.CLOSED)


def _revoked_decision():
    return Decision.objects.filter(
        dossier=OuterRef("pk"), revoked_at__isnull=False, superseded_by__isnull=True
    )


def _standing_decision():
    return Decision.objects.filter(
        dossier=OuterRef("pk"), frozen_at__isnull=False, revoked_at__isnull=True
    ).exclude(outcome="absent")


def eligible_dossiers(session):
    """Dossiers of the session's CQPM that may join its agenda: ready for the jury, or
    decided but with their decision revoked (to be decided again); none already on the
    agenda of a session not yet closed."""
    return (
        Dossier.objects.filter(
            centre_id=session.centre_id,
            referential_version__qualification_id=session.qualification_id,
        )
        .filter(
            Q(status=DossierStatus.READY_FOR_JURY)
            | (Q(Exists(_revoked_decision())) & ~Q(Exists(_standing_decision())))
        )
        .exclude(Exists(_pending_item()))
    )


def _revised_decision(dossier):
    return (
        Decision.objects.filter(
            dossier=dossier, revoked_at__isnull=False, superseded_by__isnull=True
        )
        .order_by("-revoked_at")
        .first()
    )


# --- conflicts ----------------------------------------------------------------------------


def company_link(member, dossier) -> str:
    """Why ``member`` is linked to the dossier's company ("" when not): the member's
    company is the candidate's, or the member represents that company on the platform."""
    if not dossier.company_id:
        return ""
    if member.company_id == dossier.company_id:
        return _("Le membre travaille dans l'entreprise du candidat.")
    represents = Membership.all_centres.filter(  # the user's own, across the tenant wall
        user_id=member.user_id, company_id=dossier.company_id
    ).exists()
    if represents:
        return _("Le membre représente l'entreprise du candidat sur la plateforme.")
    return ""


def _detect(member, item, actor) -> ConflictOfInterest | None:
    details = company_link(member, item.dossier)
    if not details:
        return None
    conflict, created = ConflictOfInterest.objects.get_or_create(
        member=member,
        item=item,
        defaults={
            "kind": ConflictKind.COMPANY,
            "source": ConflictSource.DETECTED,
            "details": details,
            "recorded_by": user_of(actor),
        },
    )
    if created:
        audit.record(
            centre=item.session.centre_id,
            actor=actor,
            action="jury.conflict_detected",
            subject=conflict,
            after={"member": member.pk, "item": item.pk, "kind": conflict.kind},
        )
    return conflict


def detect_conflicts_for_member(member, *, actor) -> list:
    items = AgendaItem.objects.filter(session=member.session).select_related("dossier", "session")
    return [c for c in (_detect(member, item, actor) for item in items) if c]


def detect_conflicts_for_item(item, *, actor) -> list:
    members = JuryMember.objects.filter(session=item.session)
    return [c for c in (_detect(member, item, actor) for member in members) if c]


def declare_conflict(item, member, *, kind, details="", actor) -> ConflictOfInterest:
    """Record a link between a member and a candidate (trainer, accompanist, same company,
    personal): the member abstains on that candidate. Staff record it for any member, a
    juror for themself."""
    session = item.session
    is_staff = can(actor, session.centre, Capability.CONVENE_JURIES)
    if not is_staff:
        seat = seat_of(session, actor)
        if seat is None or seat.pk != member.pk:
            raise JuryError(
                _("Vous ne pouvez déclarer un lien que pour vous-même."), code="permission_denied"
            )
    if kind not in ConflictKind.values:
        raise JuryError(_("Type de lien inconnu."), code="bad_kind")
    with transaction.atomic():
        session = lock_session(session)
        require_status(
            session,
            {S.PLANNED, S.OPEN, S.DELIBERATING},
            _("La séance est close."),
        )
        if member.session_id != session.pk or item.session_id != session.pk:
            raise JuryError(_("Ce membre ne siège pas lors de cette séance."), code="not_member")
        conflict, created = ConflictOfInterest.objects.get_or_create(
            member=member,
            item=item,
            defaults={
                "kind": kind,
                "source": ConflictSource.DECLARED,
                "details": (details or "").strip(),
                "recorded_by": user_of(actor),
            },
        )
        if created:
            audit.record(
                centre=session.centre,
                actor=actor,
                action="jury.conflict_declared",
                subject=conflict,
                after={"member": member.pk, "item": item.pk, "kind": kind},
                reason=conflict.details,
            )
            if session.status == S.DELIBERATING:
                refresh_item(item)
            touch_board(session)
    return conflict


def remove_conflict(conflict, *, actor, reason="") -> None:
    """Staff withdraw a declared link recorded by mistake (a detected one stays)."""
    session = conflict.item.session
    require_convener(actor, session.centre)
    if conflict.source == ConflictSource.DETECTED:
        raise JuryError(
            _("Ce lien a été détecté par la plateforme : changez plutôt l'entreprise du membre."),
            code="detected_conflict",
        )
    with transaction.atomic():
        session = lock_session(session)
        require_status(session, {S.PLANNED, S.OPEN, S.DELIBERATING}, _("La séance est close."))
        item = conflict.item
        audit.record(
            centre=session.centre,
            actor=actor,
            action="jury.conflict_removed",
            subject=conflict,
            before={"member": conflict.member_id, "item": item.pk, "kind": conflict.kind},
            reason=reason,
        )
        conflict.delete()
        if session.status == S.DELIBERATING:
            refresh_item(item)
        touch_board(session)


# --- agenda -------------------------------------------------------------------------------


def add_to_agenda(session, dossier, *, actor) -> AgendaItem:
    require_convener(actor, session.centre)
    with transaction.atomic():
        session = lock_session(session)
        require_status(
            session,
            {S.PLANNED, S.OPEN},
            _("L'ordre du jour est arrêté une fois la délibération commencée."),
        )
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("referential_version", "candidate")
            .get(pk=dossier.pk)
        )
        existing = AgendaItem.objects.filter(session=session, dossier=dossier).first()
        if existing is not None:
            return existing
        if dossier.centre_id != session.centre_id:
            raise JuryError(_("Dossier inconnu."), code="bad_dossier")
        if dossier.referential_version.qualification_id != session.qualification_id:
            raise JuryError(
                _("Ce dossier ne porte pas sur le CQPM de cette séance."),
                code="other_qualification",
            )
        if not eligible_dossiers(session).filter(pk=dossier.pk).exists():
            raise JuryError(
                _(
                    "Seul un dossier « prêt pour le jury » (ou dont la décision a été révoquée) "
                    "et inscrit à aucun autre jury à venir peut être ajouté."
                ),
                code="not_ready_for_jury",
            )
        revises = None
        if dossier.status != DossierStatus.READY_FOR_JURY:
            revises = _revised_decision(dossier)
        position = (session.agenda.aggregate(m=Max("position"))["m"] or 0) + 1
        item = AgendaItem.objects.create(
            session=session,
            dossier=dossier,
            position=position,
            revises=revises,
            added_by=user_of(actor),
        )
        detect_conflicts_for_item(item, actor=actor)
        audit.record(
            centre=session.centre,
            actor=actor,
            action="jury.agenda_add",
            subject=item,
            after={"dossier": dossier.pk, "revises": revises.pk if revises else None},
        )
        touch_board(session)
    return item


def remove_from_agenda(item, *, actor, reason="") -> None:
    """Take a dossier off the agenda (before the session closes): its votes, conflicts,
    regularity check and provisional decision go with it; the audit trail keeps them."""
    session = item.session
    require_convener(actor, session.centre)
    with transaction.atomic():
        session = lock_session(session)
        require_status(
            session,
            {S.PLANNED, S.OPEN, S.DELIBERATING},
            _("La séance est close : son ordre du jour est arrêté."),
        )
        item = AgendaItem.objects.select_for_update().filter(pk=item.pk).first()
        if item is None:
            return
        audit.record(
            centre=session.centre,
            actor=actor,
            action="jury.agenda_remove",
            subject=item,
            before={"dossier": item.dossier_id, "votes": item.votes.count()},
            reason=reason,
        )
        Decision.objects.filter(item=item).delete()
        item.delete()
        touch_board(session)


def set_candidate_absent(item, absent: bool, *, actor) -> AgendaItem:
    session = item.session
    require_convener_or_president(session, actor)
    with transaction.atomic():
        session = lock_session(session)
        require_status(session, {S.PLANNED, S.OPEN, S.DELIBERATING}, _("La séance est close."))
        item = AgendaItem.objects.select_for_update().select_related("session").get(pk=item.pk)
        if item.candidate_absent == absent:
            return item
        item.candidate_absent = absent
        item.save(update_fields=["candidate_absent"])
        audit.record(
            centre=session.centre,
            actor=actor,
            action="jury.candidate_absent",
            subject=item,
            before={"absent": not absent},
            after={"absent": absent},
        )
        if session.status == S.DELIBERATING:
            refresh_item(item)
        touch_board(session)
    return item


def record_regularity(item, *, regular: bool, comment="", actor) -> RegularityCheck:
    """The jury checks first that the evaluation was run by the rules (recorded by its
    president or the centre). An irregular evaluation cannot be voted on."""
    session = item.session
    require_convener_or_president(session, actor)
    comment = (comment or "").strip()
    if not regular and not comment:
        raise JuryError(
            _("Indiquez ce qui n'a pas été conforme dans l'évaluation."), code="comment_required"
        )
    with transaction.atomic():
        session = lock_session(session)
        require_status(
            session,
            {S.OPEN, S.DELIBERATING},
            _("Le contrôle de régularité se fait pendant la séance."),
        )
        check = RegularityCheck.objects.select_for_update().filter(item=item).first()
        if check is not None and check.regular == regular and check.comment == comment:
            return check
        before = {"regular": check.regular, "comment": check.comment} if check else None
        if check is None:
            check = RegularityCheck(item=item)
        check.regular = regular
        check.comment = comment
        check.checked_by = user_of(actor)
        check.checked_at = timezone.now()
        check.save()
        audit.record(
            centre=session.centre,
            actor=actor,
            action="jury.regularity",
            subject=item,
            before=before,
            after={"regular": regular, "comment": comment},
        )
        if session.status == S.DELIBERATING:
            refresh_item(item)
        touch_board(session)
    return check
