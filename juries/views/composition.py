"""Composition pages (centre staff): members and their colleges, invitations, attendance,
the agenda and the links between members and candidates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from centres.access import get_object_or_404_scoped
from core.listing import paginate
from core.search import french, text_search
from core.views import error_message
from juries import services
from juries.access import (
    get_item_for_user,
    get_member_for_user,
    get_session_for_user,
    is_convener,
    member_for,
)
from juries.composition import check_composition
from juries.forms import AgendaSearchForm, AttendanceForm, ConflictForm, InvitationForm, MemberForm
from juries.models import AgendaItem, ConflictOfInterest, JuryMember
from juries.views.common import back, presides


@login_required
def members(request, pk):
    actor = request.actor
    session = get_session_for_user(actor, pk, write=True)
    form = MemberForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        user = data.pop("user")
        try:
            services.add_member(session, user, actor=actor, **data)
        except services.JuryError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Membre ajouté au jury."))
            return redirect("juries:members", pk=session.pk)
    rows = sorted(
        JuryMember.objects.filter(session=session).select_related("user", "company"),
        key=lambda m: m.seat_order,
    )
    return render(
        request,
        "juries/members.html",
        {
            "session": session,
            "rows": rows,
            "form": form,
            "composition": check_composition(session, members=rows),
        },
    )


@login_required
def member_edit(request, pk, member_pk):
    actor = request.actor
    session = get_session_for_user(actor, pk, write=True)
    member = get_member_for_user(actor, session, member_pk)
    initial = {
        "college": member.college,
        "organisation": member.organisation,
        "company": member.company,
        "sex": member.sex,
        "qualified_for_certification": member.qualified_for_certification,
    }
    form = MemberForm(request.POST or None, session=session, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_member(member, actor=actor, **form.cleaned_data)
        except services.JuryError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Membre modifié."))
            return redirect("juries:members", pk=session.pk)
    return render(
        request, "juries/member_form.html", {"session": session, "member": member, "form": form}
    )


@login_required
@require_POST
def member_remove(request, pk, member_pk):
    actor = request.actor
    session = get_session_for_user(actor, pk, write=True)
    member = get_member_for_user(actor, session, member_pk)
    try:
        services.remove_member(member, actor=actor)
    except services.JuryError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("%(name)s ne siège plus dans ce jury.") % {"name": member.name})
    return redirect("juries:members", pk=session.pk)


@login_required
@require_POST
def member_president(request, pk, member_pk):
    actor = request.actor
    session = get_session_for_user(actor, pk, write=True)
    member = get_member_for_user(actor, session, member_pk)
    try:
        services.set_president(member, actor=actor)
    except services.JuryError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("%(name)s préside le jury.") % {"name": member.name})
    return redirect("juries:members", pk=session.pk)


@login_required
def invitations(request, pk):
    actor = request.actor
    session = get_session_for_user(actor, pk, write=True)
    form = InvitationForm(
        request.POST or None,
        initial={
            "reason": session.late_invitation_reason,
            "justification": session.late_invitation_justification,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_invitations(
                session,
                actor=actor,
                reason=form.cleaned_data["reason"],
                justification=form.cleaned_data["justification"],
            )
        except services.JuryError as exc:
            form.add_error("justification" if "justif" in exc.code else None, str(exc.message))
        else:
            messages.success(request, _("Convocations enregistrées et envoyées aux membres."))
            return redirect("juries:session_detail", pk=session.pk)
    rows = list(JuryMember.objects.filter(session=session).select_related("user"))
    from django.utils import timezone

    late_now = timezone.localdate() > session.invitation_deadline()
    return render(
        request,
        "juries/invitations.html",
        {"session": session, "rows": rows, "form": form, "late_now": late_now},
    )


@login_required
def attendance(request, pk):
    actor = request.actor
    session = get_session_for_user(actor, pk, write=True)
    rows = sorted(
        JuryMember.objects.filter(session=session).select_related("user"),
        key=lambda m: m.seat_order,
    )
    form = AttendanceForm(request.POST or None, members=rows)
    if request.method == "POST" and form.is_valid():
        try:
            for member in rows:
                value = form.cleaned_data[f"attendance_{member.pk}"]
                if value != member.attendance:
                    services.set_attendance(member, value, actor=actor)
        except services.JuryError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Feuille d'émargement enregistrée."))
            return redirect("juries:session_detail", pk=session.pk)
    return render(
        request,
        "juries/attendance.html",
        {"session": session, "form": form, "composition": check_composition(session, rows)},
    )


@login_required
def agenda(request, pk):
    actor = request.actor
    session = get_session_for_user(actor, pk, write=True)
    if request.method == "POST":
        dossier = get_object_or_404_scoped(
            services.eligible_dossiers(session), pk=request.POST.get("dossier")
        )
        try:
            services.add_to_agenda(session, dossier, actor=actor)
        except services.JuryError as exc:
            error_message(request, exc)
        else:
            messages.success(
                request,
                _("%(name)s est inscrit à l'ordre du jour.")
                % {"name": dossier.candidate.full_name},
            )
        return redirect(f"{request.path}?{request.GET.urlencode()}")
    items = list(
        AgendaItem.objects.filter(session=session)
        .select_related("dossier__candidate", "dossier__company", "revises")
        .prefetch_related("conflicts__member__user")
        .order_by("position", "id")
    )
    search = AgendaSearchForm(request.GET or None)
    eligible = (
        services.eligible_dossiers(session)
        .select_related("candidate", "company")
        .order_by(french("candidate__birth_name"), french("candidate__first_names"), "id")
    )
    if search.is_valid():
        eligible = eligible.filter(
            text_search(
                search.cleaned_data["q"],
                "candidate__birth_name",
                "candidate__usage_name",
                "candidate__first_names",
                "company__name",
            )
        )
    page, querystring = paginate(request, eligible)
    members_list = list(JuryMember.objects.filter(session=session).select_related("user"))
    return render(
        request,
        "juries/agenda.html",
        {
            "session": session,
            "items": items,
            "page": page,
            "query_string": querystring,
            "search": search,
            "members": members_list,
            "conflict_form": ConflictForm(),
        },
    )


@login_required
@require_POST
def agenda_remove(request, pk, item_pk):
    actor = request.actor
    session = get_session_for_user(actor, pk, write=True)
    item = get_item_for_user(actor, session.pk, item_pk)
    try:
        services.remove_from_agenda(item, actor=actor, reason=request.POST.get("reason", ""))
    except services.JuryError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("Dossier retiré de l'ordre du jour."))
    return redirect("juries:agenda", pk=session.pk)


@login_required
def item_absent(request, pk, item_pk):
    """Record that the candidate is absent (or present after all). Recording an absence
    takes two steps, without JavaScript: the first request (a GET, or the page's button
    without ``confirmed``) shows "Confirmer l'absence de …"; only its button records it."""
    actor = request.actor
    item = get_item_for_user(actor, pk, item_pk)
    if not presides(actor, item.session):
        raise PermissionDenied
    absent = request.method == "GET" or request.POST.get("absent") == "1"
    if absent and not (request.method == "POST" and request.POST.get("confirmed") == "1"):
        return render(
            request,
            "juries/absence_confirm.html",
            {
                "session": item.session,
                "item": item,
                "next": request.POST.get("next") or request.GET.get("next", ""),
            },
        )
    try:
        services.set_candidate_absent(item, absent, actor=actor)
    except services.JuryError as exc:
        error_message(request, exc)
    else:
        messages.success(
            request,
            _("Absence du candidat enregistrée.") if absent else _("Le candidat est présent."),
        )
    return back(request, "juries:item_detail", pk=item.session_id, item_pk=item.pk)


@login_required
@require_POST
def conflict_declare(request, pk, item_pk):
    """Staff record a link for any member; a juror declares their own."""
    actor = request.actor
    item = get_item_for_user(actor, pk, item_pk)
    form = ConflictForm(request.POST)
    if is_convener(actor):
        member = get_object_or_404_scoped(
            JuryMember.objects.filter(session_id=item.session_id), pk=request.POST.get("member")
        )
    else:
        member = member_for(actor, item.session)
        if member is None:
            raise PermissionDenied
    if not form.is_valid():
        messages.error(request, _("Choisissez le type de lien."))
    else:
        try:
            services.declare_conflict(
                item,
                member,
                kind=form.cleaned_data["kind"],
                details=form.cleaned_data["details"],
                actor=actor,
            )
        except services.JuryError as exc:
            error_message(request, exc)
        else:
            messages.success(
                request,
                _("Lien enregistré : %(name)s s'abstient sur ce candidat.") % {"name": member.name},
            )
    return back(request, "juries:item_detail", pk=item.session_id, item_pk=item.pk)


@login_required
@require_POST
def conflict_remove(request, pk, conflict_pk):
    actor = request.actor
    session = get_session_for_user(actor, pk, write=True)
    conflict = get_object_or_404_scoped(
        ConflictOfInterest.objects.filter(item__session=session).select_related(
            "item__session", "member"
        ),
        pk=conflict_pk,
    )
    try:
        services.remove_conflict(conflict, actor=actor, reason=request.POST.get("reason", ""))
    except services.JuryError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("Lien retiré."))
    return redirect("juries:agenda", pk=session.pk)
