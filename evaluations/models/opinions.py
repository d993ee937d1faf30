"""The company's avis on a candidate (never for VAE dossiers)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from core.display import FastChoiceDisplay
from core.limits import TEXT_LONG, TEXT_SHORT, BoundedTextField
from core.models import Timestamped, Versioned
from evaluations.models.choices import AuthorCapacity, OpinionStatus, OpinionValue


class CompanyOpinion(FastChoiceDisplay, Versioned, Timestamped):
    """Given by a representative of the dossier's company, per competence; or recorded by
    centre staff as not obtained (with the reason). No row means no avis yet."""

    Status = OpinionStatus

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    dossier = models.OneToOneField(
        "candidates.Dossier", on_delete=models.PROTECT, related_name="company_opinion"
    )
    company = models.ForeignKey("centres.Company", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("état"), max_length=12, choices=OpinionStatus.choices, default=OpinionStatus.DRAFT
    )
    author_capacity = models.CharField(
        _("en qualité de"),
        max_length=10,
        choices=AuthorCapacity.choices,
        default=AuthorCapacity.TUTOR,
    )
    general_comment = BoundedTextField(_("appréciation générale"), blank=True, max_length=TEXT_LONG)
    unavailable_reason = BoundedTextField(
        _("motif de l'absence d'avis"), blank=True, max_length=TEXT_SHORT
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("signé le"), null=True, blank=True)

    objects = ScopedManager(centre="centre")

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("avis de l'entreprise")
        verbose_name_plural = _("avis des entreprises")

    def __str__(self):
        return _("Avis de l'entreprise sur le dossier %(id)s") % {"id": self.dossier_id}

    @property
    def is_final(self) -> bool:
        return self.status in {OpinionStatus.SIGNED, OpinionStatus.UNAVAILABLE}


class CompanyOpinionItem(FastChoiceDisplay, models.Model):
    opinion = models.ForeignKey(CompanyOpinion, on_delete=models.CASCADE, related_name="items")
    competence = models.ForeignKey("cqpm.Competence", on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("avis"), max_length=14, choices=OpinionValue.choices, blank=True)
    comment = BoundedTextField(_("commentaire"), blank=True, max_length=TEXT_SHORT)

    objects = ScopedManager(centre="opinion__centre")

    class Meta:
        ordering = ["opinion", "competence__number"]
        verbose_name = _("avis sur une compétence")
        verbose_name_plural = _("avis sur les compétences")
        constraints = [
            models.UniqueConstraint(
                fields=["opinion", "competence"], name="opinion_item_unique_competence"
            )
        ]

    def __str__(self):
        return f"{self.opinion_id} — {self.competence_id}: {self.value or '-'}"
