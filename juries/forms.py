"""HTML forms of the juries app. They validate input; the services decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.models import AccessStatus
from centres.models import Centre, Company
from centres.roles import Role
from centres.selectors import centre_members
from core.limits import TEXT_LONG, TEXT_SHORT
from core.search import french
from cqpm.models import Qualification, ReferentialVersion
from juries.models import (
    Attendance,
    College,
    ConflictKind,
    EmploymentStatus,
    LateInvitationReason,
    Outcome,
    SessionStatus,
    Sex,
)

User = get_user_model()


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def published_qualifications():
    return (
        Qualification.objects.filter(versions__status=ReferentialVersion.Status.PUBLISHED)
        .distinct()
        .order_by(french("title"))
    )


class SessionForm(forms.Form):
    qualification = forms.ModelChoiceField(
        label=_("CQPM"), queryset=Qualification.objects.none(), empty_label=None
    )
    label = forms.CharField(label=_("Intitulé"), max_length=200, required=False)
    starts_at = forms.DateTimeField(
        label=_("Date et heure de la séance"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    place = forms.CharField(label=_("Lieu"), max_length=255, help_text=_("Salle ou adresse."))
    town = forms.CharField(
        label=_("Ville"),
        max_length=120,
        required=False,
        help_text=_("« Fait à … » du procès-verbal ; vide : la ville du centre."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["qualification"].queryset = published_qualifications()


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Juré"), queryset=User.objects.none())
    college = forms.ChoiceField(
        label=_("Collège"),
        choices=[("", _("Celui de sa fiche de juré")), *College.choices],
        required=False,
        help_text=_("Un juré siège dans le collège de sa fiche ; sans fiche, elle est créée."),
    )
    organisation = forms.CharField(
        label=_("Organisation syndicale représentée"),
        max_length=200,
        required=False,
        help_text=_("Donnée sensible : visible du centre uniquement."),
    )
    company = forms.ModelChoiceField(
        label=_("Entreprise du membre"),
        queryset=Company.objects.none(),
        required=False,
        help_text=_("Pour détecter les liens avec les candidats."),
    )
    sex = forms.ChoiceField(label=_("Sexe"), choices=[("", "—"), *Sex.choices], required=False)
    qualified_for_certification = forms.BooleanField(
        label=_("Qualifié(e) pour la certification (VAE)"), required=False
    )

    def __init__(self, *args, session, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Company.objects.filter(centre=session.centre).order_by(
            "name"
        )
        if editing:  # the college and the union are the juror's record's
            del self.fields["user"], self.fields["college"], self.fields["organisation"]
            return
        juror_ids = list(centre_members(session.centre, Role.JUROR).values_list("pk", flat=True))
        taken = session.members.values_list("user_id", flat=True)
        self.fields["user"].queryset = (
            User.objects.filter(pk__in=juror_ids)
            .exclude(pk__in=list(taken))
            .order_by(french("last_name"), french("first_name"), "username")
        )
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username


class JurorForm(forms.Form):
    """A juror's standing record (issue 15)."""

    user = forms.ModelChoiceField(label=_("Juré"), queryset=User.objects.none())
    college = forms.ChoiceField(label=_("Collège"), choices=College.choices)
    union = forms.CharField(
        label=_("Organisation syndicale représentée"),
        max_length=200,
        required=False,
        help_text=_(
            "Collège salariés. Donnée sensible (appartenance syndicale) : visible des seules "
            "personnes qui composent les jurys."
        ),
    )
    sex = forms.ChoiceField(label=_("Sexe"), choices=[("", "—"), *Sex.choices], required=False)
    company = forms.ModelChoiceField(
        label=_("Entreprise du juré"), queryset=Company.objects.none(), required=False
    )
    qualified_for_certification = forms.BooleanField(
        label=_("Qualifié(e) pour la certification (VAE)"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, centre, juror=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Company.objects.filter(centre=centre).order_by("name")
        if juror is not None:
            del self.fields["user"]
            return
        del self.fields["version"]
        juror_ids = list(centre_members(centre, Role.JUROR).values_list("pk", flat=True))
        from juries.models import Juror

        registered = Juror.objects.filter(centre=centre).values_list("user_id", flat=True)
        self.fields["user"].queryset = (
            User.objects.filter(pk__in=juror_ids)
            .exclude(pk__in=list(registered))
            .order_by(french("last_name"), french("first_name"), "username")
        )
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username


class JurorFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False)
    college = forms.ChoiceField(
        label=_("Collège"), choices=[("", _("Tous")), *College.choices], required=False
    )


class InvitationForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Motif d'une convocation tardive"),
        choices=[("", "—"), *LateInvitationReason.choices],
        required=False,
        help_text=_("Obligatoire à moins de 15 jours de la séance ; il figure au procès-verbal."),
    )
    justification = forms.CharField(
        label=_("Justification d'une convocation tardive"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire à moins de 15 jours de la séance."),
        max_length=TEXT_LONG,
    )


class AttendanceForm(forms.Form):
    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            self.fields[f"attendance_{member.pk}"] = forms.ChoiceField(
                label=member.name, choices=Attendance.choices, initial=member.attendance
            )

    def rows(self):
        for member in self.members:
            yield member, self[f"attendance_{member.pk}"]


class AgendaSearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher un candidat"), required=False, max_length=100)


class ConflictForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Lien"), choices=ConflictKind.choices)
    details = forms.CharField(
        label=_("Précisions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_SHORT,
    )


class RegularityForm(forms.Form):
    regular = forms.TypedChoiceField(
        label=_("L'évaluation s'est-elle déroulée conformément aux règles ?"),
        choices=[("1", _("Oui, conforme")), ("0", _("Non, non conforme"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Observations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_LONG,
    )


class CloseForm(forms.Form):
    observations = forms.CharField(
        label=_("Observations du jury (portées au procès-verbal)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LONG,
    )
    confirm = forms.BooleanField(
        label=_("Je confirme la clôture : les décisions seront figées."), required=True
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la révocation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_SHORT,
    )
    later_session = forms.ModelChoiceField(
        label=_("Séance ultérieure qui décidera à nouveau"),
        queryset=None,
        required=False,
        help_text=_("Facultatif : le dossier peut aussi être inscrit plus tard."),
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["later_session"].queryset = sessions


class SessionFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("État"), choices=[("", _("Tous")), *SessionStatus.choices], required=False
    )


class ResultsFilterForm(forms.Form):
    q = forms.CharField(label=_("Candidat"), required=False, max_length=100)
    outcome = forms.ChoiceField(
        label=_("Décision"), choices=[("", _("Toutes")), *Outcome.choices], required=False
    )
    date_from = forms.DateField(label=_("Jury du"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("au"), required=False, widget=DateInput())
    state = forms.ChoiceField(
        label=_("Statut"),
        choices=[
            ("", _("En vigueur et révoquées")),
            ("standing", _("En vigueur")),
            ("revoked", _("Révoquées")),
        ],
        required=False,
    )


class StatisticsFilterForm(forms.Form):
    """The filters of the statistics page, its exports and ``/api/v1/statistics/`` (in the
    URL). The centre filter is the national administrator's only."""

    cqpm = forms.ModelChoiceField(
        label=_("CQPM"),
        queryset=Qualification.objects.none(),
        required=False,
        empty_label=_("Tous"),
    )
    year = forms.IntegerField(
        label=_("Année du jury"), required=False, min_value=2000, max_value=2100
    )
    route = forms.ChoiceField(
        label=_("Voie d'accès"), choices=[("", _("Toutes")), *AccessStatus.choices], required=False
    )
    centre = forms.ModelChoiceField(
        label=_("Centre"), queryset=Centre.objects.none(), required=False, empty_label=_("Tous")
    )

    def __init__(self, *args, national=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cqpm"].queryset = Qualification.objects.order_by("title")
        if national:
            self.fields["centre"].queryset = Centre.objects.order_by("name")
        else:
            del self.fields["centre"]

    def filters(self):
        """The ``StatisticsFilters`` of the valid form (no filter for an invalid one)."""
        from juries.statistics import StatisticsFilters

        if not self.is_valid():
            return StatisticsFilters()
        data = self.cleaned_data
        return StatisticsFilters(
            cqpm=data["cqpm"].pk if data["cqpm"] else None,
            year=data["year"],
            route=data["route"] or None,
            centre=data["centre"].pk if data.get("centre") else None,
        )


def local_now():
    return timezone.localtime()


class SignMinutesForm(forms.Form):
    """The re-authentication that makes a PV signature: the password, plus the code of the
    authenticator app when two-factor is on for the member. ``document_sha256`` is the
    checksum of the PV shown on the page (the service refuses another one)."""

    password = forms.CharField(
        label=_("Votre mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp = forms.CharField(
        label=_("Code de votre application d'authentification"),
        required=False,
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )
    document_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, two_factor=False, **kwargs):
        super().__init__(*args, **kwargs)
        if two_factor:
            self.fields["otp"].required = True
        else:
            del self.fields["otp"]


class InsertionSurveyForm(forms.Form):
    """The holder's follow-up questionnaire (public page, no account)."""

    employment_status = forms.ChoiceField(
        label=_("Quelle est votre situation aujourd'hui ?"),
        choices=EmploymentStatus.choices,
        widget=forms.RadioSelect,
    )
    in_target_trade = forms.TypedChoiceField(
        label=_("Si vous êtes en emploi : cet emploi est-il dans le métier visé par le CQPM ?"),
        choices=[("1", _("Oui")), ("0", _("Non"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    def clean(self):
        data = super().clean()
        employed = data.get("employment_status") == EmploymentStatus.EMPLOYED
        if employed and data.get("in_target_trade") is None:
            self.add_error(
                "in_target_trade",
                _("Dites si votre emploi est dans le métier visé par le CQPM."),
            )
        if not employed:
            data["in_target_trade"] = None
        return data
