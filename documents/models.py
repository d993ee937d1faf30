"""Generated documents (PDF jobs), their batches, and the certificate register.

A document is a row first (``pending``), rendered later by a Celery task on the ``pdf``
queue. Its subject is a generic ``(subject_type, subject_id)`` reference such as
``("juries.decision", "42")``: this app never imports the apps whose documents it renders.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from core.display import FastChoiceDisplay
from core.disposition import safe_filename
from core.limits import TEXT_SHORT, BoundedTextField
from documents.storage import private_document_storage


class DocumentKind(models.TextChoices):
    CONVOCATION = "convocation", _("Convocation à l'évaluation")
    EVALUATION_GRID = "evaluation_grid", _("Grille d'évaluation signée")
    COMPANY_OPINION = "company_opinion", _("Avis de l'entreprise")
    JURY_MINUTES = "jury_minutes", _("Procès-verbal de délibération")
    CERTIFICATE = "certificate", _("Parchemin")
    ATTESTATION = "attestation", _("Attestation de blocs ou de compétences")
    RESULT_LETTER = "result_letter", _("Courrier de résultat")


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    RENDERING = "rendering", _("En cours de production")
    READY = "ready", _("Prêt")
    FAILED = "failed", _("Échec")


class CertificateKind(models.TextChoices):
    CERTIFICATE = "certificate", _("Parchemin (CQPM complet)")
    ATTESTATION = "attestation", _("Attestation de blocs ou de compétences")


def subject_ref(subject) -> tuple[str, str]:
    """``(subject_type, subject_id)`` of a model instance, or of an already built pair."""
    if isinstance(subject, tuple | list):
        subject_type, subject_id = subject
        return str(subject_type), str(subject_id)
    meta = subject._meta
    return f"{meta.app_label}.{meta.model_name}", str(subject.pk)


def document_upload_to(document, filename: str) -> str:
    now = timezone.localtime()
    return f"{document.centre_id}/{now:%Y/%m}/{filename}"


class DocumentBatch(models.Model):
    """Documents requested together ("générer les parchemins de la session")."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("libellé"), max_length=200)
    subject_type = models.CharField(max_length=80, blank=True)
    subject_id = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(centre="centre")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lot de documents")
        verbose_name_plural = _("lots de documents")

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        """The label in the interface language: the jury's batches are labelled in the
        language of whoever closed the session ("Documents du jury J-00012")."""
        for prefix in _BATCH_PREFIXES:
            if self.label.startswith(prefix):
                return _("Documents du jury %(ref)s") % {"ref": self.label[len(prefix) :]}
        return self.label

    def progress(self) -> "BatchProgress":
        """Counts by status, derived from the documents (one query)."""
        rows = self.documents.values("status").annotate(n=models.Count("id")).order_by()
        return BatchProgress.from_counts({row["status"]: row["n"] for row in rows})


class BatchProgress:
    def __init__(self, pending=0, rendering=0, ready=0, failed=0):
        self.pending, self.rendering, self.ready, self.failed = pending, rendering, ready, failed

    @classmethod
    def from_counts(cls, counts: dict) -> "BatchProgress":
        return cls(**{status: counts.get(status, 0) for status in DocumentStatus.values})

    @property
    def total(self) -> int:
        return self.pending + self.rendering + self.ready + self.failed

    @property
    def done(self) -> int:
        return self.ready + self.failed

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def is_finished(self) -> bool:
        return self.done == self.total

    @property
    def all_ready(self) -> bool:
        return self.total > 0 and self.ready == self.total

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "pending": self.pending,
            "rendering": self.rendering,
            "ready": self.ready,
            "failed": self.failed,
            "percent": self.percent,
            "finished": self.is_finished,
        }


