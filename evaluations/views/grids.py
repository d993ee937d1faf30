"""The tablet grid page, the conflict declaration, signing and reopening.

The grid page renders the whole grid; every change is then saved at once by
``static/js/grid.js`` through the JSON API (If-Match on each score's version)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from centres.access import require
from centres.roles import Capability
from core.errors import DomainError
from core.http import client_ip
from core.views import error_message
from evaluations import services
from evaluations.access import (
    GRID_PAGE_RELATED,
    GRID_RELATED,
    DeclarationRequired,
    get_grid_for_user,
    get_session_dossier_for_user,
    is_staff,
    member_for,
)
from evaluations.forms import DeclarationForm, ReasonForm
from evaluations.models import GridStatus, LinkKind, Proposal, ScoreState, SessionStatus
from evaluations.selectors import declaration_for, grid_view


def _grid_access(request, pk, related=GRID_RELATED):
    """The grid, the acting member (or None) and their declaration. A grid the member may
    not read (``access.grids_for``: no accepted declaration) raises ``DeclarationRequired``,
    answered by :func:`_unreadable`."""
    actor = request.actor
    grid = get_grid_for_user(actor, pk, related=related)
    member = member_for(actor, grid.session)
    declaration = declaration_for(member, grid.dossier_id)
    if member is None and not is_staff(actor):
        raise PermissionDenied  # an assessor granted the session without a seat
    return grid, member, declaration


def _unreadable(request, refusal: DeclarationRequired):
    """Not signed yet: to the declaration first; a declared link: the refusal (403). Nothing
    of the grid is shown, only its session's link."""
    if refusal.member is None:
        raise PermissionDenied  # an assessor granted the session without a seat
    if refusal.declaration is None:
        return redirect(_declaration_url(refusal.grid))
    return render(
        request,
        "evaluations/grid_refused.html",
        {"grid": refusal.grid, "declaration": refusal.declaration},
        status=403,
    )


def _declaration_url(grid):
    url = reverse("evaluations:declaration", args=[grid.session_id, grid.dossier_id])
    return f"{url}?next={reverse('evaluations:grid', args=[grid.pk])}"


@login_required
def grid_page(request, pk):
    try:
        grid, member, declaration = _grid_access(request, pk, GRID_PAGE_RELATED)
    except DeclarationRequired as refusal:
        return _unreadable(request, refusal)
    if member is not None and declaration is None:
        return redirect(_declaration_url(grid))
    refused = declaration is not None and not declaration.accepted
    if refused and not is_staff(request.actor):
        return render(
            request,
            "evaluations/grid_refused.html",
            {"grid": grid, "declaration": declaration},
            status=403,
        )
    view = grid_view(grid)
    editable = (
        member is not None
        and not refused
        and grid.status != GridStatus.SIGNED
        and grid.session.status != SessionStatus.CLOSED
    )
    return render(
        request,
        "evaluations/grid.html",
        {
            "grid": grid,
            "view": view,
            "member": member,
            "editable": editable,
            "staff": is_staff(request.actor),
            # labels translated once, not once per criterion and button
            "states": [(value, str(label)) for value, label in ScoreState.choices],
            "proposals": [(value, str(label)) for value, label in Proposal.choices],
            "candidate_name": services.candidate_full_name(grid.dossier),
            "i_signed": member is not None and member.pk in view.signed_member_ids,
            "i18n": grid_messages(),
            "reopening": (
                grid.reopenings.select_related("staff").first()
                if grid.status == GridStatus.REOPENED
                else None
            ),
        },
    )


