"""HTML forms of the candidates app. They validate input; the services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from candidates.models import AccessStatus, Candidate, DocumentKind, DossierStatus, Target
from candidates.models.birthplace import FRANCE, country_choices
from candidates.nir import validate_nir
from candidates.services.registration import CANDIDATE_FIELDS
from centres.models import Company
from core.limits import SEARCH_QUERY, TEXT_LONG
from core.search import french
from cqpm.models import Bloc, Qualification, ReferentialVersion


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CandidateForm(forms.ModelForm):
    nir = forms.CharField(
        label=_("Numéro de sécurité sociale (NIR)"),
        required=False,
        max_length=21,
        help_text=_("Facultatif. 15 caractères, clé comprise ; conservé à part et masqué."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Je confirme qu'il s'agit d'une autre personne"), required=False
    )

    class Meta:
        model = Candidate
        # the country's name is filled from the chosen code (and the department from the
        # commune's)
        fields = [f for f in CANDIDATE_FIELDS if f != "birth_country"]
        widgets = {
            "birth_date": DateInput(),
            "address": forms.Textarea(attrs={"rows": 3}),
            "birth_commune_code": forms.HiddenInput(attrs={"data-commune-code": ""}),
            "birth_commune": forms.TextInput(
                attrs={
                    "role": "combobox",
                    "aria-autocomplete": "list",
                    "aria-expanded": "false",
                    "aria-controls": "commune-options",
                    "autocomplete": "off",
                    "data-commune-picker": "",
                    "hx-get": reverse_lazy("candidates:commune-search"),
                    "hx-trigger": "input changed delay:250ms",
                    "hx-target": "#commune-options",
                    "hx-sync": "this:replace",
                }
            ),
        }

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            self.fields["nir"].help_text = _(
                "Laissez vide pour conserver le numéro enregistré ; saisissez-en un nouveau "
                "pour le remplacer."
            )
            self.fields["remove_nir"] = forms.BooleanField(
                label=_("Supprimer le numéro enregistré"), required=False
            )
            del self.fields["confirm_duplicate"]
        self.fields["birth_date"].error_messages["invalid"] = _(
            "Saisissez une date de naissance valide (jj/mm/aaaa)."
        )
        self.fields["birth_commune"].help_text = _(
            "Né(e) en France : tapez le début du nom et choisissez la commune dans la liste. "
            "Né(e) à l'étranger : la ville, en clair."
        )
        self.fields["birth_country_code"] = forms.ChoiceField(
            label=_("Pays de naissance"),
            choices=[("", _("— non renseigné —")), *country_choices()],
            required=False,
            widget=forms.Select(attrs={"data-country-code": "", "data-france": FRANCE}),
        )
        self.fields["birth_department"].widget.attrs["data-commune-department"] = ""
        if not editing:
            self.initial.setdefault("birth_country_code", FRANCE)

    def clean_nir(self):
        value = self.cleaned_data.get("nir", "")
        if not value:
            return ""
        try:
            return validate_nir(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from None

    def clean_birth_name(self):
        return self.cleaned_data["birth_name"].strip()

    def clean_first_names(self):
        return self.cleaned_data["first_names"].strip()

    def service_data(self):
        return {f: self.cleaned_data[f] for f in CANDIDATE_FIELDS if f in self.cleaned_data}


def published_versions():
    """The latest published version of each CQPM."""
    latest = {}
    for version in (
        ReferentialVersion.objects.filter(status=ReferentialVersion.Status.PUBLISHED)
        .select_related("qualification")
        .order_by("qualification_id", "-number")
    ):
        latest.setdefault(version.qualification_id, version)
    return latest


class BlocChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.version.qualification.title} — {obj.code} {obj.title}"


class DossierForm(forms.Form):
    qualification = forms.ModelChoiceField(
        label=_("CQPM"), queryset=Qualification.objects.none(), empty_label=None
    )
    access_route = forms.ChoiceField(label=_("Voie d'accès"), choices=AccessStatus.choices)
    target = forms.ChoiceField(
        label=_("Objectif"), choices=Target.choices, widget=forms.RadioSelect, initial="whole"
    )
    blocs = BlocChoiceField(
        label=_("Blocs visés"),
        queryset=Bloc.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Seulement si l'objectif est une partie des blocs (CQPM inscrit au RNCP)."),
    )
    company = forms.ModelChoiceField(
        label=_("Entreprise"),
        queryset=Company.objects.none(),
        required=False,
        help_text=_("Sans objet en VAE et pour un candidat libre."),
    )
    tutor_name = forms.CharField(label=_("Tuteur"), required=False, max_length=200)
    tutor_email = forms.EmailField(label=_("Courriel du tuteur"), required=False)
    manager_name = forms.CharField(
        label=_("Responsable hiérarchique"), required=False, max_length=200
    )
    manager_email = forms.EmailField(label=_("Courriel du responsable"), required=False)

    def __init__(self, *args, centre, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.fields["company"].queryset = Company.objects.filter(centre=centre).order_by(
            french("name")
        )
        if dossier is None:
            versions = published_versions()
            self.fields["qualification"].queryset = Qualification.objects.filter(
                pk__in=versions.keys()
            )
            self.fields["blocs"].queryset = Bloc.objects.filter(
                version__in=[v.pk for v in versions.values()],
                version__qualification__rncp_registered=True,
            ).select_related("version__qualification")
        else:
            del self.fields["qualification"]
            self.fields["blocs"].queryset = Bloc.objects.filter(
                version=dossier.referential_version
            ).select_related("version__qualification")
            if not dossier.referential_version.qualification.rncp_registered:
                self.fields["target"].choices = [(Target.WHOLE, Target.WHOLE.label)]

    def clean(self):
        data = super().clean()
        route = data.get("access_route")
        if route in {AccessStatus.VAE, AccessStatus.FREE}:
            for field in ("company", "tutor_name", "manager_name"):
                if data.get(field):
                    self.add_error(
                        field,
                        _("En VAE ou en candidat libre, laissez ce champ vide."),
                    )
        if data.get("target") == Target.BLOCS:
            blocs = data.get("blocs") or []
            if not blocs:
                self.add_error("blocs", _("Choisissez au moins un bloc."))
            qualification = data.get("qualification") or (
                self.dossier.referential_version.qualification if self.dossier else None
            )
            if qualification and any(b.version.qualification_id != qualification.pk for b in blocs):
                self.add_error("blocs", _("Les blocs choisis doivent appartenir à ce CQPM."))
        else:
            data["blocs"] = []
        return data


def modalities_form(dossier, rows, data=None):
    """One modality select and one deadline per competence to evaluate."""
    modalities = list(dossier.referential_version.modalities.all())
    by_pk = {m.pk: m for m in modalities}

    class ModalitiesForm(forms.Form):
        version = forms.IntegerField(widget=forms.HiddenInput)

        def clean(self):
            data = super().clean()
            for row in rows:
                modality = data.get(f"modality_{row.competence_id}")
                deadline = data.get(f"deadline_{row.competence_id}")
                if modality and by_pk[int(modality)].requires_report and not deadline:
                    self.add_error(
                        f"deadline_{row.competence_id}",
                        _("Indiquez la date limite de remise du rapport."),
                    )
            return data

        def assignments(self):
            result = {}
            for row in rows:
                modality = self.cleaned_data.get(f"modality_{row.competence_id}")
                result[row.competence_id] = (
                    by_pk[int(modality)] if modality else None,
                    self.cleaned_data.get(f"deadline_{row.competence_id}"),
                )
            return result

    form = ModalitiesForm(data, initial={"version": dossier.version})
    choices = [("", _("— à choisir —"))] + [(m.pk, m.label) for m in modalities]
    form.rows = []
    for row in rows:
        mod_name, deadline_name = f"modality_{row.competence_id}", f"deadline_{row.competence_id}"
        form.fields[mod_name] = forms.TypedChoiceField(
            label=_("Modalité"), choices=choices, required=False, coerce=int, empty_value=None
        )
        form.fields[deadline_name] = forms.DateField(
            label=_("Date limite du rapport"), required=False, widget=DateInput()
        )
        form.initial[mod_name] = row.modality_id
        form.initial[deadline_name] = row.report_deadline
        form.rows.append((row, form[mod_name], form[deadline_name]))
    return form


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'abandon"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Indiquez le motif de l'abandon.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Indiquez le motif de l'abandon."))
        return reason


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("PDF, image ou document bureautique."),
        error_messages={"required": _("Choisissez un fichier.")},
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=255)


class AccommodationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    needs = forms.CharField(
        label=_("Besoins déclarés et informations médicales (confidentiel)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT_LONG,
    )
    to_apply = forms.CharField(
        label=_("Aménagements accordés, à appliquer par les évaluateurs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Seul ce texte sera communiqué aux évaluateurs et aux jurés."),
        max_length=TEXT_LONG,
    )


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=SEARCH_QUERY)
    status = forms.ChoiceField(
        label=_("État"), required=False, choices=[("", _("Tous"))] + DossierStatus.choices
    )
    route = forms.ChoiceField(
        label=_("Voie d'accès"), required=False, choices=[("", _("Toutes"))] + AccessStatus.choices
    )
    qualification = forms.ModelChoiceField(
        label=_("CQPM"),
        required=False,
        queryset=Qualification.objects.all(),
        empty_label=_("Tous"),
    )
    company = forms.ModelChoiceField(
        label=_("Entreprise"),
        required=False,
        queryset=Company.objects.none(),
        empty_label=_("Toutes"),
    )

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
