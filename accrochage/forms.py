from django import forms
from django.utils.translation import gettext_lazy as _

from accrochage.models import CertifierAccount, NatureDeposant, PassageStatus
from accrochage.report import MAX_REPORT_BYTES
from core.limits import SEARCH_QUERY


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), max_length=SEARCH_QUERY, required=False)


class PassageFilterForm(SearchForm):
    status = forms.ChoiceField(
        label=_("État"), choices=[("", _("Tous")), *PassageStatus.choices], required=False
    )


class ReportForm(forms.Form):
    report = forms.FileField(
        label=_("Compte rendu de traitement (XML)"),
        help_text=_("Le fichier que le portail des certificateurs a rendu pour ce flux."),
    )

    def clean_report(self):
        report = self.cleaned_data["report"]
        if report.size > MAX_REPORT_BYTES:
            raise forms.ValidationError(_("Le compte rendu dépasse 200 Mo."))
        return report


class CertifierAccountForm(forms.Form):
    client_id = forms.CharField(
        label=_("Identifiant client du certificateur (idClient)"),
        min_length=8,
        max_length=8,
        help_text=_("8 caractères, donnés par la Caisse des Dépôts."),
    )
    contract_id = forms.CharField(label=_("Numéro de contrat (idContrat)"), max_length=20)
    nature = forms.ChoiceField(label=_("Nature du déposant"), choices=NatureDeposant.choices)
    emitter_client_id = forms.CharField(
        label=_("Identifiant client de l'émetteur"),
        min_length=8,
        max_length=8,
        required=False,
        help_text=CertifierAccount._meta.get_field("emitter_client_id").help_text,
    )
