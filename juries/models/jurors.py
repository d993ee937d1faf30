"""The standing juror records of a centre (issue 15): a juror's college is a fact about
the person, not a per-session choice, and so is the representative union an employee member
sits for. The union (GDPR art. 9 data) is stored apart, in ``JurorUnion``, read only by the
staff who compose juries; it is never exported, never shown to other jurors, and never copied
into the audit trail. Convening a juror copies the record onto the seat (``JuryMember``), so
a later change of the record does not rewrite past sessions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from core.models import Timestamped, Versioned
from juries.models.choices import College, Sex


class Juror(Versioned, Timestamped):
    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="jurors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="juror_records"
    )
    college = models.CharField(_("collège"), max_length=10, choices=College.choices)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, blank=True)
    company = models.ForeignKey(
        "centres.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entreprise du juré"),
    )
    qualified_for_certification = models.BooleanField(
        _("qualifié(e) pour la certification"), default=False
    )

    objects = ScopedManager(centre="centre")

    class Meta:
        ordering = ["centre", "user__last_name", "user__first_name", "id"]
        verbose_name = _("juré")
        verbose_name_plural = _("jurés")
        constraints = [
            models.UniqueConstraint(fields=["centre", "user"], name="juror_unique_per_centre")
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.username

    def get_centre(self):
        return self.centre


class JurorUnion(models.Model):
    """The representative union an employee juror sits for (art. 9: stored apart)."""

    juror = models.OneToOneField(Juror, on_delete=models.CASCADE, related_name="union_record")
    union = models.CharField(_("organisation syndicale représentée"), max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(centre="juror__centre")

    class Meta:
        verbose_name = _("organisation syndicale d'un juré")
        verbose_name_plural = _("organisations syndicales des jurés")

    def __str__(self):
        return str(self.juror_id)