class CertificateCounter(models.Model):
    """The last certificate number of a centre in a year; locked when a number is taken."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    objects = ScopedManager(centre="centre")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["centre", "year"], name="certificate_counter_unique")
        ]

    def __str__(self):
        return f"{self.centre_id}/{self.year}: {self.last_value}"


# Crockford base32: no I, L, O, U, so a code read aloud or typed is unambiguous.
VERIFICATION_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VERIFICATION_CODE_LENGTH = 10  # 50 random bits


def new_verification_code() -> str:
    return "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(VERIFICATION_CODE_LENGTH))


def normalise_verification_code(raw: str) -> str | None:
    """The stored form of a typed code (case, hyphens, spaces and look-alikes forgiven), or
    ``None`` when it cannot be a code."""
    code = (raw or "").upper().replace("-", "").replace(" ", "")
    code = code.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if len(code) != VERIFICATION_CODE_LENGTH or any(c not in VERIFICATION_ALPHABET for c in code):
        return None
    return code


class CertificateRecord(FastChoiceDisplay, models.Model):
    """The certificate register: one row per parchemin or attestation ever issued.

    The number is taken once, from the locked :class:`CertificateCounter` of the centre and
    year; a retried request or job finds the existing row by its subject and kind.
    """

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("type"), max_length=20, choices=CertificateKind.choices)
    number = models.CharField(_("numéro"), max_length=80, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    verification_code = models.CharField(
        _("code de vérification"), max_length=16, unique=True, default=new_verification_code
    )
    subject_type = models.CharField(max_length=80)
    subject_id = models.CharField(max_length=40)

    holder_first_name = models.CharField(_("prénom du titulaire"), max_length=150)
    holder_last_name = models.CharField(_("nom du titulaire"), max_length=150)
    holder_birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    holder_birth_place = models.CharField(_("lieu de naissance"), max_length=150, blank=True)
    # "F", "M" or "" (unknown): "née le" / "né le" / "né(e) le" on the document.
    holder_sex = models.CharField(_("sexe du titulaire"), max_length=1, blank=True)

    qualification_title = models.CharField(_("intitulé exact du CQPM"), max_length=300)
    qualification_code = models.CharField(_("code du CQPM"), max_length=40, blank=True)
    referential_version = models.CharField(_("version du référentiel"), max_length=40, blank=True)
    certifier = models.CharField(_("certificateur"), max_length=300, blank=True)
    rncp_number = models.CharField(_("numéro RNCP"), max_length=40, blank=True)
    france_competences_decision_date = models.DateField(
        _("date de la décision de France Compétences"), null=True, blank=True
    )
    level_national = models.CharField(_("niveau national"), max_length=80, blank=True)
    level_european = models.CharField(_("niveau européen"), max_length=80, blank=True)
    # [{"code", "title", "competences": [{"code", "title"}]}] — blocs validated (all of them
    # for a parchemin).
    blocs = models.JSONField(_("blocs validés"), default=list, blank=True)
    # [{"code", "title"}] — every competence validated.
    competences = models.JSONField(_("compétences validées"), default=list, blank=True)

    jury_date = models.DateField(_("date du jury"))
    issued_on = models.DateField(_("date de délivrance"))
    issued_place = models.CharField(_("lieu de délivrance"), max_length=150)
    signatory_name = models.CharField(_("signataire"), max_length=200, blank=True)
    signatory_title = models.CharField(_("qualité du signataire"), max_length=200, blank=True)
    # When the signatory (the jury's president) signed the PV; the jury date until then.
    signed_on = models.DateField(_("signé le"), null=True, blank=True)

    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revocation_reason = BoundedTextField(
        _("motif de la révocation"), blank=True, max_length=TEXT_SHORT
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(centre="centre")

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("certificat délivré")
        verbose_name_plural = _("registre des certificats")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind"], name="certificate_one_per_subject"
            ),
            models.UniqueConstraint(
                fields=["centre", "year", "sequence"], name="certificate_sequence_unique"
            ),
        ]
        indexes = [models.Index(fields=["centre", "holder_last_name"])]

    def __str__(self):
        return self.number

    @property
    def holder_name(self) -> str:
        return f"{self.holder_first_name} {self.holder_last_name.upper()}".strip()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def signature_date(self):
        """The date printed beside "Signé électroniquement par…"."""
        return self.signed_on or self.jury_date

    @property
    def display_code(self) -> str:
        code = self.verification_code
        return f"{code[:5]}-{code[5:]}"

    @property
    def verification_url(self) -> str:
        return f"{settings.SITE_URL}/verifier/{self.display_code}/"


# Labels written by juries.paperwork, in French or English (the language of the request).
_BATCH_PREFIXES = ("Documents du jury ", "Jury documents ")
_SIGNED_MINUTES_PREFIXES = ("PV signé", "Signed jury minutes")

# The short titles of the register's documents in file names (the kind labels are longer).
CERTIFICATE_FILE_TITLES = {
    CertificateKind.CERTIFICATE: _("Parchemin"),
    CertificateKind.ATTESTATION: _("Attestation"),
}


class GeneratedDocument(FastChoiceDisplay, models.Model):
    """One PDF: a job row first, a private file once rendered."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("type"), max_length=30, choices=DocumentKind.choices)
    subject_type = models.CharField(max_length=80)
    subject_id = models.CharField(max_length=40)
    label = models.CharField(_("libellé"), max_length=200, blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    error = BoundedTextField(_("erreur"), blank=True, max_length=TEXT_SHORT)
    file = models.FileField(
        storage=private_document_storage, upload_to=document_upload_to, max_length=255, blank=True
    )
    sha256 = models.CharField(max_length=64, blank=True)
    certificate = models.ForeignKey(
        CertificateRecord,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    batch = models.ForeignKey(
        DocumentBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    # Last change of status (or last enqueue by the sweep): what the sweep ages.
    updated_at = models.DateTimeField(default=timezone.now)
    rendered_at = models.DateTimeField(_("produit le"), null=True, blank=True)

    objects = ScopedManager(centre="centre")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document généré")
        verbose_name_plural = _("documents générés")
        indexes = [
            models.Index(fields=["centre", "status"]),
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["status", "updated_at"]),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        """The document's title in the interface language: its kind, then what the label
        names after its dash ("Convocation à l'évaluation — Paul LEMAIRE"). The label was
        written in the language of whoever asked for the document; the kind follows the
        reader's."""
        label = self.label or ""
        if " — " in label:
            return f"{self.get_kind_display()} — {label.split(' — ', 1)[1]}"
        if self.kind == DocumentKind.JURY_MINUTES and label:
            reference = label.rsplit(" ", 1)[-1]
            if label.startswith(_SIGNED_MINUTES_PREFIXES):
                return _("Procès-verbal signé — %(ref)s") % {"ref": reference}
            return f"{self.get_kind_display()} — {reference}"
        return label or f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.READY and bool(self.file)

    @property
    def download_name(self) -> str:
        """The name a person understands: ``Parchemin - LEMAIRE Paul - LYON-2026-000003.pdf``
        for a register entry, else the document's label (``Convocation — Paul LEMAIRE``)."""
        record = self.certificate if self.certificate_id else None
        if record is not None:
            holder = f"{record.holder_last_name.upper()} {record.holder_first_name}".strip()
            kind = CERTIFICATE_FILE_TITLES.get(record.kind, record.get_kind_display())
            name = f"{kind} - {holder} - {record.number}"
        else:
            name = self.title
        return safe_filename(f"{name}.pdf")
