"""Tenancy: users, centres (the tenants), companies, memberships, invitations, audit."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from centres.roles import Role
from centres.validators import validate_siret
from core.display import FastChoiceDisplay
from core.limits import TEXT_ADDRESS, TEXT_SHORT, BoundedTextField
from core.models import Versioned

# The legal floor of a jury's quorum (issue 15): at least two members present, and at least
# one of each college (checked by the juries app on the day). A centre sets its quorum above.
JURY_QUORUM_FLOOR = 2


class User(AbstractUser):
    """A person who logs in. Roles come from memberships, never from the user row."""

    email = models.EmailField(_("adresse électronique"), blank=True)
    is_national_admin = models.BooleanField(
        _("administrateur national (GTP)"),
        default=False,
        help_text=_("Publie les référentiels ; ne voit aucune donnée de candidat."),
    )

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self):
        return self.get_full_name() or self.username


class Centre(Versioned):
    """A UIMM territorial certification centre: the tenant."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    region = models.CharField(_("région"), max_length=100, blank=True)
    address = BoundedTextField(_("adresse"), blank=True, max_length=TEXT_ADDRESS)
    city = models.CharField(_("ville"), max_length=100, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    logo = models.ImageField(_("logo"), upload_to="centres/logos/", blank=True)
    jury_quorum = models.PositiveSmallIntegerField(
        _("quorum du jury"),
        default=4,
        validators=[MinValueValidator(JURY_QUORUM_FLOOR)],
        help_text=_(
            "Nombre minimal de membres présents pour délibérer (au moins 2, dont un membre "
            "de chaque collège)."
        ),
    )
    commission_min_assessors = models.PositiveSmallIntegerField(
        _("taille minimale d'une commission"),
        default=2,
        help_text=_("Nombre minimal d'évaluateurs dans une commission d'évaluation."),
    )
    retention_active_months = models.PositiveSmallIntegerField(
        _("conservation active (mois)"), default=36
    )
    retention_archive_months = models.PositiveSmallIntegerField(
        _("archivage intermédiaire (mois)"), default=60
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("centre de certification")
        verbose_name_plural = _("centres de certification")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(jury_quorum__gte=JURY_QUORUM_FLOOR),
                name="centre_jury_quorum_floor",
            )
        ]

    def __str__(self):
        return self.name


class Company(Versioned):
    """A company of a centre: employer of candidates, represented by its tutors/managers."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="companies")
    name = models.CharField(_("raison sociale"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    address = BoundedTextField(_("adresse"), blank=True, max_length=TEXT_ADDRESS)
    city = models.CharField(_("ville"), max_length=100, blank=True)
    sites = BoundedTextField(
        _("sites"), blank=True, help_text=_("Un site par ligne."), max_length=TEXT_ADDRESS
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(centre="centre")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("entreprise")
        verbose_name_plural = _("entreprises")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "siret"],
                condition=~models.Q(siret=""),
                name="company_unique_siret_per_centre",
            )
        ]
        indexes = [models.Index(fields=["centre", "name"])]

    def __str__(self):
        return self.name


class Membership(FastChoiceDisplay, models.Model):
    """A role of a user in a centre. A user may hold roles in several centres."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="representatives",
        verbose_name=_("entreprise"),
    )
    handles_accommodations = models.BooleanField(
        _("organise les aménagements"),
        default=False,
        help_text=_("Accès aux informations confidentielles de handicap (RGPD art. 9)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(centre="centre")
    # A person's own roles are read across the tenant wall (login, the centre switcher, the
    # audit of account events, conflicts of interest): one named door instead of
    # ``scopes_disabled()`` around each read. Use it only for a user's own memberships or a
    # centre already resolved; lists for pages go through the scoped ``objects``.
    all_centres = models.Manager()  # noqa: DJ012 (a second manager, not a field)

    class Meta:
        ordering = ["centre", "role", "id"]
        verbose_name = _("rôle dans un centre")
        verbose_name_plural = _("rôles dans les centres")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "centre", "role"], name="membership_unique_role_per_centre"
            ),
            models.CheckConstraint(
                condition=(models.Q(role=Role.COMPANY_REP) & models.Q(company__isnull=False))
                | (~models.Q(role=Role.COMPANY_REP) & models.Q(company__isnull=True)),
                name="membership_company_iff_company_rep",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.centre})"


class Invitation(models.Model):
    """A one-time, expiring link by which a centre administrator gives a role to someone."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adresse électronique"))
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(centre="centre")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        EXPIRED = "expired", _("Expirée")
        ACCEPTED = "accepted", _("Acceptée")
        REVOKED = "revoked", _("Révoquée")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        constraints = [
            # Re-inviting a pending address refreshes the pending invitation instead.
            models.UniqueConstraint(
                fields=["centre", "email", "role"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_pending_per_role",
            )
        ]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class ApiToken(models.Model):
    """An API credential (``Authorization: Token <key>``). Only the SHA-256 of the key is
    stored: the key itself is shown once, when it is created (``accounts.tokens``). It
    expires after ``API_TOKEN_IDLE_DAYS`` without use and ``API_TOKEN_MAX_AGE_DAYS`` after
    its creation whatever the use, and is revoked (deleted) by a password change or reset,
    a second-factor change, the account's deactivation and the end of its last role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("début du jeton"), max_length=8, editable=False)
    name = models.CharField(_("nom"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    last_used_at = models.DateTimeField(_("dernière utilisation"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("jeton d'accès")
        verbose_name_plural = _("jetons d'accès")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class AppendOnlyError(ValueError):
    """An audit entry may be written once, never changed nor deleted."""


class AuditQuerySet(models.QuerySet):
    """No bulk update or delete of audit entries (a PostgreSQL trigger refuses them too).
    The one exception, the redaction of personal data in ``before``/``after`` once a
    candidate is anonymised, goes through ``centres.audit.redact``."""

    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries are append-only: no update")

    def delete(self):
        raise AppendOnlyError("Audit entries are append-only: no delete")

    def _raw_delete(self, using):
        raise AppendOnlyError("Audit entries are append-only: no delete")


class AuditEntry(models.Model):
    """Append-only record of every state change: who, what, when, before, after, why."""

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=80)
    subject_type = models.CharField(max_length=80)
    subject_id = models.CharField(max_length=40)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = BoundedTextField(blank=True, max_length=TEXT_SHORT)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ScopedManager(
        _manager_class=models.Manager.from_queryset(AuditQuerySet), centre="centre"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("entrée du journal d'audit")
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self):
        return f"{self.action} {self.subject_type}#{self.subject_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are append-only: no delete")
