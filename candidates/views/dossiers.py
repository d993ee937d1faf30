"""Dossier pages: list (staff and company representatives), creation, edition,
modalities, the dossier page with its timeline and actions, withdrawal, re-sit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candidates import services
from candidates.access import (
    can_see_accommodation,
    can_see_documents,
    dossiers_for,
    get_candidate_for_user,
    get_dossier_for_user,
    has_accommodation,
)
from candidates.forms import DocumentUploadForm, DossierForm, WithdrawForm, modalities_form
from candidates.models import (
    EDITABLE_STATUSES,
    OPEN_STATUSES,
    CandidateIdentity,
    DossierStatus,
    Target,
)
from candidates.sections import dossier_sections
from candidates.selectors import DOSSIER_SORT, competence_rows, prefetch_competence_rows
from candidates.views.common import filter_dossier_fields
from centres.access import companies_for, require_any
from centres.roles import Capability
from core.errors import StaleVersionError
from core.listing import paginate
from core.search import french
from cqpm.models import Competence


@login_required
def dossier_list(request):
    actor = request.actor
    require_any(actor, Capability.VIEW_CENTRE, Capability.GIVE_COMPANY_OPINION)
    form, qs, _joined = filter_dossier_fields(
        request, companies_for(actor).order_by(french("name")), dossiers_for(actor)
    )
    qs, sort = DOSSIER_SORT.apply(qs, request.GET.get("sort"))
    page, query_string = paginate(request, qs)
    return render(
        request,
        "candidates/dossier_list.html",
        {
            "page": page,
            "filter_form": form,
            "query_string": query_string,
            "sort": sort,
            "read_only": not actor.can(Capability.REGISTER_CANDIDATES),
        },
    )


@login_required
def dossier_create(request, candidate_pk):
    actor = request.actor
    candidate = get_candidate_for_user(actor, candidate_pk, write=True)
    form = DossierForm(
        request.POST or None,
        centre=actor.centre,
        initial={"access_route": candidate.access_status, "target": Target.WHOLE},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dossier = services.open_dossier(
                candidate,
                actor=actor,
                qualification=data["qualification"],
                access_route=data["access_route"],
                target=data["target"],
                blocs=data["blocs"],
                company=data["company"],
                tutor_name=data["tutor_name"],
                tutor_email=data["tutor_email"],
                manager_name=data["manager_name"],
                manager_email=data["manager_email"],
            )
        except services.DossierError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request, _("Dossier ouvert. Choisissez maintenant les modalités d'évaluation.")
            )
            return redirect("candidates:dossier_modalities", pk=dossier.pk)
    return render(request, "candidates/dossier_form.html", {"form": form, "candidate": candidate})


@login_required
def dossier_edit(request, pk):
    actor = request.actor
    dossier = get_dossier_for_user(actor, pk, write=True)
    if dossier.status not in EDITABLE_STATUSES:
        messages.error(request, _("Le dossier ne peut plus être modifié à cet état."))
        return redirect("candidates:dossier_detail", pk=dossier.pk)
    initial = {
        "access_route": dossier.access_route,
        "target": dossier.target,
        "blocs": list(dossier.target_blocs.all()),
        "company": dossier.company,
        "tutor_name": dossier.tutor_name,
        "tutor_email": dossier.tutor_email,
        "manager_name": dossier.manager_name,
        "manager_email": dossier.manager_email,
    }
    form = DossierForm(request.POST or None, centre=actor.centre, dossier=dossier, initial=initial)
    version = request.POST.get("version", dossier.version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_dossier(
                dossier,
                actor=actor,
                expected_version=version,
                target=data["target"],
                blocs=data["blocs"],
                access_route=data["access_route"],
                company=data["company"],
                tutor_name=data["tutor_name"],
                tutor_email=data["tutor_email"],
                manager_name=data["manager_name"],
                manager_email=data["manager_email"],
            )
        except services.DossierError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Dossier enregistré."))
            return redirect("candidates:dossier_detail", pk=dossier.pk)
    return render(
        request,
        "candidates/dossier_form.html",
        {"form": form, "dossier": dossier, "candidate": dossier.candidate, "version": version},
    )


@login_required
def dossier_modalities(request, pk):
    actor = request.actor
    dossier = get_dossier_for_user(actor, pk, write=True)
    if dossier.status not in EDITABLE_STATUSES:
        messages.error(request, _("Les modalités sont déjà validées."))
        return redirect("candidates:dossier_detail", pk=dossier.pk)
    rows = list(dossier.competences.select_related("competence__bloc", "modality"))
    form = modalities_form(dossier, rows, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_modalities(
                dossier,
                form.assignments(),
                actor=actor,
                expected_version=form.cleaned_data["version"],
            )
        except services.DossierError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Modalités d'évaluation enregistrées."))
            return redirect("candidates:dossier_detail", pk=dossier.pk)
    return render(
        request,
        "candidates/dossier_modalities.html",
        {
            "form": form,
            "dossier": dossier,
            "modalities": dossier.referential_version.modalities.all(),
        },
    )


def _credited_competences(dossier, rows):
    """Targeted competences without a row: carried over from an earlier result."""
    qs = Competence.objects.filter(version=dossier.referential_version).select_related("bloc")
    if dossier.target == Target.BLOCS:
        qs = qs.filter(bloc__in=dossier.target_blocs.all())
    evaluated = {r.competence_id for r in rows}
    return [c for c in qs.order_by("number") if c.pk not in evaluated]


def _next_actions(dossier):
    return [
        {"name": name, "label": label}
        for name, (_service, allowed_from, label) in services.USER_TRANSITIONS.items()
        if dossier.status in allowed_from
    ]


@login_required
def dossier_detail(request, pk):
    actor = request.actor
    dossier = get_dossier_for_user(actor, pk)
    staff_view = actor.can(Capability.VIEW_CENTRE)
    can_write = actor.can(Capability.REGISTER_CANDIDATES)
    prefetch_competence_rows(dossier)  # the page's sections read them too
    rows = competence_rows(dossier)
    context = {
        "dossier": dossier,
        "candidate": dossier.candidate,
        "rows": rows,
        "credited": _credited_competences(dossier, rows),
        "target_blocs": list(dossier.target_blocs.all()),
        "events": dossier.events.select_related("actor"),
        "staff_view": staff_view,
        "can_write": can_write and dossier.is_open,
        "editable": can_write and dossier.status in EDITABLE_STATUSES,
        "actions": _next_actions(dossier) if can_write else [],
        "can_withdraw": can_write and dossier.status in OPEN_STATUSES,
        "can_resit": can_write and dossier.status in {DossierStatus.DECIDED, DossierStatus.CLOSED},
        "can_accommodate": can_see_accommodation(actor),
        "has_accommodation": has_accommodation(actor, dossier),
        "report_deadline": services.report_deadline(dossier),
        "extra_sections": dossier_sections(request, dossier),
    }
    if can_see_documents(actor):
        context["documents"] = dossier.documents.select_related("uploaded_by")
        context["upload_form"] = DocumentUploadForm()
    if staff_view:
        identity = CandidateIdentity.objects.filter(candidate=dossier.candidate).first()
        context["nir_masked"] = identity.masked if identity else ""
    return render(request, "candidates/dossier_detail.html", context)


@require_POST
@login_required
def dossier_transition(request, pk, action):
    actor = request.actor
    if action not in services.USER_TRANSITIONS:
        raise Http404
    dossier = get_dossier_for_user(actor, pk, write=True)
    service, _allowed, _label = services.USER_TRANSITIONS[action]
    try:
        service(dossier, actor=actor, expected_version=request.POST.get("version") or None)
    except StaleVersionError as exc:
        messages.error(request, str(exc.message))
    except services.DossierError as exc:
        messages.error(request, str(exc.message))
    else:
        dossier.refresh_from_db()
        messages.success(
            request,
            _("Dossier à l'état « %(status)s ».") % {"status": dossier.get_status_display()},
        )
    return redirect("candidates:dossier_detail", pk=dossier.pk)


@login_required
def dossier_withdraw(request, pk):
    actor = request.actor
    dossier = get_dossier_for_user(actor, pk, write=True)
    if not dossier.is_open:
        messages.error(request, _("Ce dossier n'est plus en cours."))
        return redirect("candidates:dossier_detail", pk=dossier.pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(dossier, actor=actor, reason=form.cleaned_data["reason"])
        except services.DossierError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Le dossier est abandonné."))
            return redirect("candidates:dossier_detail", pk=dossier.pk)
    return render(request, "candidates/dossier_withdraw.html", {"form": form, "dossier": dossier})


@require_POST
@login_required
def dossier_resit(request, pk):
    actor = request.actor
    dossier = get_dossier_for_user(actor, pk, write=True)
    try:
        resit = services.open_resit_dossier(dossier, actor=actor)
    except services.DossierError as exc:
        messages.error(request, str(exc.message))
        return redirect("candidates:dossier_detail", pk=dossier.pk)
    messages.success(request, _("Nouveau dossier ouvert avec les acquis encore valables."))
    return redirect("candidates:dossier_modalities", pk=resit.pk)
