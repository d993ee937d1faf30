"""The audit log of the centre: browse with filters, export as CSV (view_audit_log)."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from centres.audit.log import AuditFilters, apply_filters, csv_rows, entries_for
from centres.models import Membership
from centres.sorting import AUDIT_SORT
from core.disposition import name_download
from core.listing import paginate
from core.search import french

AUDIT_PAGE_SIZE = 50


class ActorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


class AuditFilterForm(forms.Form):
    actor = ActorChoiceField(
        label=_("Acteur"),
        required=False,
        queryset=get_user_model().objects.none(),
        empty_label=_("Tout le monde"),
    )
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=80,
        help_text=_("Début du nom : auth., membership., dossier.submit…"),
    )
    subject_type = forms.CharField(
        label=_("Type d'objet"), required=False, max_length=80, help_text=_("ex. : centres.user")
    )
    subject_id = forms.CharField(label=_("Identifiant de l'objet"), required=False, max_length=40)
    date_from = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        member_ids = Membership.all_centres.filter(centre=centre).values("user_id")
        self.fields["actor"].queryset = (
            get_user_model()
            .objects.filter(pk__in=member_ids)
            .order_by(french("last_name"), french("first_name"), "username")
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("La date de fin précède la date de début."))
        return cleaned

    def filters(self) -> AuditFilters:
        if not self.is_bound or not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(
            actor_id=data["actor"].pk if data["actor"] else None,
            action=data["action"],
            subject_type=data["subject_type"],
            subject_id=data["subject_id"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


def _filtered(request):
    entries = entries_for(request.actor)
    form = AuditFilterForm(request.GET or None, centre=request.actor.centre)
    return form, apply_filters(entries, form.filters())


@require_GET
@login_required
def audit_log(request):
    form, entries = _filtered(request)
    entries, sort = AUDIT_SORT.apply(entries, request.GET.get("sort"))
    page, query_string = paginate(request, entries, per_page=AUDIT_PAGE_SIZE)
    return render(
        request,
        "centres/audit/list.html",
        {"form": form, "page": page, "query_string": query_string, "sort": sort},
    )


@require_GET
@login_required
def audit_export(request):
    _form, entries = _filtered(request)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(csv_rows(entries), content_type="text/csv; charset=utf-8")
    name_download(response, f"journal-audit-{stamp}.csv")
    response["Cache-Control"] = "no-store"
    return response
