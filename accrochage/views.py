"""The accrochage pages: holders to declare, the register of fluxes, a flux with its
passages and its report, and the national administrator's certifier account."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accrochage import selectors, services
from accrochage.access import get_flux_for_user, require_declarer, require_national_admin
from accrochage.downloads import flux_response
from accrochage.errors import AccrochageError
from accrochage.forms import CertifierAccountForm, PassageFilterForm, ReportForm, SearchForm
from accrochage.models import FluxStatus
from core.listing import paginate


def _query(form) -> str:
    return form.cleaned_data.get("q", "") if form.is_valid() else ""


@login_required
@require_GET
def holders(request):
    actor = request.actor
    require_declarer(actor)
    form = SearchForm(request.GET or None)
    rows = selectors.holders_to_declare(actor.centre, query=_query(form))
    rows, sort = selectors.HOLDER_SORT.apply(rows, request.GET.get("sort"))
    page, query_string = paginate(request, rows, per_page=50)
    page.object_list = selectors.with_deadlines(page.object_list)
    return render(
        request,
        "accrochage/holders.html",
        {
            "page": page,
            "filter_form": form,
            "query_string": query_string,
            "sort": sort,
            "suppressions": selectors.suppressions_owed(actor.centre).count(),
            "account": services.certifier_account(),
            "sync_limit": settings.ACCROCHAGE_SYNC_LIMIT,
        },
    )


@login_required
@require_POST
def generate(request):
    actor = request.actor
    require_declarer(actor)
    if request.POST.get("all") == "1":  # every holder the list shows, all its pages
        rows = selectors.holders_to_declare(actor.centre, query=request.POST.get("q", "")[:200])
        ids = list(rows.values_list("pk", flat=True))
    else:
        ids = [value for value in request.POST.getlist("decisions") if value.isdigit()]
    try:
        if len(ids) > settings.ACCROCHAGE_SYNC_LIMIT:
            flux = services.request_flux(actor.centre, ids, actor=actor)
            messages.info(request, _("Le fichier est en préparation."))
        else:
            flux = services.generate_flux(actor.centre, ids, actor=actor)
            messages.success(
                request,
                ngettext(
                    "Le fichier est généré et conforme au schéma : %(n)d passage.",
                    "Le fichier est généré et conforme au schéma : %(n)d passages.",
                    flux.passage_count,
                )
                % {"n": flux.passage_count},
            )
    except AccrochageError as exc:
        messages.error(request, exc.message)
        return redirect("accrochage:holders")
    return redirect("accrochage:flux_detail", pk=flux.pk)


@login_required
@require_GET
def flux_list(request):
    actor = request.actor
    require_declarer(actor)
    form = SearchForm(request.GET or None)
    rows = selectors.fluxes(actor.centre, query=_query(form))
    rows, sort = selectors.FLUX_SORT.apply(rows, request.GET.get("sort"))
    page, query_string = paginate(request, rows, per_page=50)
    return render(
        request,
        "accrochage/flux_list.html",
        {"page": page, "filter_form": form, "query_string": query_string, "sort": sort},
    )


@login_required
@require_GET
def flux_detail(request, pk):
    actor = request.actor
    flux = get_flux_for_user(actor, pk)
    if flux.status == FluxStatus.PENDING:
        services.resume_if_stale(flux)
    form = PassageFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.passages_of(flux, status=data.get("status", ""), query=data.get("q", ""))
    rows, sort = selectors.PASSAGE_SORT.apply(rows, request.GET.get("sort"))
    page, query_string = paginate(request, rows, per_page=100)
    return render(
        request,
        "accrochage/flux_detail.html",
        {
            "flux": flux,
            "page": page,
            "filter_form": form,
            "query_string": query_string,
            "sort": sort,
            "report_form": ReportForm(),
            "resendable": selectors.resendable(flux).count() if flux.rejected_count else 0,
        },
    )


@login_required
@require_GET
def flux_download(request, pk):
    return flux_response(get_flux_for_user(request.actor, pk))


@login_required
@require_POST
def report_import(request, pk):
    actor = request.actor
    flux = get_flux_for_user(actor, pk)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("accrochage:flux_detail", pk=flux.pk)
    try:
        flux = services.import_report(flux, form.cleaned_data["report"], actor=actor)
    except AccrochageError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Compte rendu importé : %(ok)d accepté(s), %(ko)d rejeté(s).")
            % {"ok": flux.accepted_count, "ko": flux.rejected_count},
        )
    return redirect("accrochage:flux_detail", pk=flux.pk)


@login_required
@require_POST
def resend(request, pk):
    actor = request.actor
    flux = get_flux_for_user(actor, pk)
    try:
        again = services.resend_rejected(flux, actor=actor)
    except AccrochageError as exc:
        messages.error(request, exc.message)
        return redirect("accrochage:flux_detail", pk=flux.pk)
    messages.success(
        request,
        _("Un nouveau fichier reprend les %(n)d passage(s) rejeté(s).")
        % {"n": again.passage_count},
    )
    return redirect("accrochage:flux_detail", pk=again.pk)


@login_required
@require_http_methods(["GET", "POST"])
def certifier_account(request):
    actor = request.actor
    require_national_admin(actor)
    account = services.certifier_account()
    initial = {}
    if account:
        initial = {f: getattr(account, f) for f in services.ACCOUNT_FIELDS}
    form = CertifierAccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_certifier_account(actor=actor, **form.cleaned_data)
        except AccrochageError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Le compte certificateur est enregistré."))
            return redirect("accrochage:certifier_account")
    return render(request, "accrochage/certifier_account.html", {"form": form, "account": account})
