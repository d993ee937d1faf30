"""Evaluation sessions, the dossiers they evaluate, their commission and the members'
conflict-of-interest declarations; the guardian tables granting assessors their sessions."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.display import FastChoiceDisplay
from core.limits import TEXT_LONG, TEXT_SHORT, BoundedTextField
from core.models import Tracked, Versioned
from evaluations.models.choices import LinkKind, SessionModality, SessionStatus

EVALUATE_PERMISSION = "evaluations.evaluate_session"


class EvaluationSession(FastChoiceDisplay, Versioned, Tracked):
    """A date and a place where a commission evaluates one or more dossiers."""

    Status = SessionStatus

    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, related_name="evaluation_sessions"
    )
    label = models.CharField(_("intitulé"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True)
    place = models.CharField(_("lieu"), max_length=255)  # the room or the address
    # The town the documents print ("Fait à Lyon"); empty: the centre's town.
    town = models.CharField(_("ville"), max_length=120, blank=True)
    modality = models.CharField(
        _("modalité d'évaluation"),
        max_length=30,
        choices=SessionModality.choices,
        default=SessionModality.REAL_WORK,
    )
    status = models.CharField(
        _("état"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    notes = BoundedTextField(_("informations pratiques"), blank=True, max_length=TEXT_LONG)

    objects = ScopedManager(centre="centre")

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("session d'évaluation")
        verbose_name_plural = _("sessions d'évaluation")
        permissions = [("evaluate_session", _("Évaluer lors de cette session"))]
        indexes = [models.Index(fields=["centre", "starts_at"])]

    def __str__(self):
        when = timezone.localtime(self.starts_at).strftime("%d/%m/%Y %H:%M")
        return f"{self.label or _('Évaluation')} — {when}"

    @property
    def reference(self) -> str:
        return f"E-{self.pk:05d}"

    @property
    def where(self) -> str:
        """The room and the town, as a letter prints them ("Salle du conseil, Lyon")."""
        if self.town and self.town.casefold() not in self.place.casefold():
            return f"{self.place}, {self.town}"
        return self.place

    @property
    def document_town(self) -> str:
        """The town a document is done in ("Fait à Lyon"): the session's, else the centre's."""
        return self.town or self.centre.city or self.place

    @property
    def is_closed(self) -> bool:
        return self.status == SessionStatus.CLOSED


class EvaluationSessionUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key grant: this assessor on this session (django-guardian)."""

    content_object = models.ForeignKey(
        EvaluationSession, on_delete=models.CASCADE, related_name="user_grants"
    )

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("droit d'un utilisateur sur une session")


class EvaluationSessionGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(
        EvaluationSession, on_delete=models.CASCADE, related_name="group_grants"
    )

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("droit d'un groupe sur une session")


class SessionDossier(models.Model):
    """A dossier evaluated during a session."""

    session = models.ForeignKey(
        EvaluationSession, on_delete=models.CASCADE, related_name="session_dossiers"
    )
    dossier = models.ForeignKey(
        "candidates.Dossier", on_delete=models.PROTECT, related_name="evaluation_slots"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    convoked_at = models.DateTimeField(_("convoqué le"), null=True, blank=True)

    objects = ScopedManager(centre="session__centre")

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("dossier d'une session")
        verbose_name_plural = _("dossiers d'une session")
        constraints = [
            models.UniqueConstraint(fields=["session", "dossier"], name="session_dossier_unique")
        ]

    def __str__(self):
        return f"{self.session_id} — {self.dossier_id}"

    def get_centre(self):
        return self.session.centre


class CommissionMember(models.Model):
    """An assessor of the commission of a session."""

    session = models.ForeignKey(EvaluationSession, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commission_seats"
    )
    present = models.BooleanField(
        _("présent"), default=True, help_text=_("Seuls les membres présents signent les grilles.")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    convoked_at = models.DateTimeField(_("convoqué le"), null=True, blank=True)

    objects = ScopedManager(centre="session__centre")

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("membre de la commission")
        verbose_name_plural = _("membres de la commission")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="commission_member_unique")
        ]

    def __str__(self):
        return str(self.user)

    def get_centre(self):
        return self.session.centre


class ConflictDeclaration(models.Model):
    """A member's signed statement about their links with one candidate (a typed
    statement, not a checkbox). A declared link refuses the member on that dossier."""

    member = models.ForeignKey(
        CommissionMember, on_delete=models.CASCADE, related_name="declarations"
    )
    dossier = models.ForeignKey(
        "candidates.Dossier", on_delete=models.PROTECT, related_name="conflict_declarations"
    )
    declared_link = models.CharField(
        _("lien déclaré"), max_length=12, choices=LinkKind.choices, default=LinkKind.NONE
    )
    link_details = BoundedTextField(_("précisions sur le lien"), blank=True, max_length=TEXT_SHORT)
    statement = BoundedTextField(_("déclaration"), max_length=TEXT_LONG)
    accepted = models.BooleanField(_("membre autorisé à évaluer ce candidat"), default=True)
    refusal_reason = BoundedTextField(_("motif du refus"), blank=True, max_length=TEXT_SHORT)
    signed_at = models.DateTimeField(_("signée le"), default=timezone.now)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)

    objects = ScopedManager(centre="member__session__centre")

    class Meta:
        ordering = ["-signed_at", "-id"]
        verbose_name = _("déclaration d'absence de conflit d'intérêts")
        verbose_name_plural = _("déclarations d'absence de conflit d'intérêts")
        constraints = [
            models.UniqueConstraint(fields=["member", "dossier"], name="declaration_unique")
        ]

    def __str__(self):
        return f"{self.member} — {self.dossier_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Signed declarations are never changed")
        super().save(*args, **kwargs)
