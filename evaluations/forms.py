from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from centres.roles import Role
from core.limits import TEXT_LONG, TEXT_SHORT
from core.search import french
from evaluations.models import AuthorCapacity, LinkKind, OpinionValue, SessionModality

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)


class SessionForm(forms.Form):
    label = forms.CharField(label=_("Intitulé"), max_length=200, required=False)
    starts_at = forms.DateTimeField(
        label=_("Début"), input_formats=[DATETIME_FORMAT], widget=DateTimeLocalInput()
    )
    ends_at = forms.DateTimeField(
        label=_("Fin"),
        input_formats=[DATETIME_FORMAT],
        widget=DateTimeLocalInput(),
        required=False,
    )
    place = forms.CharField(label=_("Lieu"), max_length=255, help_text=_("Salle ou adresse."))
    town = forms.CharField(
        label=_("Ville"),
        max_length=120,
        required=False,
        help_text=_("Imprimée sur les documents ; vide : la ville du centre."),
    )
    modality = forms.ChoiceField(label=_("Modalité d'évaluation"), choices=SessionModality.choices)
    notes = forms.CharField(
        label=_("Informations pratiques"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_LONG,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm_past = forms.BooleanField(
        label=_("Je confirme cette date passée : la session a déjà eu lieu"),
        required=False,
        widget=forms.HiddenInput,
    )

    def offer_past_confirmation(self):
        """Shown once the service has refused a start more than a day ago."""
        self.fields["confirm_past"].widget = forms.CheckboxInput()


class AddDossierForm(forms.Form):
    dossier = forms.ModelChoiceField(label=_("Dossier"), queryset=None)

    def __init__(self, *args, dossiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossier"].queryset = dossiers


class AddMemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Évaluateur"), queryset=None)

    def __init__(self, *args, centre, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__centre=centre,
                memberships__role=Role.ASSESSOR,
                memberships__is_active=True,
            )
            .exclude(commission_seats__session=session)
            .order_by(french("last_name"), french("first_name"))
            .distinct()
        )
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username


class DeclarationForm(forms.Form):
    declared_link = forms.ChoiceField(
        label=_("Avez-vous un lien avec ce candidat ?"),
        choices=LinkKind.choices,
        initial=LinkKind.NONE,
        widget=forms.RadioSelect,
        required=False,
    )
    link_details = forms.CharField(
        label=_("Précisions sur le lien"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=TEXT_SHORT,
    )
    statement = forms.CharField(
        label=_("Votre déclaration, recopiée en toutes lettres"),
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
        required=False,
        max_length=TEXT_LONG,
    )

    def clean(self):
        data = super().clean()
        data["declared_link"] = data.get("declared_link") or LinkKind.NONE
        if data.get("declared_link") == LinkKind.NONE and not (data.get("statement") or "").strip():
            self.add_error("statement", _("Recopiez la déclaration pour la signer."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class OpinionForm(forms.Form):
    """One value and one comment per competence the dossier evaluates."""

    author_capacity = forms.ChoiceField(
        label=_("Vous donnez cet avis en qualité de"), choices=AuthorCapacity.choices
    )
    general_comment = forms.CharField(
        label=_("Appréciation générale"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_LONG,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"value_{item.competence_id}"] = forms.ChoiceField(
                label=f"{item.competence.code} — {item.competence.title}",
                choices=OpinionValue.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=item.value,
            )
            self.fields[f"comment_{item.competence_id}"] = forms.CharField(
                label=_("Commentaire"),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=item.comment,
                max_length=TEXT_SHORT,
            )

    def rows(self):
        return [
            (item, self[f"value_{item.competence_id}"], self[f"comment_{item.competence_id}"])
            for item in self.items
        ]

    def item_data(self):
        return [
            {
                "competence": item.competence_id,
                "value": self.cleaned_data.get(f"value_{item.competence_id}") or "",
                "comment": self.cleaned_data.get(f"comment_{item.competence_id}") or "",
            }
            for item in self.items
        ]
