"""The agenda of a session: dossiers chosen by staff, conflicts of interest, the regularity
check of each evaluation, and the members' votes per competence."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from core.limits import TEXT_LONG, TEXT_SHORT, BoundedTextField
from juries.models.choices import ConflictKind, ConflictSource, VoteValue
from juries.models.sessions import JuryMember, JurySession


class AgendaItem(models.Model):
    """A dossier examined during a session. ``revises`` is set when the item re-examines a
    dossier whose earlier decision was revoked."""

    session = models.ForeignKey(JurySession, on_delete=models.CASCADE, related_name="agenda")
    dossier = models.ForeignKey(
        "candidates.Dossier", on_delete=models.PROTECT, related_name="jury_items"
    )
    position = models.PositiveIntegerField(_("ordre"), default=0)
    candidate_absent = models.BooleanField(
        _("candidat absent"),
        default=False,
        help_text=_("Le jury enregistre l'absence : aucune compétence n'est examinée."),
    )
    revises = models.ForeignKey(
        "juries.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("décision révoquée réexaminée"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(centre="session__centre")

    class Meta:
        ordering = ["session", "position", "id"]
        verbose_name = _("dossier à l'ordre du jour")
        verbose_name_plural = _("ordre du jour")
        constraints = [
            models.UniqueConstraint(fields=["session", "dossier"], name="agenda_item_unique")
        ]

    def __str__(self):
        return f"{self.session_id} — {self.dossier_id}"

    def get_centre(self):
        return self.session.centre


class ConflictOfInterest(models.Model):
    """A member linked to a candidate: they abstain on that candidate (and, for a VAE
    dossier, may not sit at all while it is on the agenda)."""

    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="conflicts")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="conflicts")
    kind = models.CharField(_("lien"), max_length=12, choices=ConflictKind.choices)
    source = models.CharField(
        _("origine"), max_length=10, choices=ConflictSource.choices, default=ConflictSource.DECLARED
    )
    details = BoundedTextField(_("précisions"), blank=True, max_length=TEXT_SHORT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(centre="item__session__centre")

    class Meta:
        ordering = ["item", "member", "id"]
        verbose_name = _("conflit d'intérêts")
        verbose_name_plural = _("conflits d'intérêts")
        constraints = [
            models.UniqueConstraint(fields=["member", "item"], name="jury_conflict_unique")
        ]

    def __str__(self):
        return f"{self.member} — {self.item_id} ({self.kind})"


class RegularityCheck(models.Model):
    """Before voting, the jury checks that the evaluation was run by the rules."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="regularity")
    regular = models.BooleanField(_("évaluation conforme"))
    comment = BoundedTextField(_("observations"), blank=True, max_length=TEXT_LONG)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    checked_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(centre="item__session__centre")

    class Meta:
        verbose_name = _("contrôle de régularité")
        verbose_name_plural = _("contrôles de régularité")

    def __str__(self):
        return f"{self.item_id}: {'conforme' if self.regular else 'non conforme'}"


class Vote(models.Model):
    """One member's vote on one competence of one candidate; changeable until the session
    closes."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(JuryMember, on_delete=models.PROTECT, related_name="votes")
    competence = models.ForeignKey("cqpm.Competence", on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("vote"), max_length=12, choices=VoteValue.choices)
    cast_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(centre="item__session__centre")

    class Meta:
        ordering = ["item", "competence__number", "member"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "member", "competence"], name="jury_vote_unique"
            )
        ]

    def __str__(self):
        return f"{self.member_id} — {self.item_id} — {self.competence_id}: {self.value}"
