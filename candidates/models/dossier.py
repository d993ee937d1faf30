import re

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from candidates.models.choices import (
    OPEN_STATUSES,
    AccessStatus,
    DocumentKind,
    DossierStatus,
    Target,
)
from core.display import FastChoiceDisplay
from core.limits import TEXT_SHORT, BoundedTextField
from core.models import Tracked, Versioned

# ``Dossier.reference`` read back: "D-000079", any case, with or without the dash and zeros
_REFERENCE = re.compile(r"[dD]-?0*(\d{1,9})")


class Dossier(FastChoiceDisplay, Versioned, Tracked):
    """The inscription: candidate × referential version (pinned) × centre."""

    Status = DossierStatus

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="dossiers")
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.PROTECT, related_name="dossiers"
    )
    referential_version = models.ForeignKey(
        "cqpm.ReferentialVersion",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("version du référentiel"),
    )
    target = models.CharField(
        _("objectif"), max_length=10, choices=Target.choices, default=Target.WHOLE
    )
    target_blocs = models.ManyToManyField(
        "cqpm.Bloc", blank=True, related_name="+", verbose_name=_("blocs visés")
    )
    access_route = models.CharField(_("voie d'accès"), max_length=20, choices=AccessStatus.choices)
    company = models.ForeignKey(
        "centres.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("entreprise"),
    )
    tutor_name = models.CharField(_("tuteur"), max_length=200, blank=True)
    tutor_email = models.EmailField(_("courriel du tuteur"), blank=True)
    manager_name = models.CharField(_("responsable hiérarchique"), max_length=200, blank=True)
    manager_email = models.EmailField(_("courriel du responsable"), blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=DossierStatus.choices, default=DossierStatus.DRAFT
    )
    withdrawn_reason = BoundedTextField(_("motif de l'abandon"), blank=True, max_length=TEXT_SHORT)
    previous_dossier = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resits",
        verbose_name=_("dossier précédent"),
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(centre="centre")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        indexes = [
            models.Index(fields=["centre", "status"]),
            models.Index(fields=["centre", "company"]),
        ]

    def __str__(self):
        return _("Dossier n° %(number)s") % {"number": self.pk}

    @property
    def reference(self) -> str:
        return f"D-{self.pk:06d}"

    @staticmethod
    def pk_from_reference(text: str) -> int | None:
        """The id a reference names ("D-000079", "d-79", "D000079"), else None."""
        match = _REFERENCE.fullmatch(text.strip())
        return int(match.group(1)) if match else None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def has_company(self) -> bool:
        return self.access_route not in {AccessStatus.VAE, AccessStatus.FREE}


class DossierCompetence(models.Model):
    """A competence the dossier must evaluate, with its modality and report deadline.
    Competences covered by a valid credit have no row: they are not evaluated again."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="competences")
    competence = models.ForeignKey("cqpm.Competence", on_delete=models.PROTECT, related_name="+")
    modality = models.ForeignKey(
        "cqpm.EvaluationModality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modalité d'évaluation"),
    )
    report_deadline = models.DateField(_("date limite du rapport"), null=True, blank=True)

    objects = ScopedManager(centre="dossier__centre")

    class Meta:
        ordering = ["dossier", "competence__number"]
        verbose_name = _("compétence à évaluer")
        verbose_name_plural = _("compétences à évaluer")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "competence"], name="dossier_competence_unique"
            )
        ]

    def __str__(self):
        return f"{self.dossier_id} — {self.competence_id}"

    @property
    def report_is_late(self) -> bool:
        return bool(self.report_deadline and self.report_deadline < timezone.localdate())


class Credit(models.Model):
    """A competence or a bloc validated by a jury, kept for a new attempt at the same CQPM
    until ``valid_until`` (24 months for a competence, 60 for a bloc, from the jury date)."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.PROTECT, related_name="credits"
    )
    qualification = models.ForeignKey(
        "cqpm.Qualification", on_delete=models.PROTECT, related_name="+"
    )
    competence = models.ForeignKey(
        "cqpm.Competence", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    bloc = models.ForeignKey(
        "cqpm.Bloc", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    jury_date = models.DateField(_("date du jury"))
    valid_until = models.DateField(_("valable jusqu'au"))
    source_dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="credits_awarded"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(centre="centre")

    class Meta:
        ordering = ["candidate", "jury_date", "id"]
        verbose_name = _("acquis")
        verbose_name_plural = _("acquis")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(competence__isnull=False) & models.Q(bloc__isnull=True))
                | (models.Q(competence__isnull=True) & models.Q(bloc__isnull=False)),
                name="credit_competence_xor_bloc",
            )
        ]

    def __str__(self):
        what = self.competence or self.bloc
        return f"{what} ({self.jury_date:%d/%m/%Y})"

    def is_valid_on(self, day) -> bool:
        return self.revoked_at is None and self.jury_date <= day <= self.valid_until


class DossierEvent(models.Model):
    """The dossier's timeline: who, when, from which state to which, and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    reason = BoundedTextField(blank=True, max_length=TEXT_SHORT)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(centre="dossier__centre")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("événement du dossier")
        verbose_name_plural = _("événements du dossier")

    def __str__(self):
        return f"{self.action} {self.from_status}→{self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Dossier events are append-only")
        super().save(*args, **kwargs)

    @property
    def from_label(self):
        return DossierStatus(self.from_status).label if self.from_status else ""

    @property
    def to_label(self):
        return DossierStatus(self.to_status).label if self.to_status else ""

    @property
    def display_reason(self) -> str:
        """The reason in the interface language. A document event's reason is written in
        French ("Rapport déposé : r.pdf (en retard)", see ``services.documents``): it is
        read back and said again in the reader's language; any other reason is shown as
        typed."""
        if self.action != "document":
            return self.reason
        match = _DOCUMENT_REASON.match(self.reason)
        kind = _french_kinds().get(match["kind"]) if match else None
        if kind is None:
            return self.reason
        return document_reason(DocumentKind(kind).label, match["name"], bool(match["late"]))


_DOCUMENT_REASON = re.compile(r"^(?P<kind>.+?) déposé : (?P<name>.*?)(?P<late> \(en retard\))?$")


def _french_kinds() -> dict:
    with translation.override("fr"):
        return {str(label): value for value, label in DocumentKind.choices}


def document_reason(kind_label, name: str, late: bool) -> str:
    """« Rapport déposé : r.pdf (en retard) » in the active language."""
    return gettext("%(kind)s déposé : %(name)s%(late)s") % {
        "kind": kind_label,
        "name": name,
        "late": gettext(" (en retard)") if late else "",
    }
