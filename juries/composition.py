"""Is the jury properly composed? Reads only; the services and the pages ask here.

- parity: as many employer as employee members convened (branch agreement, art. 51);
- a president, from the employer college (casting vote);
- unions invited at least 15 calendar days before the session, or a justification;
- quorum: present members >= the centre's ``jury_quorum``, and never below the legal floor
  (two members present, one of each college); present members unbalanced between the
  colleges need a recorded reason (``JurySession.imbalance_reason``, printed on the PV);
- the employee college: one member per representative union, each sitting for one;
- VAE dossiers on the agenda: at least 2 members, one qualified for the certification,
  women and men balanced (a warning), and no member with any link to the candidate.
"""

from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from candidates.models import AccessStatus
from centres.models import JURY_QUORUM_FLOOR
from juries.deliberation import agenda_rows
from juries.models import (
    INVITATION_NOTICE_DAYS,
    Attendance,
    College,
    ConflictKind,
    ConflictOfInterest,
    JuryMember,
    Sex,
)


@dataclass
class Composition:
    members: list
    employer: int = 0
    employee: int = 0
    present: int = 0
    quorum: int = 0
    president: object = None
    has_vae: bool = False
    errors: list[str] = field(default_factory=list)  # block the opening of the session
    warnings: list[str] = field(default_factory=list)
    deliberation_errors: list[str] = field(default_factory=list)  # block the deliberation
    present_employer: int = 0
    present_employee: int = 0

    @property
    def parity(self) -> bool:
        return self.employer == self.employee and self.employer > 0

    @property
    def quorum_reached(self) -> bool:
        """The centre's quorum, never below the legal floor: two present, one per college."""
        return (
            self.present >= max(self.quorum, JURY_QUORUM_FLOOR)
            and self.present_employer > 0
            and self.present_employee > 0
        )

    @property
    def imbalanced(self) -> bool:
        """Present members not balanced between the colleges."""
        return self.present_employer != self.present_employee


def invitations_late(session) -> bool:
    sent = session.invitations_sent_at
    if sent is None:
        return False
    return timezone.localtime(sent).date() > session.invitation_deadline()


def check_composition(session, members=None, agenda=None, imbalance_reason=None) -> Composition:
    """Everything the pages show about the composition (3 queries at most). ``members``: all
    the session's members; ``agenda``: its ``agenda_rows`` when the caller has them;
    ``imbalance_reason``: the reason given now (default: the one recorded)."""
    if members is None:
        members = list(session.members.select_related("user"))
    if agenda is None:
        vae_items = agenda_rows(session, access_route=AccessStatus.VAE)
    else:
        vae_items = [row for row in agenda if row.access_route == AccessStatus.VAE]
    result = Composition(members=members, quorum=max(session.centre.jury_quorum, JURY_QUORUM_FLOOR))
    result.employer = sum(1 for m in members if m.college == College.EMPLOYER)
    result.employee = sum(1 for m in members if m.college == College.EMPLOYEE)
    present = [m for m in members if m.attendance == Attendance.PRESENT]
    result.present = len(present)
    result.present_employer = sum(1 for m in present if m.college == College.EMPLOYER)
    result.present_employee = result.present - result.present_employer
    result.president = next((m for m in members if m.is_president), None)
    result.has_vae = bool(vae_items)
    errors, warnings = result.errors, result.warnings

    if not members:
        errors.append(_("Aucun membre n'est convoqué."))
    elif not result.parity:
        errors.append(
            _(
                "Le jury n'est pas paritaire : %(employer)s membre(s) du collège employeurs "
                "pour %(employee)s du collège salariés."
            )
            % {"employer": result.employer, "employee": result.employee}
        )
    _check_unions(result, members)
    if result.president is None:
        errors.append(_("Désignez le président du jury (collège employeurs)."))
    if session.invitations_sent_at is None:
        errors.append(_("Enregistrez l'envoi des convocations aux membres."))
    elif invitations_late(session):
        sent = formats.date_format(session.invitations_sent_at, "SHORT_DATE_FORMAT")
        if session.late_invitation_reason and session.late_invitation_justification.strip():
            warnings.append(
                _(
                    "Convocations envoyées le %(sent)s, moins de %(days)s jours avant la "
                    "séance. Motif : %(reason)s — %(why)s"
                )
                % {
                    "sent": sent,
                    "days": INVITATION_NOTICE_DAYS,
                    "reason": session.get_late_invitation_reason_display(),
                    "why": session.late_invitation_justification,
                }
            )
        else:
            errors.append(
                _(
                    "Convocations envoyées le %(sent)s, moins de %(days)s jours avant la "
                    "séance : justifiez ce retard."
                )
                % {"sent": sent, "days": INVITATION_NOTICE_DAYS}
            )
    not_invited = [m.name for m in members if session.invitations_sent_at and not m.invited_at]
    if not_invited:
        warnings.append(
            _("Membres ajoutés après l'envoi des convocations : %(names)s.")
            % {"names": ", ".join(not_invited)}
        )

    if result.has_vae:
        _check_vae(result, members, vae_items)

    # What the deliberation itself needs, on the day.
    deliberation = result.deliberation_errors
    unknown = [m.name for m in members if m.attendance == Attendance.UNKNOWN]
    if unknown:
        deliberation.append(
            _("Indiquez la présence de : %(names)s.") % {"names": ", ".join(unknown)}
        )
    if result.present < result.quorum:
        deliberation.append(
            _("Quorum non atteint : %(present)s membre(s) présent(s) pour %(quorum)s requis.")
            % {"present": result.present, "quorum": result.quorum}
        )
    if result.present and not (result.present_employer and result.present_employee):
        deliberation.append(
            _("Quorum non atteint : au moins un membre de chaque collège doit être présent.")
        )
    if result.president is not None and result.president.attendance != Attendance.PRESENT:
        deliberation.append(
            _("Le président du jury doit être présent (ou désignez un autre président).")
        )
    if present and result.imbalanced:
        warnings.append(
            _(
                "Parmi les membres présents, %(employer)s du collège employeurs et "
                "%(employee)s du collège salariés."
            )
            % {"employer": result.present_employer, "employee": result.present_employee}
        )
        reason = session.imbalance_reason if imbalance_reason is None else imbalance_reason
        if not (reason or "").strip():
            deliberation.append(
                _(
                    "Les membres présents ne sont pas répartis à égalité entre les collèges : "
                    "indiquez le motif de délibérer ainsi (il figure au procès-verbal)."
                )
            )
    if result.has_vae:
        if len(present) < 2:
            deliberation.append(_("VAE : au moins 2 membres présents sont nécessaires."))
        if not any(m.qualified_for_certification for m in present):
            deliberation.append(
                _("VAE : au moins un membre présent doit être qualifié pour la certification.")
            )
    return result


