"""The juries' sections of the home page: the juror's (sessions to come, dossiers to
review, votes pending, PV to sign) and the centre staff's (sessions to prepare, dossiers
waiting for a jury)."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from candidates.models import Dossier, DossierStatus
from centres.roles import Capability
from juries.access import sessions_for
from juries.deliberation import session_states
from juries.models import AgendaItem, Attendance, JuryMember, SessionStatus

S = SessionStatus


def juror_section(request):
    actor = getattr(request, "actor", None)
    if actor is None or actor.centre is None or not actor.can(Capability.DELIBERATE):
        return None
    seats = list(
        JuryMember.objects.filter(session__in=sessions_for(actor), user=actor.user)
        .select_related("session__qualification")
        .annotate(
            items=Count("session__agenda", distinct=True),
            signed=Count("signatures", distinct=True),
        )
        .order_by("session__starts_at")
    )
    upcoming = [s for s in seats if s.session.status != S.CLOSED]
    to_sign = [
        s
        for s in seats
        if s.session.status == S.CLOSED and s.attendance == Attendance.PRESENT and not s.signed
    ]
    pending = []
    for seat in upcoming:
        if seat.session.status != S.DELIBERATING or seat.attendance != Attendance.PRESENT:
            continue
        _members, states = session_states(seat.session)
        for state in states:
            if seat.pk not in {m.pk for m in state.voters} or state.regular is not True:
                continue
            missing = sum(1 for c in state.competences if seat.pk in {m.pk for m in c.waiting_for})
            if missing:
                pending.append({"seat": seat, "item": state.item, "missing": missing})
    review = list(
        AgendaItem.objects.filter(session__in=[s.session for s in upcoming])
        .select_related("session", "dossier__candidate")
        .order_by("session__starts_at", "position", "id")[:20]
    )
    return {
        "title": _("Mes jurys"),
        "template": "juries/home_juror.html",
        "context": {
            "upcoming": upcoming,
            "review": review,
            "pending": pending,
            "to_sign": to_sign,
        },
    }


def staff_section(request):
    actor = getattr(request, "actor", None)
    if actor is None or actor.centre is None or not actor.can(Capability.CONVENE_JURIES):
        return None
    sessions = list(
        sessions_for(actor)
        .exclude(status=S.CLOSED)
        .select_related("qualification")
        .annotate(
            n_members=Count("members", distinct=True),
            n_items=Count("agenda", distinct=True),
        )
        .order_by("starts_at")[:10]
    )
    waiting = (
        Dossier.objects.filter(status=DossierStatus.READY_FOR_JURY)
        .exclude(Q(jury_items__session__status__in=[S.PLANNED, S.OPEN, S.DELIBERATING]))
        .count()
    )
    return {
        "title": _("Jurys paritaires"),
        "template": "juries/home_staff.html",
        "context": {"sessions": sessions, "waiting": waiting},
    }