def grid_messages() -> dict:
    """The words of ``static/js/grid.js``, translated here (no strings in the script)."""
    return {
        "saved": _("Enregistré"),
        "saving": _("Enregistrement…"),
        "failed": _("Échec — réessayer"),
        "offline": _("Hors ligne — gardé sur la tablette, envoyé au retour du réseau"),
        "needsJustification": _("Justification requise pour enregistrer « non applicable »"),
        "needsProposalJustification": _(
            "Justification requise pour enregistrer la proposition « non acquise »"
        ),
        "clock": _("%(h)sh%(m)s"),
        "conflict": _("Modifié entre-temps par un autre membre"),
        "allSaved": _("Tout est enregistré"),
        "globalSaving": _("Enregistrement…"),
        "globalFailed": _("Échec de l'enregistrement — réessayer"),
        "globalConflict": _("Un autre membre a modifié un critère : choisissez la valeur à garder"),
        "globalOffline": _("Hors ligne — %(n)s modification(s) gardée(s) sur la tablette"),
        "sessionExpired": _("Session expirée : reconnectez-vous, vos saisies sont gardées."),
        "changedBy": _("%(who)s a enregistré entre-temps (%(when)s) :"),
        "yourValue": _("Votre saisie :"),
        "keepTheirs": _("Garder sa valeur"),
        "useMine": _("Remplacer par ma saisie"),
        "empty": _("(non évalué)"),
        "unsavedBeforeSign": _(
            "Des modifications ne sont pas encore enregistrées : attendez le retour du réseau "
            "avant de signer."
        ),
        "labels": {**dict(ScoreState.choices), **dict(Proposal.choices)},
    }


@login_required
def grid_sign(request, pk):
    try:
        grid, member, declaration = _grid_access(request, pk)
    except DeclarationRequired as refusal:
        require(request.actor, Capability.EVALUATE)
        return _unreadable(request, refusal)
    require(request.actor, Capability.EVALUATE)
    if member is None:
        raise PermissionDenied  # staff who are also assessors, not seated
    if declaration is None:
        return redirect(_declaration_url(grid))
    if request.method == "POST":
        try:
            services.sign_grid(grid, actor=request.actor, ip=client_ip(request))
        except DomainError as exc:
            error_message(request, exc)
        else:
            grid.refresh_from_db()
            if grid.status == GridStatus.SIGNED:
                messages.success(request, _("Grille signée par toute la commission : verrouillée."))
            else:
                messages.success(
                    request, _("Votre signature est enregistrée ; la grille attend les autres.")
                )
            return redirect("evaluations:grid", pk=grid.pk)
    view = grid_view(grid, with_accommodation=False)
    return render(
        request,
        "evaluations/grid_sign.html",
        {
            "grid": grid,
            "view": view,
            "member": member,
            "problems": services.completeness_problems(grid),
            "i_signed": member.pk in view.signed_member_ids,
            "candidate_name": services.candidate_full_name(grid.dossier),
        },
    )


@login_required
def grid_reopen(request, pk):
    grid = get_grid_for_user(request.actor, pk)
    require(request.actor, Capability.SCHEDULE_EVALUATIONS)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_grid(grid, actor=request.actor, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request, _("Grille rouverte : la commission doit la signer à nouveau.")
            )
            return redirect("evaluations:grid", pk=grid.pk)
    return render(
        request,
        "evaluations/grid_reopen.html",
        {"grid": grid, "form": form, "candidate_name": services.candidate_full_name(grid.dossier)},
    )


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return target
    return default


@login_required
def declaration(request, session_pk, dossier_pk):
    actor = request.actor
    require(actor, Capability.EVALUATE)
    slot = get_session_dossier_for_user(actor, session_pk, dossier_pk)
    member = member_for(actor, slot.session)
    if member is None:
        raise PermissionDenied
    existing = declaration_for(member, dossier_pk)
    form = DeclarationForm(request.POST or None)
    default_next = reverse("evaluations:session_detail", args=[session_pk])
    if existing is None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sign_declaration(
                slot.session,
                slot.dossier,
                actor=actor,
                statement=data["statement"],
                declared_link=data["declared_link"],
                link_details=data["link_details"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            if exc.code == "conflict_of_interest":
                messages.warning(request, str(exc.message))
                return redirect(default_next)
            form.add_error(
                "statement" if exc.code == "statement_invalid" else None, str(exc.message)
            )
        else:
            messages.success(request, _("Déclaration signée."))
            return redirect(_safe_next(request, default_next))
    return render(
        request,
        "evaluations/declaration.html",
        {
            "slot": slot,
            "session": slot.session,
            "dossier": slot.dossier,
            "existing": existing,
            "form": form,
            "model": services.statement_model(slot.dossier, actor.user),
            "candidate_name": services.candidate_full_name(slot.dossier),
            "next": _safe_next(request, ""),
            "no_link": LinkKind.NONE,
        },
    )
