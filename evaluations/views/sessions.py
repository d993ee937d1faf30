"""Session pages: the list (staff: all; assessors: theirs), creation and edition, the session
page (dossiers, commission, declarations, grids) and its actions."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from candidates.models import Accommodation, Dossier
from centres.access import require
from centres.roles import Capability
from core.errors import DomainError
from core.listing import SortColumns, paginate
from core.search import french, text_search
from core.views import error_message
from evaluations import services
from evaluations.access import (
    get_member_for_user,
    get_session_for_user,
    grids_for,
    is_staff,
    member_for,
    require_session_reader,
    sessions_for,
)
from evaluations.forms import AddDossierForm, AddMemberForm, SessionForm
from evaluations.models import ConflictDeclaration, CriterionScore, SessionDossier, SessionStatus
from evaluations.selectors import SESSION_SORT
from evaluations.services.sessions import ACCEPTED_DOSSIER_STATUSES, SESSION_FIELDS

CANDIDATE_DOSSIERS_SHOWN = 20
# the API's columns and the page's counts
SESSION_PAGE_SORT = SortColumns(
    "-date",
    **SESSION_SORT.columns,
    dossiers=("n_dossiers", "starts_at"),
    members=("n_members", "starts_at"),
)


@login_required
def session_list(request):
    actor = request.actor
    require_session_reader(actor)
    qs = sessions_for(actor).annotate(
        n_dossiers=Count("session_dossiers", distinct=True),
        n_members=Count("members", distinct=True),
    )
    q = request.GET.get("q", "").strip()
    if q:
        for term in q.split():
            qs = qs.filter(
                text_search(
                    term,
                    "label",
                    "place",
                    "session_dossiers__dossier__candidate__birth_name",
                    "session_dossiers__dossier__candidate__usage_name",
                )
            ).distinct()
    status = request.GET.get("status", "")
    if status in SessionStatus.values:
        qs = qs.filter(status=status)
    qs, sort = SESSION_PAGE_SORT.apply(qs, request.GET.get("sort"))
    page, query_string = paginate(request, qs)
    return render(
        request,
        "evaluations/session_list.html",
        {
            "page": page,
            "query_string": query_string,
            "sort": sort,
            "q": q,
            "status": status,
            "statuses": SessionStatus.choices,
            "can_schedule": is_staff(actor),
        },
    )


def _session_form_save(request, form, session=None):
    data = {k: form.cleaned_data[k] for k in SESSION_FIELDS}
    data["confirm_past"] = form.cleaned_data.get("confirm_past", False)
    actor = request.actor
    try:
        if session is None:
            return services.schedule_session(actor.centre, actor=actor, **data)
        return services.update_session(
            session, actor=actor, expected_version=form.cleaned_data.get("version"), **data
        )
    except DomainError as exc:
        form.add_error(None, str(exc.message))
        if exc.code == "session_in_past":
            form.offer_past_confirmation()
    return None


@login_required
def session_create(request):
    require(request.actor, Capability.SCHEDULE_EVALUATIONS)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = _session_form_save(request, form)
        if session:
            messages.success(
                request, _("Session planifiée. Ajoutez les dossiers et la commission.")
            )
            return redirect("evaluations:session_detail", pk=session.pk)
    return render(request, "evaluations/session_form.html", {"form": form})


@login_required
def session_edit(request, pk):
    session = get_session_for_user(request.actor, pk, write=True)
    initial = {k: getattr(session, k) for k in SESSION_FIELDS}
    initial["version"] = session.version
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _session_form_save(request, form, session):
        messages.success(request, _("Session enregistrée."))
        return redirect("evaluations:session_detail", pk=session.pk)
    return render(request, "evaluations/session_form.html", {"form": form, "session": session})


def _candidate_dossiers(session, q):
    """Dossiers that may join the session (agreed or in evaluation, with a competence in
    the session's modality), filtered by the search."""
    qs = (
        Dossier.objects.filter(
            status__in=ACCEPTED_DOSSIER_STATUSES, competences__modality__code=session.modality
        )
        .exclude(evaluation_slots__session=session)
        .select_related("candidate", "company")
        .distinct()
        .order_by(french("candidate__birth_name"), french("candidate__first_names"), "id")
    )
    return qs.filter(
        text_search(
            q,
            "candidate__birth_name",
            "candidate__usage_name",
            "candidate__first_names",
            "company__name",
        )
    )


@login_required
def session_detail(request, pk):
    actor = request.actor
    session = get_session_for_user(actor, pk)
    staff = is_staff(actor)
    me = member_for(actor, session)
    slots = list(
        session.session_dossiers.select_related("dossier__candidate", "dossier__company").order_by(
            "dossier__candidate__birth_name", "dossier__candidate__first_names", "id"
        )
    )
    members = list(session.members.select_related("user").order_by(french("user__last_name"), "id"))
    declarations = {
        (d.member_id, d.dossier_id): d
        for d in ConflictDeclaration.objects.filter(member__session=session)
    }
    grids = defaultdict(list)
    for grid in (  # what the actor may read: none of a candidate they have not declared for
        grids_for(actor)
        .filter(session=session)
        .select_related("competence")
        .annotate(signature_count=Count("signatures"))
        .order_by("competence__number")
    ):
        grids[grid.dossier_id].append(grid)
    # dossiers evaluated here can no longer leave the session (remove_dossier refuses)
    scored = set(
        CriterionScore.objects.filter(grid__session=session)
        .exclude(state="")
        .values_list("grid__dossier_id", flat=True)
        .distinct()
    )
    to_apply = dict(
        Accommodation.objects.filter(dossier__in=[s.dossier_id for s in slots])
        .exclude(to_apply="")
        .values_list("dossier_id", "to_apply")
    )
    rows = [
        {
            "slot": slot,
            "dossier": slot.dossier,
            "grids": grids.get(slot.dossier_id, []),
            "accommodation": to_apply.get(slot.dossier_id, ""),
            "removable": slot.dossier_id not in scored
            and not any(g.proposal or g.signature_count for g in grids.get(slot.dossier_id, [])),
            "my_declaration": declarations.get((me.pk, slot.dossier_id)) if me else None,
            "declarations": [(m, declarations.get((m.pk, slot.dossier_id))) for m in members],
        }
        for slot in slots
    ]
    context = {
        "session": session,
        "rows": rows,
        "members": members,
        "me": me,
        "staff": staff,
        "minimum": session.centre.commission_min_assessors,
    }
    if staff and not session.is_closed:
        q = request.GET.get("dq", "").strip()
        candidates = list(_candidate_dossiers(session, q)[: CANDIDATE_DOSSIERS_SHOWN + 1])
        context.update(
            {
                "dq": q,
                "candidate_dossiers": candidates[:CANDIDATE_DOSSIERS_SHOWN],
                "more_candidates": len(candidates) > CANDIDATE_DOSSIERS_SHOWN,
                "member_form": AddMemberForm(centre=session.centre, session=session),
            }
        )
    return render(request, "evaluations/session_detail.html", context)


@require_POST
@login_required
def session_add_dossier(request, pk):
    session = get_session_for_user(request.actor, pk, write=True)
    form = AddDossierForm(request.POST, dossiers=Dossier.objects.all())
    if not form.is_valid():
        messages.error(request, _("Choisissez un dossier."))
    else:
        try:
            services.add_dossier(session, form.cleaned_data["dossier"], actor=request.actor)
        except DomainError as exc:
            error_message(request, exc)
        else:
            messages.success(request, _("Dossier ajouté ; le candidat est convoqué par courriel."))
    return redirect("evaluations:session_detail", pk=session.pk)


@require_POST
@login_required
def session_remove_dossier(request, pk, dossier_pk):
    session = get_session_for_user(request.actor, pk, write=True)
    slot = SessionDossier.objects.filter(session=session, dossier_id=dossier_pk).first()
    if slot is None:
        raise Http404
    try:
        services.remove_dossier(session, slot.dossier, actor=request.actor)
    except DomainError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("Dossier retiré de la session."))
    return redirect("evaluations:session_detail", pk=session.pk)


