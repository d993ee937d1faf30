import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from candidates.models.choices import DocumentKind
from core.limits import TEXT_LONG, BoundedTextField
from core.models import Versioned


def _random_upload_path(instance, filename):
    """A random name under a private folder: the original name is kept in the row only."""
    return f"private/dossiers/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}"


def _random_import_path(instance, filename):
    return f"private/imports/{secrets.token_urlsafe(24)}"


class DossierDocument(models.Model):
    """A file of a dossier (report, evidence). Never served by a public URL."""

    Kind = DocumentKind

    dossier = models.ForeignKey(
        "candidates.Dossier", on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(
        _("type"), max_length=10, choices=DocumentKind.choices, default=DocumentKind.REPORT
    )
    file = models.FileField(upload_to=_random_upload_path, max_length=200)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("taille"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=255, blank=True)
    late = models.BooleanField(_("remis en retard"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(centre="dossier__centre")

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("document du dossier")
        verbose_name_plural = _("documents du dossier")

    def __str__(self):
        return self.original_name


class Accommodation(Versioned):
    """Confidential record for a declared handicap (GDPR art. 9), stored apart.

    ``needs`` (declared needs, medical information) is shown only to staff holding the
    ``manage_accommodations`` capability; ``to_apply`` is the accommodation assessors
    must apply, and the only part they will ever see.
    """

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    dossier = models.OneToOneField(
        "candidates.Dossier", on_delete=models.CASCADE, related_name="accommodation"
    )
    needs = BoundedTextField(
        _("besoins déclarés et informations médicales"),
        blank=True,
        help_text=_("Confidentiel : visible uniquement des personnes qui organisent."),
        max_length=TEXT_LONG,
    )
    to_apply = BoundedTextField(
        _("aménagements accordés à appliquer"),
        blank=True,
        help_text=_("Seul ce texte sera communiqué aux évaluateurs."),
        max_length=TEXT_LONG,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = _("aménagement")
        verbose_name_plural = _("aménagements")

    def __str__(self):
        return _("Aménagement du dossier %(id)s") % {"id": self.dossier_id}


class CandidateImport(models.Model):
    """A bulk registration file between its upload, its mapping and its import."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Déposé")
        IMPORTED = "imported", _("Importé")

    class ParseStatus(models.TextChoices):
        """The file is read once, by a background job (``candidates.tasks.parse_import``);
        the mapping and preview pages read the stored rows, never the workbook again."""

        PENDING = "pending", _("En attente de lecture")
        PARSING = "parsing", _("Lecture en cours")
        READY = "ready", _("Lu")
        FAILED = "failed", _("Illisible")

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=_random_import_path, max_length=200)
    original_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=4)
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    created_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    parse_status = models.CharField(
        max_length=10, choices=ParseStatus.choices, default=ParseStatus.PENDING
    )
    parse_progress = models.PositiveSmallIntegerField(default=0)  # percent
    parse_error = models.CharField(max_length=500, blank=True)
    parse_updated_at = models.DateTimeField(null=True, blank=True)
    headers = models.JSONField(default=list, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    # The parsed rows as JSON ({"rows": [[line, cells]], "errors": [[line, message]]}).
    rows_file = models.FileField(upload_to=_random_import_path, max_length=200, blank=True)

    objects = ScopedManager(centre="centre")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import de candidats")
        verbose_name_plural = _("imports de candidats")

    def __str__(self):
        return self.original_name
