from django import forms
from django.utils.translation import gettext_lazy as _

from documents.models import CertificateKind, DocumentKind, DocumentStatus


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label=_("Recherche"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Tous"))] + DocumentKind.choices
    )
    status = forms.ChoiceField(
        label=_("État"), required=False, choices=[("", _("Tous"))] + DocumentStatus.choices
    )


class CertificateFilterForm(forms.Form):
    q = forms.CharField(label=_("Nom ou numéro"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Tous"))] + CertificateKind.choices
    )
    state = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("", _("Tous")), ("valid", _("Valides")), ("revoked", _("Révoqués"))],
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la révocation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Obligatoire ; conservé au journal d'audit."),
    )
