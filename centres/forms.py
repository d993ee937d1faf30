"""HTML forms of the tenancy app. They validate input; services decide and write."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from centres.models import JURY_QUORUM_FLOOR, Centre, Company
from centres.roles import Role
from centres.validators import normalize_siret, validate_siret
from core.search import french

User = get_user_model()

STATUS_CHOICES = [
    ("active", _("Actifs")),
    ("inactive", _("Désactivés")),
    ("all", _("Tous")),
]


class MembershipFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Rôle"), required=False, choices=[("", _("Tous les rôles")), *Role.choices]
    )
    status = forms.ChoiceField(
        label=_("Statut"), required=False, choices=STATUS_CHOICES, initial="active"
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique"))
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)
    company = forms.ModelChoiceField(
        label=_("Entreprise"),
        queryset=Company.objects.none(),
        required=False,
        empty_label=_("— Aucune —"),
        help_text=_("Obligatoire pour un représentant d'entreprise."),
    )

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the active centre's companies can be chosen (explicit filter + request scope).
        self.fields["company"].queryset = Company.objects.filter(centre=centre).order_by(
            french("name")
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.COMPANY_REP and not cleaned.get("company"):
            self.add_error("company", _("Choisissez l'entreprise que cette personne représentera."))
        return cleaned


class AcceptInvitationForm(forms.Form):
    """A new account created from an invitation (the e-mail is the invited one)."""

    username = forms.CharField(
        label=_("Identifiant"),
        max_length=150,
        help_text=_("Lettres, chiffres et @ . + - _ uniquement."),
        validators=[User.username_validator],
    )
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("Cet identifiant est déjà utilisé : choisissez-en un autre.")
            )
        return username

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        elif p1:
            probe = User(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                email=self.email,
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class SiretField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("SIRET"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)  # spaces allowed while typing
        kwargs.setdefault("help_text", _("14 chiffres, espaces acceptés."))
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_siret(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        validate_siret(value)


class CompanyForm(forms.ModelForm):
    siret = SiretField()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Company
        fields = ["name", "siret", "address", "city", "sites"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "sites": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def validate_unique(self):
        """Uniqueness per centre is the service's guard (it knows the centre)."""


class CentreSettingsForm(forms.ModelForm):
    siret = SiretField()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Centre
        fields = [
            "address",
            "city",
            "siret",
            "jury_quorum",
            "commission_min_assessors",
            "retention_active_months",
            "retention_archive_months",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.fields["jury_quorum"].min_value = JURY_QUORUM_FLOOR
        self.fields["jury_quorum"].widget.attrs["min"] = JURY_QUORUM_FLOOR
        self.fields["commission_min_assessors"].widget.attrs["min"] = 2
        self.fields["retention_active_months"].widget.attrs["min"] = 1

    def clean_jury_quorum(self):
        value = self.cleaned_data["jury_quorum"]
        if value is not None and value < JURY_QUORUM_FLOOR:
            raise forms.ValidationError(
                _(
                    "Le quorum du jury ne peut pas être inférieur à %(floor)s membres présents "
                    "(dont un membre de chaque collège)."
                )
                % {"floor": JURY_QUORUM_FLOOR}
            )
        return value

    def clean_commission_min_assessors(self):
        value = self.cleaned_data["commission_min_assessors"]
        if value is not None and value < 2:
            raise forms.ValidationError(
                _("Une commission d'évaluation compte au moins 2 évaluateurs.")
            )
        return value
