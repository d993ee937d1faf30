"""The centre's standing juror records (issue 15), for the staff who compose juries: the
list (search, college filter, sort), registration and edition. The union an employee juror
sits for is shown here and on the session's composition page, nowhere else."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.listing import SortColumns, paginate
from core.search import french, text_search
from juries import services
from juries.access import get_juror_for_user, jurors_for
from juries.errors import StaleJuryVersion
from juries.forms import JurorFilterForm, JurorForm
from juries.models import College

JUROR_SORT = SortColumns(
    "name",
    name=(french("user__last_name"), french("user__first_name"), "user__username"),
    college=("college", french("user__last_name")),
    union=(french("union_record__union"), french("user__last_name")),
    seats=("n_seats", french("user__last_name")),
)


@login_required
@require_GET
def juror_list(request):
    actor = request.actor
    jurors = jurors_for(actor).select_related("user", "union_record", "company")
    form = JurorFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        jurors = jurors.filter(
            text_search(
                data["q"],
                "user__last_name",
                "user__first_name",
                "user__username",
                "union_record__union",
            )
        )
        if data["college"]:
            jurors = jurors.filter(college=data["college"])
    jurors = jurors.annotate(
        n_seats=Count(
            "user__jury_seats",
            filter=Q(user__jury_seats__session__centre=F("centre")),
            distinct=True,
        )
    )
    jurors, sort = JUROR_SORT.apply(jurors, request.GET.get("sort"))
    page, querystring = paginate(request, jurors)
    return render(
        request,
        "juries/juror_list.html",
        {"page": page, "filter_form": form, "query_string": querystring, "sort": sort},
    )


def _data(form):
    data = dict(form.cleaned_data)
    data.pop("version", None)
    if data.get("college") != College.EMPLOYEE:
        data["union"] = ""
    return data


@login_required
def juror_create(request):
    actor = request.actor
    jurors_for(actor)  # 403 unless the actor composes juries
    form = JurorForm(request.POST or None, centre=actor.centre)
    if request.method == "POST" and form.is_valid():
        data = _data(form)
        user = data.pop("user")
        try:
            services.register_juror(actor.centre, user, actor=actor, **data)
        except services.JuryError as exc:
            form.add_error("union" if exc.code == "union_required" else None, str(exc.message))
        else:
            messages.success(request, _("Fiche de juré enregistrée."))
            return redirect("juries:juror_list")
    return render(request, "juries/juror_form.html", {"form": form, "juror": None})


@login_required
def juror_edit(request, juror_pk):
    actor = request.actor
    juror = get_juror_for_user(actor, juror_pk)
    initial = {
        "college": juror.college,
        "union": services.union_of(juror),
        "sex": juror.sex,
        "company": juror.company,
        "qualified_for_certification": juror.qualified_for_certification,
        "version": juror.version,
    }
    form = JurorForm(request.POST or None, centre=juror.centre, juror=juror, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_juror(
                juror,
                actor=actor,
                expected_version=form.cleaned_data.get("version"),
                **_data(form),
            )
        except StaleJuryVersion as exc:
            form.add_error(None, str(exc.message))
        except services.JuryError as exc:
            form.add_error("union" if exc.code == "union_required" else None, str(exc.message))
        else:
            messages.success(
                request,
                _("Fiche de juré modifiée. Les séances déjà composées gardent leur composition."),
            )
            return redirect("juries:juror_list")
    return render(request, "juries/juror_form.html", {"form": form, "juror": juror})
