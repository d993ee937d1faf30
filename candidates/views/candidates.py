"""Candidate pages: list with search and filters, registration, detail, edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from candidates import services
from candidates.access import can_see_accommodation, candidate_list_queryset, get_candidate_for_user
from candidates.forms import CandidateForm
from candidates.models import CandidateIdentity, Credit
from candidates.selectors import CANDIDATE_SORT
from candidates.views.common import filter_dossier_fields
from centres.access import companies_for, require
from centres.roles import Capability
from core.errors import StaleVersionError
from core.listing import paginate
from core.search import french


@login_required
def candidate_list(request):
    actor = request.actor
    require(actor, Capability.VIEW_CENTRE)
    qs = candidate_list_queryset(actor)
    form, qs, joined = filter_dossier_fields(
        request, companies_for(actor).order_by(french("name")), qs, prefix="dossiers__"
    )
    if joined:
        qs = qs.distinct()
    qs, sort = CANDIDATE_SORT.apply(qs, request.GET.get("sort"))
    page, query_string = paginate(request, qs)
    for candidate in page:  # their dossiers are prefetched, newest first
        candidate.latest_dossier = next(iter(candidate.dossiers.all()), None)
    return render(
        request,
        "candidates/candidate_list.html",
        {
            "page": page,
            "filter_form": form,
            "query_string": query_string,
            "sort": sort,
            "can_register": actor.can(Capability.REGISTER_CANDIDATES),
        },
    )


@login_required
def candidate_create(request):
    actor = request.actor
    require(actor, Capability.REGISTER_CANDIDATES)
    duplicates = []
    form = CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.register_candidate(
                actor=actor,
                data=form.service_data(),
                nir=form.cleaned_data["nir"],
                confirm_duplicate=form.cleaned_data.get("confirm_duplicate", False),
            )
        except services.PossibleDuplicate as exc:
            duplicates = exc.duplicates
            form.add_error(None, str(exc.message))
        except services.DossierError as exc:
            form.add_error("nir" if exc.code.startswith("nir") else None, str(exc.message))
        else:
            messages.success(request, _("%(name)s est inscrit(e).") % {"name": candidate.full_name})
            return redirect("candidates:detail", pk=candidate.pk)
    return render(
        request,
        "candidates/candidate_form.html",
        {"form": form, "duplicates": duplicates, "creating": True},
    )


@login_required
def candidate_detail(request, pk):
    actor = request.actor
    candidate = get_candidate_for_user(actor, pk)
    identity = CandidateIdentity.objects.filter(candidate=candidate).first()
    dossiers = candidate.dossiers.select_related(
        "referential_version__qualification", "company"
    ).order_by("-created_at")
    credits = Credit.objects.filter(candidate=candidate, revoked_at__isnull=True).select_related(
        "competence", "bloc", "qualification"
    )
    return render(
        request,
        "candidates/candidate_detail.html",
        {
            "candidate": candidate,
            "nir_masked": identity.masked if identity else "",
            "dossiers": dossiers,
            "credits": credits,
            "can_write": actor.can(Capability.REGISTER_CANDIDATES),
            "can_accommodate": can_see_accommodation(actor),
        },
    )


@login_required
def candidate_edit(request, pk):
    actor = request.actor
    candidate = get_candidate_for_user(actor, pk, write=True)
    form = CandidateForm(request.POST or None, instance=candidate, editing=True)
    version = request.POST.get("version", candidate.version)
    if request.method == "POST" and form.is_valid():
        nir = form.cleaned_data["nir"] or None
        if form.cleaned_data.get("remove_nir"):
            nir = ""
        try:
            services.update_candidate(
                candidate, actor=actor, data=form.service_data(), nir=nir, expected_version=version
            )
        except StaleVersionError as exc:
            form.add_error(None, str(exc.message))
        except services.DossierError as exc:
            form.add_error("nir" if exc.code.startswith("nir") else None, str(exc.message))
        else:
            messages.success(request, _("Fiche du candidat enregistrée."))
            return redirect("candidates:detail", pk=candidate.pk)
    return render(
        request,
        "candidates/candidate_form.html",
        {"form": form, "candidate": candidate, "version": version, "creating": False},
    )
