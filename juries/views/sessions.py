"""Session pages: the list, creation and edition, the session page with its live board,
the transitions (open, deliberate, close). The PV signature: ``views.signing``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from centres.access import require
from centres.roles import Capability
from core.listing import SortColumns, paginate
from core.search import french, text_search
from core.views import error_message
from cqpm.mentions import WHO_FILLS_IN, blocking_mentions
from documents.access import documents_for
from documents.models import DocumentKind
from juries import services
from juries.access import (
    get_session_for_user,
    is_convener,
    require_jury_reader,
    sessions_for,
)
from juries.board import board_html
from juries.composition import check_composition
from juries.deliberation import agenda_rows, session_members, session_states
from juries.forms import CloseForm, SessionFilterForm, SessionForm
from juries.models import SessionStatus
from juries.views.common import presides

S = SessionStatus

SESSION_SORT = SortColumns(
    "-date",
    date="starts_at",
    qualification=(french("qualification__title"), "starts_at"),
    place=(french("place"), "starts_at"),
    members=("n_members", "starts_at"),
    dossiers=("n_items", "starts_at"),
    status=("status", "starts_at"),
)


@login_required
@require_GET
def session_list(request):
    actor = request.actor
    require_jury_reader(actor)
    form = SessionFilterForm(request.GET or None)
    sessions = (
        sessions_for(actor)
        .select_related("qualification")
        .annotate(n_members=Count("members", distinct=True), n_items=Count("agenda", distinct=True))
    )
    if form.is_valid():
        data = form.cleaned_data
        sessions = sessions.filter(text_search(data["q"], "label", "place", "qualification__title"))
        if data["status"]:
            sessions = sessions.filter(status=data["status"])
    sessions, sort = SESSION_SORT.apply(sessions, request.GET.get("sort"))
    page, querystring = paginate(request, sessions)
    return render(
        request,
        "juries/session_list.html",
        {
            "page": page,
            "filter_form": form,
            "query_string": querystring,
            "sort": sort,
            "can_convene": is_convener(actor),
        },
    )


def _session_data(form):
    data = dict(form.cleaned_data)
    data.pop("version", None)
    return data


@login_required
def session_create(request):
    actor = request.actor
    require(actor, Capability.CONVENE_JURIES)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(actor.centre, actor=actor, **_session_data(form))
        except services.JuryError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Séance créée. Ajoutez maintenant les membres du jury."))
            return redirect("juries:members", pk=session.pk)
    return render(request, "juries/session_form.html", {"form": form})


@login_required
def session_edit(request, pk):
    actor = request.actor
    session = get_session_for_user(actor, pk, write=True)
    initial = {
        "qualification": session.qualification,
        "label": session.label,
        "starts_at": session.starts_at,
        "place": session.place,
        "town": session.town,
        "version": session.version,
    }
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(
                session,
                actor=actor,
                expected_version=form.cleaned_data.get("version"),
                **_session_data(form),
            )
        except services.JuryError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Séance modifiée."))
            return redirect("juries:session_detail", pk=session.pk)
    return render(request, "juries/session_form.html", {"form": form, "session": session})


def _seat_context(actor, session, members):
    seat = next((m for m in members if m.user_id == actor.user.pk), None)
    return {
        "session": session,
        "members": members,
        "seat": seat,
        "can_convene": is_convener(actor),
        "presides": is_convener(actor) or bool(seat and seat.is_president),
    }


@login_required
@require_GET
def session_detail(request, pk):
    actor = request.actor
    session = get_session_for_user(actor, pk)
    members = session_members(session)
    agenda = agenda_rows(session)
    context = _seat_context(actor, session, members)
    context["board"] = board_html(session, members, agenda)
    composition = check_composition(session, members=members, agenda=agenda)
    signed = set(session.minutes_signatures.values_list("member_id", flat=True))
    minutes = (
        documents_for(actor)
        .filter(
            kind=DocumentKind.JURY_MINUTES,
            subject_type="juries.jurysession",
            subject_id=str(session.pk),
        )
        .order_by("-created_at", "-id")
        .first()
    )
    context.update(
        composition=composition,
        signed=signed,
        minutes=minutes,
        close_form=CloseForm(initial={"version": session.version}),
    )
    return render(request, "juries/session_detail.html", context)


@login_required
@require_GET
def session_board(request, pk):
    """The live board (polled by htmx while the jury deliberates)."""
    session = get_session_for_user(request.actor, pk)
    return HttpResponse(board_html(session, session_members(session)))


def _transition(request, pk, service, success):
    actor = request.actor
    session = get_session_for_user(actor, pk, write=True)
    extra = {}
    if service is services.start_deliberation and request.POST.get("imbalance_reason"):
        extra["imbalance_reason"] = request.POST["imbalance_reason"]
    try:
        service(
            session,
            actor=actor,
            expected_version=request.POST.get("version") or None,
            **extra,
        )
    except services.JuryError as exc:
        error_message(request, exc)
    else:
        messages.success(request, success)
    return redirect("juries:session_detail", pk=session.pk)


@login_required
@require_POST
def session_open(request, pk):
    return _transition(request, pk, services.open_session, _("La séance est ouverte."))


@login_required
@require_POST
def session_deliberate(request, pk):
    return _transition(
        request,
        pk,
        services.start_deliberation,
        _("La délibération est ouverte : les votes sont possibles."),
    )


@login_required
def session_close(request, pk):
    actor = request.actor
    session = get_session_for_user(actor, pk)
    if not presides(actor, session):
        raise PermissionDenied
    form = CloseForm(
        request.POST or None,
        initial={"version": session.version, "observations": session.observations},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.close_session(
                session,
                actor=actor,
                expected_version=form.cleaned_data.get("version"),
                observations=form.cleaned_data["observations"],
            )
        except services.JuryError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _(
                    "Séance close : les décisions sont figées et les acquis enregistrés. Les "
                    "membres présents signent maintenant le PV ; les parchemins, attestations "
                    "et courriers sont délivrés quand tous l'ont signé."
                ),
            )
            return redirect("juries:session_detail", pk=session.pk)
    members, states = session_states(session)
    context = _seat_context(actor, session, members)
    context.update(
        states=states,
        form=form,
        missing_mentions=blocking_mentions(session.qualification),
        who_fills_in=WHO_FILLS_IN,
    )
    return render(request, "juries/session_close.html", context)
