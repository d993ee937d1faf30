"""The follow-up of holders (issue 17): a short questionnaire sent to each holder of a CQPM
6 months and 2 years after the jury — employment status, job in the target trade — counted
in the statistics (France Compétences' insertion rates).

One row per (decision, wave), created when the mail goes (``juries.services.insertion``).
The link carries a random token; the row keeps only its SHA-256 (``token_hash``), as for
invitations and API tokens. The link works once, until ``expires_at``.
"""

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from juries.models.decisions import Decision


class SurveyWave(models.TextChoices):
    SIX_MONTHS = "6m", _("à 6 mois")
    TWO_YEARS = "2y", _("à 2 ans")


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("En emploi")
    SEEKING = "seeking", _("En recherche d'emploi")
    TRAINING = "training", _("En formation")
    OTHER = "other", _("Autre situation")


class InsertionSurvey(models.Model):
    Wave = SurveyWave

    class State(models.TextChoices):
        OPEN = "open", _("En attente de réponse")
        ANSWERED = "answered", _("Répondu")
        EXPIRED = "expired", _("Expiré")

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="insertion_surveys"
    )
    wave = models.CharField(_("échéance"), max_length=2, choices=SurveyWave.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("envoyé le"))
    expires_at = models.DateTimeField(_("valable jusqu'au"))
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    # the answers
    employment_status = models.CharField(
        _("situation"), max_length=10, choices=EmploymentStatus.choices, blank=True
    )
    in_target_trade = models.BooleanField(
        _("emploi dans le métier visé"),
        null=True,
        blank=True,
        help_text=_("Demandé aux seuls titulaires en emploi (vide sinon)."),
    )

    objects = ScopedManager(centre="centre")

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("questionnaire de suivi")
        verbose_name_plural = _("questionnaires de suivi")
        constraints = [
            models.UniqueConstraint(fields=["decision", "wave"], name="insertion_one_per_wave"),
        ]

    def __str__(self):
        return f"{self.decision_id} {self.wave}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    def state(self, now=None) -> str:
        if self.answered_at is not None:
            return self.State.ANSWERED
        if self.expires_at <= (now or timezone.now()):
            return self.State.EXPIRED
        return self.State.OPEN