def _check_unions(result, members) -> None:
    """One employee member per representative union, each sitting for one."""
    seen = {}
    for member in members:
        if member.college != College.EMPLOYEE:
            continue
        union = " ".join(member.organisation.split()).casefold()
        if not union:
            result.errors.append(
                _("%(name)s (collège salariés) ne siège pour aucune organisation syndicale.")
                % {"name": member.name}
            )
        elif union in seen:
            result.errors.append(
                _("%(first)s et %(second)s siègent pour la même organisation syndicale.")
                % {"first": seen[union], "second": member.name}
            )
        else:
            seen[union] = member.name


def _check_vae(result, members, vae_items) -> None:
    if len(members) < 2:
        result.errors.append(_("VAE : le jury compte au moins 2 membres."))
    if not any(m.qualified_for_certification for m in members):
        result.errors.append(
            _("VAE : au moins un membre doit être qualifié pour la certification.")
        )
    women = sum(1 for m in members if m.sex == Sex.FEMALE)
    men = sum(1 for m in members if m.sex == Sex.MALE)
    if any(not m.sex for m in members) or abs(women - men) > 1:
        result.warnings.append(
            _(
                "VAE : veillez à une représentation équilibrée des femmes et des hommes "
                "(%(women)s femme(s), %(men)s homme(s), %(unknown)s non renseigné(s))."
            )
            % {"women": women, "men": men, "unknown": len(members) - women - men}
        )
    items = {row.pk: (index, row) for index, row in enumerate(vae_items)}
    seats = {m.pk: m for m in members}
    linked = list(
        ConflictOfInterest.objects.filter(item_id__in=list(items))
        .order_by()  # sorted below, without the joins of the default ordering
        .values_list("pk", "member_id", "item_id", "kind")
    )
    missing = {member_id for _pk, member_id, _item, _kind in linked} - set(seats)
    if missing:  # a partial ``members``: the others read here
        seats.update(
            (m.pk, m) for m in JuryMember.objects.filter(pk__in=missing).select_related("user")
        )

    def order(conflict):  # agenda order, then seat order (president, college), as listed
        pk, member_id, item_id, _kind = conflict
        seat = seats[member_id]
        return items[item_id][0], not seat.is_president, seat.college, member_id, pk

    for _pk, member_id, item_id, kind in sorted(linked, key=order):
        result.errors.append(
            _(
                "VAE : %(member)s a un lien avec %(candidate)s (%(kind)s) et ne peut pas siéger "
                "tant que ce dossier est à l'ordre du jour."
            )
            % {
                "member": seats[member_id].name,
                "candidate": items[item_id][1].candidate_name,
                "kind": ConflictKind(kind).label,
            }
        )