@require_POST
@login_required
def session_add_member(request, pk):
    session = get_session_for_user(request.actor, pk, write=True)
    form = AddMemberForm(request.POST, centre=session.centre, session=session)
    if not form.is_valid():
        messages.error(request, _("Choisissez un évaluateur du centre."))
    else:
        try:
            services.add_member(session, form.cleaned_data["user"], actor=request.actor)
        except DomainError as exc:
            error_message(request, exc)
        else:
            messages.success(request, _("Évaluateur ajouté à la commission et convoqué."))
    return redirect("evaluations:session_detail", pk=session.pk)


@require_POST
@login_required
def member_remove(request, pk):
    member = get_member_for_user(request.actor, pk, write=True)
    try:
        services.remove_member(member, actor=request.actor)
    except DomainError as exc:
        error_message(request, exc)
    else:
        messages.success(request, _("Évaluateur retiré de la commission."))
    return redirect("evaluations:session_detail", pk=member.session_id)


@require_POST
@login_required
def member_presence(request, pk):
    member = get_member_for_user(request.actor, pk, write=True)
    present = request.POST.get("present") == "1"
    try:
        services.set_presence(member, present, actor=request.actor)
    except DomainError as exc:
        error_message(request, exc)
    return redirect("evaluations:session_detail", pk=member.session_id)


SESSION_ACTIONS = {
    "demarrer": (services.start_session, gettext_lazy("Session démarrée.")),
    "clore": (services.close_session, gettext_lazy("Session close.")),
}


@require_POST
@login_required
def session_transition(request, pk, action):
    if action not in SESSION_ACTIONS:
        raise Http404
    session = get_session_for_user(request.actor, pk, write=True)
    service, done = SESSION_ACTIONS[action]
    try:
        service(session, actor=request.actor, expected_version=request.POST.get("version") or None)
    except DomainError as exc:
        error_message(request, exc)
    else:
        messages.success(request, done)
    return redirect("evaluations:session_detail", pk=session.pk)


@require_POST
@login_required
def session_convocations(request, pk):
    """Produce the candidates' convocations as PDFs (one batch, rendered in the background)."""
    from documents.services import DocumentRequest, request_batch

    session = get_session_for_user(request.actor, pk, write=True)
    slots = list(session.session_dossiers.select_related("dossier__candidate"))
    if not slots:
        messages.error(request, _("Ajoutez d'abord les dossiers de la session."))
        return redirect("evaluations:session_detail", pk=session.pk)
    try:
        batch = request_batch(
            _("Convocations — %(session)s") % {"session": session.label or session.reference},
            [
                DocumentRequest(
                    "convocation",
                    slot,
                    label=_("Convocation — %(name)s") % {"name": slot.dossier.candidate.full_name},
                )
                for slot in slots
            ],
            centre=session.centre,
            actor=request.user,
            subject=session,
        )
    except DomainError as exc:
        error_message(request, exc)
        return redirect("evaluations:session_detail", pk=session.pk)
    messages.success(request, _("Les convocations sont en cours de production."))
    return redirect("documents:batch", pk=batch.pk)
