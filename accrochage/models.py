"""The accrochage: the certifier's account on the Caisse des Dépôts portal (one national
record), the fluxes a centre generates and the passages (one holder's award) each carries,
with what the portal's report said of them."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accrochage.storage import private_accrochage_storage
from core.limits import TEXT_SHORT, BoundedTextField

client_id_validator = RegexValidator(
    r"^[A-Za-z0-9]{8}$", _("L'identifiant client compte exactement 8 lettres ou chiffres.")
)


class NatureDeposant(models.TextChoices):
    CERTIFIER = "CERTIFICATEUR", _("Certificateur")
    TRUSTED_THIRD_PARTY = "TIERS_CONFIANCE", _("Tiers de confiance")


class CertifierAccount(models.Model):
    """The certifier's identifiers on the portal, set by the national administrator. One
    record for the branch (``key`` is always "national")."""

    key = models.CharField(max_length=10, default="national", unique=True, editable=False)
    client_id = models.CharField(
        _("identifiant client (idClient)"), max_length=8, validators=[client_id_validator]
    )
    emitter_client_id = models.CharField(
        _("identifiant client de l'émetteur"),
        max_length=8,
        blank=True,
        validators=[client_id_validator],
        help_text=_("Vide : le certificateur dépose lui-même (même identifiant)."),
    )
    contract_id = models.CharField(_("numéro de contrat (idContrat)"), max_length=20)
    nature = models.CharField(
        _("nature du déposant"),
        max_length=16,
        choices=NatureDeposant.choices,
        default=NatureDeposant.CERTIFIER,
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("compte certificateur (Caisse des Dépôts)")
        verbose_name_plural = _("comptes certificateur (Caisse des Dépôts)")

    def __str__(self):
        return f"{self.client_id} / {self.contract_id}"

    @property
    def emitter(self) -> str:
        return self.emitter_client_id or self.client_id


class FluxStatus(models.TextChoices):
    PENDING = "pending", _("En préparation")
    GENERATED = "generated", _("Généré")
    REPORT_IMPORTED = "report_imported", _("Compte rendu importé")
    FAILED = "failed", _("Refusé")


class PassageAction(models.TextChoices):
    CREATION = "CREATION", _("Déclaration")
    SUPPRESSION = "SUPPRESSION", _("Suppression")


class PassageStatus(models.TextChoices):
    PENDING = "pending", _("En attente du compte rendu")
    ACCEPTED = "accepted", _("Accepté")
    REJECTED = "rejected", _("Rejeté")


def flux_upload_to(flux, filename: str) -> str:
    now = timezone.localtime()
    return f"{flux.centre_id}/{now:%Y/%m}/{filename}"


class Flux(models.Model):
    """One XML file deposited on the portal (the register of the centre's declarations)."""

    Status = FluxStatus

    centre = models.ForeignKey("centres.Centre", on_delete=models.PROTECT, related_name="+")
    flux_id = models.CharField(_("identifiant du flux"), max_length=50, unique=True)
    status = models.CharField(
        _("état"), max_length=16, choices=FluxStatus.choices, default=FluxStatus.PENDING
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    passage_count = models.PositiveIntegerField(_("passages"), default=0)
    file = models.FileField(
        storage=private_accrochage_storage, upload_to=flux_upload_to, max_length=255, blank=True
    )
    sha256 = models.CharField(max_length=64, blank=True)
    # a large selection is built by a task (``accrochage.tasks``): what it was asked, how far
    requested = models.JSONField(default=list, blank=True, editable=False)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    error = BoundedTextField(_("motif du refus"), blank=True, max_length=TEXT_SHORT * 5)
    report_file = models.FileField(
        storage=private_accrochage_storage, upload_to=flux_upload_to, max_length=255, blank=True
    )
    report_sha256 = models.CharField(max_length=64, blank=True)
    report_imported_at = models.DateTimeField(_("compte rendu importé le"), null=True, blank=True)
    report_imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_count = models.PositiveIntegerField(_("acceptés"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejetés"), default=0)

    objects = ScopedManager(centre="centre")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("flux d'accrochage")
        verbose_name_plural = _("flux d'accrochage")
        indexes = [models.Index(fields=["centre", "created_at"])]

    def __str__(self):
        return self.flux_id

    @property
    def filename(self) -> str:
        return f"{self.flux_id}.xml"


class Passage(models.Model):
    """One holder's award (or its withdrawal) in one flux. ``id_technique`` is stable per
    award: the same in every flux that declares, re-sends or withdraws it."""

    Action = PassageAction
    Status = PassageStatus

    flux = models.ForeignKey(Flux, on_delete=models.CASCADE, related_name="passages")
    decision = models.ForeignKey(
        "juries.Decision", on_delete=models.PROTECT, related_name="accrochage_passages"
    )
    id_technique = models.CharField(_("identifiant technique"), max_length=60)
    action = models.CharField(
        _("action"), max_length=12, choices=PassageAction.choices, default=PassageAction.CREATION
    )
    status = models.CharField(
        _("état"), max_length=10, choices=PassageStatus.choices, default=PassageStatus.PENDING
    )
    holder = models.CharField(_("titulaire"), max_length=200)  # the name as declared
    error_message = BoundedTextField(_("message d'erreur"), blank=True, max_length=TEXT_SHORT)

    objects = ScopedManager(centre="flux__centre")

    class Meta:
        ordering = ["flux", "holder", "id"]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        constraints = [
            models.UniqueConstraint(fields=["flux", "id_technique"], name="passage_unique_in_flux")
        ]
        indexes = [models.Index(fields=["decision", "action", "status"])]

    def __str__(self):
        return f"{self.id_technique} ({self.action}, {self.status})"
