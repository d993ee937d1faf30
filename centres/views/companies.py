"""Companies of the centre (capability manage_companies) and the centre settings page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from centres import services
from centres.access import (
    companies_for,
    get_centre_settings_for_user,
    get_company_for_user,
    require,
)
from centres.errors import CentreError
from centres.forms import CentreSettingsForm, CompanyForm, SearchForm
from centres.models import Membership
from centres.roles import Capability, Role
from centres.sorting import COMPANY_SORT
from core.errors import StaleVersionError
from core.listing import SortColumns, paginate
from core.search import french, text_search
from core.views import add_domain_error

COMPANY_ERROR_FIELDS = {
    "siret_taken": "siret",
    "siret_length": "siret",
    "siret_checksum": "siret",
    "name_required": "name",
}


# the API's columns and the page's count of active representatives
COMPANY_PAGE_SORT = SortColumns(
    "name",
    **COMPANY_SORT.columns,
    representatives=("representative_count", french("name")),
)


def search_companies(queryset, q: str):
    q = (q or "").strip()
    if not q:
        return queryset
    digits = "".join(ch for ch in q if ch.isdigit())
    condition = text_search(q, "name", "city")
    if digits:
        condition |= Q(siret__contains=digits)
    return queryset.filter(condition)


@login_required
def company_list(request):
    actor = request.actor
    require(actor, Capability.MANAGE_COMPANIES)
    form = SearchForm(request.GET or None)
    companies = companies_for(actor).annotate(
        representative_count=Count(
            "representatives", filter=Q(representatives__is_active=True), distinct=True
        )
    )
    if form.is_valid():
        companies = search_companies(companies, form.cleaned_data["q"])
    companies, sort = COMPANY_PAGE_SORT.apply(companies, request.GET.get("sort"))
    page, query_string = paginate(request, companies)
    return render(
        request,
        "centres/company_list.html",
        {"form": form, "page": page, "query_string": query_string, "sort": sort},
    )


@login_required
def company_detail(request, pk):
    actor = request.actor
    company = get_company_for_user(actor, pk)
    representatives = (
        Membership.objects.filter(company=company, role=Role.COMPANY_REP)
        .select_related("user")
        .order_by("-is_active", "user__last_name")
    )
    return render(
        request,
        "centres/company_detail.html",
        {
            "company": company,
            "representatives": representatives,
            "sites": [line.strip() for line in company.sites.splitlines() if line.strip()],
            "can_edit": actor.can(Capability.MANAGE_COMPANIES),
            "can_invite": actor.can(Capability.MANAGE_USERS),
        },
    )


def _company_values(form) -> dict:
    return {name: form.cleaned_data[name] for name in services.COMPANY_FIELDS}


@login_required
def company_create(request):
    actor = request.actor
    require(actor, Capability.MANAGE_COMPANIES)
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.create_company(
                actor.centre, actor=request.user, **_company_values(form)
            )
        except CentreError as exc:
            add_domain_error(form, exc, COMPANY_ERROR_FIELDS)
        else:
            messages.success(request, _("L'entreprise %(name)s est créée.") % {"name": company})
            return redirect("centres:company_detail", pk=company.pk)
    return render(request, "centres/company_form.html", {"form": form, "company": None})


@login_required
def company_edit(request, pk):
    actor = request.actor
    company = get_company_for_user(actor, pk, write=True)
    form = CompanyForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.update_company(
                company,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **_company_values(form),
            )
        except StaleVersionError as exc:
            form.add_error(None, exc.message)
        except CentreError as exc:
            add_domain_error(form, exc, COMPANY_ERROR_FIELDS)
        else:
            messages.success(
                request, _("L'entreprise %(name)s est enregistrée.") % {"name": company}
            )
            return redirect("centres:company_detail", pk=company.pk)
    return render(request, "centres/company_form.html", {"form": form, "company": company})


@login_required
def centre_settings(request):
    actor = request.actor
    centre = get_centre_settings_for_user(actor, write=True)
    form = CentreSettingsForm(request.POST or None, instance=centre)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.CENTRE_SETTINGS_FIELDS}
        try:
            services.update_centre_settings(
                centre,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **values,
            )
        except StaleVersionError as exc:
            form.add_error(None, exc.message)
        except CentreError as exc:
            add_domain_error(
                form,
                exc,
                {
                    **COMPANY_ERROR_FIELDS,
                    "invalid_quorum": "jury_quorum",
                    "invalid_commission_size": "commission_min_assessors",
                },
            )
        else:
            messages.success(request, _("Les réglages du centre sont enregistrés."))
            return redirect("centres:settings")
    return render(request, "centres/centre_settings.html", {"form": form, "centre": centre})
