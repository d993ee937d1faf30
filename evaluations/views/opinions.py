"""The company's avis: the list (company representatives: their employees' dossiers; staff:
the centre's), the avis page (give, sign) and "avis not obtained" (staff)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from candidates.models import AccessStatus, DossierCompetence, DossierStatus
from centres.access import require_any
from centres.roles import Capability
from core.errors import DomainError
from core.listing import SortColumns, paginate
from core.search import french, text_search
from evaluations import services
from evaluations.access import get_opinion_dossier_for_user, is_staff, opinion_dossiers_for
from evaluations.forms import OpinionForm, ReasonForm
from evaluations.models import CompanyOpinion, CompanyOpinionItem, OpinionStatus

LISTED_STATUSES = [
    DossierStatus.AGREED,
    DossierStatus.IN_EVALUATION,
    DossierStatus.READY_FOR_JURY,
    DossierStatus.DECIDED,
]
OPINION_SORT = SortColumns(
    "candidate",
    candidate=(french("candidate__birth_name"), french("candidate__first_names")),
    company=(french("company__name"), french("candidate__birth_name")),
    dossier="pk",
    opinion=("company_opinion__status", french("candidate__birth_name")),
)
STATE_FILTERS = {
    "missing": Q(company_opinion__isnull=True),
    "draft": Q(company_opinion__status=OpinionStatus.DRAFT),
    "signed": Q(company_opinion__status=OpinionStatus.SIGNED),
    "unavailable": Q(company_opinion__status=OpinionStatus.UNAVAILABLE),
}


@login_required
def opinion_list(request):
    actor = request.actor
    require_any(actor, Capability.SCHEDULE_EVALUATIONS, Capability.GIVE_COMPANY_OPINION)
    qs = (
        opinion_dossiers_for(actor)
        .filter(status__in=LISTED_STATUSES, company__isnull=False)
        .exclude(access_route=AccessStatus.VAE)
        .select_related("company_opinion")
    )
    q = request.GET.get("q", "").strip()
    qs = qs.filter(
        text_search(
            q,
            "candidate__birth_name",
            "candidate__usage_name",
            "candidate__first_names",
            "company__name",
        )
    )
    state = request.GET.get("etat", "")
    if state in STATE_FILTERS:
        qs = qs.filter(STATE_FILTERS[state])
    qs, sort = OPINION_SORT.apply(qs, request.GET.get("sort"))
    page, query_string = paginate(request, qs)
    return render(
        request,
        "evaluations/opinion_list.html",
        {
            "page": page,
            "query_string": query_string,
            "sort": sort,
            "q": q,
            "state": state,
            "states": [
                ("missing", _("Non commencé")),
                ("draft", OpinionStatus.DRAFT.label),
                ("signed", OpinionStatus.SIGNED.label),
                ("unavailable", OpinionStatus.UNAVAILABLE.label),
            ],
            "staff": is_staff(actor),
        },
    )


def _items(dossier, opinion):
    if opinion is not None:
        return list(opinion.items.select_related("competence").order_by("competence__number"))
    rows = DossierCompetence.objects.filter(dossier=dossier).select_related("competence")
    return [
        CompanyOpinionItem(competence=row.competence, competence_id=row.competence_id)
        for row in rows.order_by("competence__number")
    ]


@login_required
def opinion_page(request, dossier_pk):
    actor = request.actor
    dossier = get_opinion_dossier_for_user(actor, dossier_pk)
    refusal = services.opinion_refusal(dossier)
    opinion = (
        CompanyOpinion.objects.filter(dossier=dossier)
        .select_related("signed_by", "recorded_by")
        .first()
    )
    can_give = (
        refusal is None
        and actor.can(Capability.GIVE_COMPANY_OPINION)
        and dossier.company_id in actor.company_ids
        and not (opinion and opinion.is_final)
        and dossier.status in {DossierStatus.AGREED, DossierStatus.IN_EVALUATION}
    )
    items = [] if refusal else _items(dossier, opinion)
    initial = {
        "author_capacity": opinion.author_capacity if opinion else "tutor",
        "general_comment": opinion.general_comment if opinion else "",
        "version": opinion.version if opinion else None,
    }
    form = OpinionForm(request.POST or None, items=items, initial=initial)
    if request.method == "POST":
        if not can_give:
            get_opinion_dossier_for_user(actor, dossier_pk, write=True)  # 403 for staff
            messages.error(request, str(refusal.message) if refusal else _("Avis non modifiable."))
            return redirect("evaluations:opinion", dossier_pk=dossier.pk)
        if form.is_valid():
            try:
                opinion = services.give_opinion(
                    dossier,
                    actor=actor,
                    items=form.item_data(),
                    general_comment=form.cleaned_data["general_comment"],
                    author_capacity=form.cleaned_data["author_capacity"],
                    expected_version=form.cleaned_data.get("version"),
                )
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                _sign_or_confirm(request, opinion)
                return redirect("evaluations:opinion", dossier_pk=dossier.pk)
    return render(
        request,
        "evaluations/opinion.html",
        {
            "dossier": dossier,
            "candidate_name": services.candidate_full_name(dossier),
            "opinion": opinion,
            "refusal": refusal,
            "form": form,
            "items": items,
            "can_give": can_give,
            "staff": is_staff(actor),
        },
    )


def _sign_or_confirm(request, opinion) -> None:
    """The draft is saved; sign it when asked (a refusal leaves the saved draft)."""
    if request.POST.get("action") != "sign":
        messages.success(request, _("Avis enregistré (brouillon)."))
        return
    try:
        services.sign_opinion(opinion, actor=request.actor)
    except DomainError as exc:
        messages.error(request, _("Brouillon enregistré, mais non signé : ") + str(exc.message))
    else:
        messages.success(request, _("Avis signé et transmis au centre. Merci."))


@login_required
def opinion_unavailable(request, dossier_pk):
    actor = request.actor
    dossier = get_opinion_dossier_for_user(actor, dossier_pk, record_unavailable=True)
    refusal = services.opinion_refusal(dossier)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            services.mark_opinion_unavailable(
                dossier, actor=actor, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("L'absence d'avis est enregistrée."))
            return redirect("evaluations:opinion", dossier_pk=dossier.pk)
    return render(
        request,
        "evaluations/opinion_unavailable.html",
        {
            "dossier": dossier,
            "candidate_name": services.candidate_full_name(dossier),
            "form": form,
            "refusal": refusal,
        },
    )
