"""Jury sessions, their members (two colleges), the PV signatures, and the guardian tables
granting jurors their sessions."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.limits import TEXT_LONG, BoundedTextField
from core.models import Tracked, Versioned
from juries.models.choices import Attendance, College, LateInvitationReason, SessionStatus, Sex

SIT_PERMISSION = "juries.sit_on_jury_session"
SIT_CODENAME = "sit_on_jury_session"
INVITATION_NOTICE_DAYS = 15  # unions invited at least 15 calendar days before (art. 51)


class JurySession(Versioned, Tracked):
    """A meeting of the jury paritaire de délibération of one CQPM, at a date and a place."""

    Status = SessionStatus

    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, related_name="jury_sessions"
    )
    qualification = models.ForeignKey(
        "cqpm.Qualification",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("CQPM"),
    )
    label = models.CharField(_("intitulé"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("date et heure"))
    place = models.CharField(_("lieu"), max_length=255)  # the room or the address
    # The town the PV is done in ("Fait à Lyon"); empty: the centre's town.
    town = models.CharField(_("ville"), max_length=120, blank=True)
    status = models.CharField(
        _("état"), max_length=14, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    invitations_sent_at = models.DateTimeField(_("convocations envoyées le"), null=True, blank=True)
    late_invitation_reason = models.CharField(
        _("motif d'une convocation tardive"),
        max_length=20,
        choices=LateInvitationReason.choices,
        blank=True,
    )
    late_invitation_justification = BoundedTextField(
        _("justification d'une convocation tardive"),
        blank=True,
        max_length=TEXT_LONG,
    )
    imbalance_reason = BoundedTextField(
        _("motif d'une délibération avec des collèges déséquilibrés"),
        blank=True,
        max_length=TEXT_LONG,
    )
    observations = BoundedTextField(_("observations du jury"), blank=True, max_length=TEXT_LONG)
    # The real moments of the meeting, set by the services from the clock (never edited):
    # the documents and the credits take their date from ``deliberated_at``.
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    deliberation_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    deliberated_at = models.DateTimeField(_("délibéré le"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Bumped, in the same transaction, by every service that changes what the session's
    # board shows (votes, decisions, agenda, conflicts, regularity, attendance, status,
    # revocation): the board's cache key (``juries.board``). Kept apart from ``version``,
    # the optimistic-locking token of the session's own fields, so that a juror's vote
    # does not make the president's closing form stale.
    board_version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedManager(centre="centre")

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("session de jury")
        verbose_name_plural = _("sessions de jury")
        permissions = [("sit_on_jury_session", _("Siéger lors de cette session de jury"))]
        indexes = [models.Index(fields=["centre", "starts_at"])]

    def __str__(self):
        when = timezone.localtime(self.starts_at).strftime("%d/%m/%Y")
        return f"{self.label or _('Jury')} — {when}"

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
    def reference(self) -> str:
        return f"J-{self.pk:05d}"

    @property
    def scheduled_date(self):
        """The day the session is planned for (Europe/Paris)."""
        return timezone.localtime(self.starts_at).date()

    @property
    def jury_date(self):
        """The day the jury actually deliberated (Europe/Paris): the PV, the parchemin, the
        attestation, the letter and the credits all carry it. Before the decisions are
        frozen, the day the deliberation began, else the scheduled day. A session closed
        before ``deliberated_at`` was recorded keeps its scheduled day, the date its credits
        and certificates were issued with."""
        moment = self.deliberated_at
        if moment is None and self.status != SessionStatus.CLOSED:
            moment = self.deliberation_started_at
        return timezone.localtime(moment or self.starts_at).date()

    @property
    def opens_from(self) -> datetime.datetime:
        """The earliest moment the session may be opened: its scheduled day, at most
        ``JURY_OPEN_WINDOW_MINUTES`` before the start time."""
        start = timezone.localtime(self.starts_at)
        window = datetime.timedelta(minutes=settings.JURY_OPEN_WINDOW_MINUTES)
        midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
        return max(start - window, midnight)

    @property
    def is_closed(self) -> bool:
        return self.status == SessionStatus.CLOSED

    @property
    def accepts_votes(self) -> bool:
        return self.status == SessionStatus.DELIBERATING

    @property
    def agenda_editable(self) -> bool:
        return self.status in {SessionStatus.PLANNED, SessionStatus.OPEN}

    def invitation_deadline(self):
        """The last day unions may be invited without a justification."""
        return self.jury_date - datetime.timedelta(days=INVITATION_NOTICE_DAYS)


class JurySessionUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key grant: this juror on this session (django-guardian)."""

    content_object = models.ForeignKey(
        JurySession, on_delete=models.CASCADE, related_name="user_grants"
    )

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("droit d'un juré sur une session")


class JurySessionGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(
        JurySession, on_delete=models.CASCADE, related_name="group_grants"
    )

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("droit d'un groupe sur une session de jury")


class JuryMember(models.Model):
    """A juror convened to a session, in one college. ``organisation`` (the union or the
    employers' organisation represented) reveals a union affiliation: GDPR art. 9 data,
    shown to centre staff only."""

    session = models.ForeignKey(JurySession, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jury_seats"
    )
    college = models.CharField(_("collège"), max_length=10, choices=College.choices)
    organisation = models.CharField(
        _("organisation représentée"),
        max_length=200,
        blank=True,
        help_text=_("Donnée sensible (appartenance syndicale) : visible du centre seulement."),
    )
    company = models.ForeignKey(
        "centres.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entreprise du membre"),
        help_text=_("Sert à détecter les conflits d'intérêts avec les candidats."),
    )
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, blank=True)
    is_president = models.BooleanField(_("président(e)"), default=False)
    qualified_for_certification = models.BooleanField(
        _("qualifié(e) pour la certification"),
        default=False,
        help_text=_("Exigé pour au moins un membre quand le jury examine des dossiers de VAE."),
    )
    attendance = models.CharField(
        _("présence"), max_length=10, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    invited_at = models.DateTimeField(_("convoqué le"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(centre="session__centre")

    class Meta:
        ordering = ["session", "-is_president", "college", "id"]
        verbose_name = _("membre du jury")
        verbose_name_plural = _("membres du jury")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="jury_member_unique"),
            models.UniqueConstraint(
                fields=["session"],
                condition=models.Q(is_president=True),
                name="jury_one_president",
            ),
            models.CheckConstraint(
                condition=~models.Q(is_president=True) | models.Q(college="employer"),
                name="jury_president_employer_college",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.username

    @property
    def is_present(self) -> bool:
        return self.attendance == Attendance.PRESENT

    def get_centre(self):
        return self.session.centre

    @property
    def seat_order(self):
        """President first, then the employer college, then the employee college."""
        return (not self.is_president, self.college != College.EMPLOYER, self.pk)


class SignatureProof(models.TextChoices):
    """How the signatory proved who they were at the moment of signing."""

    PASSWORD = "password", _("mot de passe")
    PASSWORD_AND_TOTP = "password+totp", _("mot de passe et code de double authentification")
    SEED = "seed", _("données de démonstration (seed_demo)")


class MinutesSignature(models.Model):
    """A present member's signature of the session's PV: who, when, how they re-authenticated,
    and the SHA-256 of the exact PDF they signed (the PV document's stored file)."""

    Proof = SignatureProof

    session = models.ForeignKey(
        JurySession, on_delete=models.CASCADE, related_name="minutes_signatures"
    )
    member = models.ForeignKey(JuryMember, on_delete=models.PROTECT, related_name="signatures")
    signed_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    document = models.ForeignKey(
        "documents.GeneratedDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("procès-verbal signé"),
    )
    # Empty on the signatures recorded before re-authentication was required (issue 15).
    document_sha256 = models.CharField(
        _("empreinte SHA-256 du PDF signé"), max_length=64, blank=True, default=""
    )
    proof = models.CharField(
        _("ré-authentification"),
        max_length=20,
        choices=SignatureProof.choices,
        blank=True,
        default="",
    )

    objects = ScopedManager(centre="session__centre")

    class Meta:
        ordering = ["session", "signed_at", "id"]
        verbose_name = _("signature du procès-verbal")
        verbose_name_plural = _("signatures du procès-verbal")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="minutes_signature_unique")
        ]

    def __str__(self):
        return f"{self.session_id} — {self.member_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("PV signatures are never changed")
        super().save(*args, **kwargs)
