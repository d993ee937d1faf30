"""The scoring grid: one per dossier × competence to evaluate, owned by the commission.

Every criterion has its score row from the grid's creation (state empty until scored), so
every edit is a versioned update: two members editing at once never overwrite each other
silently (the second gets a stale-version refusal and sees the first one's value)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from core.display import FastChoiceDisplay
from core.limits import TEXT_LONG, TEXT_SHORT, BoundedTextField
from core.models import Timestamped, Versioned
from evaluations.models.choices import GridStatus, Proposal, ScoreState


class Grid(FastChoiceDisplay, Versioned, Timestamped):
    Status = GridStatus

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        "evaluations.EvaluationSession", on_delete=models.PROTECT, related_name="grids"
    )
    dossier = models.ForeignKey(
        "candidates.Dossier", on_delete=models.PROTECT, related_name="grids"
    )
    competence = models.ForeignKey("cqpm.Competence", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("état"), max_length=10, choices=GridStatus.choices, default=GridStatus.OPEN
    )
    proposal = models.CharField(
        _("proposition de la commission"), max_length=12, choices=Proposal.choices, blank=True
    )
    proposal_justification = BoundedTextField(
        _("justification de la proposition"), blank=True, max_length=TEXT_LONG
    )
    proposal_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposal_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(_("verrouillée le"), null=True, blank=True)

    objects = ScopedManager(centre="centre")

    class Meta:
        ordering = ["dossier", "competence__number"]
        verbose_name = _("grille d'évaluation")
        verbose_name_plural = _("grilles d'évaluation")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "competence"], name="grid_unique_competence")
        ]
        indexes = [models.Index(fields=["centre", "status"])]

    def __str__(self):
        return f"{self.dossier_id} — {self.competence_id}"

    @property
    def is_locked(self) -> bool:
        return self.status == GridStatus.SIGNED


class CriterionScore(FastChoiceDisplay, Versioned):
    State = ScoreState

    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("cqpm.Criterion", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("état"), max_length=16, choices=ScoreState.choices, blank=True)
    comment = BoundedTextField(_("commentaire"), blank=True, max_length=TEXT_SHORT)
    justification = BoundedTextField(_("justification"), blank=True, max_length=TEXT_SHORT)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(centre="grid__centre")

    class Meta:
        ordering = ["grid", "criterion__order", "criterion_id"]
        verbose_name = _("évaluation d'un critère")
        verbose_name_plural = _("évaluations des critères")
        constraints = [
            models.UniqueConstraint(fields=["grid", "criterion"], name="score_unique_criterion")
        ]

    def __str__(self):
        return f"{self.grid_id} — {self.criterion_id}: {self.state or '-'}"


class GridSignature(models.Model):
    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="signatures")
    member = models.ForeignKey(
        "evaluations.CommissionMember", on_delete=models.PROTECT, related_name="signatures"
    )
    signed_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = ScopedManager(centre="grid__centre")

    class Meta:
        ordering = ["grid", "signed_at", "id"]
        verbose_name = _("signature d'une grille")
        verbose_name_plural = _("signatures des grilles")
        constraints = [
            models.UniqueConstraint(fields=["grid", "member"], name="grid_signature_unique")
        ]

    def __str__(self):
        return f"{self.grid_id} — {self.member_id}"


class GridEvent(models.Model):
    """Append-only trail of a grid: who changed what, from which value to which."""

    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="events")
    score = models.ForeignKey(
        CriterionScore, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(centre="grid__centre")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("événement d'une grille")
        verbose_name_plural = _("événements des grilles")

    def __str__(self):
        return f"{self.grid_id} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Grid events are append-only")
        super().save(*args, **kwargs)


class GridReopening(models.Model):
    """A signed grid reopened by centre staff, with the reason and the signatures it had."""

    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="reopenings")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = BoundedTextField(_("motif"), max_length=TEXT_SHORT)
    previous_signatures = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(centre="grid__centre")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("réouverture d'une grille")
        verbose_name_plural = _("réouvertures des grilles")

    def __str__(self):
        return f"{self.grid_id} — {self.created_at:%d/%m/%Y}"
