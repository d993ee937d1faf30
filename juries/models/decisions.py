"""The jury's decision on a candidate: outcome, what was validated, its freezing and its
audited revocation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from core.limits import TEXT_SHORT, BoundedTextField
from core.models import Versioned
from juries.models.agenda import AgendaItem
from juries.models.choices import CompetenceSource, Outcome


class Decision(Versioned):
    """Derived from the votes (``juries.outcome``) while the session deliberates; frozen when
    it closes. A frozen decision changes only by revocation (who, when, why), after which a
    later session decides again (``superseded_by``)."""

    Outcome = Outcome

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="decision")
    dossier = models.ForeignKey(
        "candidates.Dossier", on_delete=models.PROTECT, related_name="jury_decisions"
    )
    outcome = models.CharField(_("décision"), max_length=12, choices=Outcome.choices)
    validated_blocs = models.ManyToManyField(
        "cqpm.Bloc", blank=True, related_name="+", verbose_name=_("blocs validés")
    )
    decided_at = models.DateTimeField(_("décidée le"))
    frozen_at = models.DateTimeField(_("figée le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_reason = BoundedTextField(
        _("motif de la révocation"), blank=True, max_length=TEXT_SHORT
    )
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("remplacée par"),
    )

    objects = ScopedManager(centre="centre")

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("décision du jury")
        verbose_name_plural = _("décisions du jury")
        indexes = [models.Index(fields=["centre", "outcome"])]

    def __str__(self):
        return f"{self.dossier_id}: {self.get_outcome_display()}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_standing(self) -> bool:
        """Frozen and not revoked: the decision in force."""
        return self.is_frozen and not self.is_revoked


class DecisionCompetence(models.Model):
    """Where each competence of the referential stands in the decision."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="competences")
    competence = models.ForeignKey("cqpm.Competence", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=14, choices=CompetenceSource.choices)
    acquired = models.BooleanField(_("acquise"))
    votes_for = models.PositiveSmallIntegerField(default=0)
    votes_against = models.PositiveSmallIntegerField(default=0)
    casting_vote = models.BooleanField(_("départagée par la voix du président"), default=False)

    objects = ScopedManager(centre="decision__centre")

    class Meta:
        ordering = ["decision", "competence__number"]
        verbose_name = _("compétence d'une décision")
        verbose_name_plural = _("compétences d'une décision")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "competence"], name="decision_competence_unique"
            )
        ]

    def __str__(self):
        return f"{self.decision_id} — {self.competence_id}: {self.acquired}"
