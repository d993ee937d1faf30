from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from candidates.models.birthplace import apply_birth_place
from candidates.models.choices import AccessStatus, Sex
from candidates.models.plausibility import (
    check_minimum_age,
    normalise_department,
    validate_birth_date,
    validate_department,
    validate_phone,
)
from candidates.nir import mask_nir
from core.display import FastChoiceDisplay
from core.limits import TEXT_ADDRESS, BoundedTextField
from core.models import Tracked, Versioned


class Candidate(FastChoiceDisplay, Versioned, Tracked):
    """A person registered at a centre; may have several dossiers over the years."""

    centre = models.ForeignKey(
        "centres.Centre", on_delete=models.PROTECT, related_name="candidates"
    )
    birth_name = models.CharField(_("nom de naissance"), max_length=120)
    usage_name = models.CharField(_("nom d'usage"), max_length=120, blank=True)
    first_names = models.CharField(_("prénoms"), max_length=200)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date de naissance"), validators=[validate_birth_date])
    birth_commune = models.CharField(_("commune de naissance"), max_length=120, blank=True)
    birth_department = models.CharField(
        _("département de naissance"),
        max_length=3,
        blank=True,
        validators=[validate_department],
        help_text=_("Numéro du département (2A, 2B pour la Corse, 971… pour l'outre-mer)."),
    )
    birth_country = models.CharField(_("pays de naissance"), max_length=80, default="France")
    birth_commune_code = models.CharField(
        _("code INSEE de la commune de naissance"), max_length=5, blank=True
    )
    birth_country_code = models.CharField(
        _("code INSEE du pays de naissance"),
        max_length=5,
        blank=True,
        help_text=_("99100 pour la France."),
    )
    email = models.EmailField(_("adresse électronique"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True, validators=[validate_phone])
    address = BoundedTextField(_("adresse postale"), blank=True, max_length=TEXT_ADDRESS)
    access_status = models.CharField(
        _("statut"), max_length=20, choices=AccessStatus.choices, default=AccessStatus.EMPLOYEE
    )

    objects = ScopedManager(centre="centre")

    class Meta:
        ordering = ["birth_name", "first_names", "id"]
        verbose_name = _("candidat")
        verbose_name_plural = _("candidats")
        indexes = [
            models.Index(fields=["centre", "birth_name", "first_names", "birth_date"]),
            models.Index(fields=["centre", "usage_name"]),
        ]

    def __str__(self):
        return self.full_name

    def clean(self):
        """The rules across fields (``candidates.models.plausibility``): the legal working age;
        the birth place's codes (``candidates.models.birthplace``) fill its printed fields."""
        self.birth_department = normalise_department(self.birth_department)
        apply_birth_place(self)
        check_minimum_age(self.birth_date, self.access_status)

    @property
    def display_name(self) -> str:
        """Usage name first (as the person is known), birth name in brackets when different."""
        if self.usage_name and self.usage_name.upper() != self.birth_name.upper():
            born = _("née") if self.sex == Sex.FEMALE else _("né")
            return f"{self.usage_name.upper()} ({born} {self.birth_name.upper()})"
        return self.birth_name.upper()

    @property
    def full_name(self) -> str:
        return f"{self.display_name} {self.first_names}"

    @property
    def birth_place(self) -> str:
        parts = [self.birth_commune]
        if self.birth_department:
            parts.append(f"({self.birth_department})")
        if self.birth_country and self.birth_country.lower() != "france":
            parts.append(f"— {self.birth_country}")
        return " ".join(p for p in parts if p)


class CandidateIdentity(models.Model):
    """The NIR, stored apart from the candidate: never serialised, never exported to
    companies, shown masked."""

    candidate = models.OneToOneField(
        Candidate, on_delete=models.CASCADE, primary_key=True, related_name="identity"
    )
    nir = models.CharField(_("numéro de sécurité sociale"), max_length=15)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(centre="candidate__centre")

    class Meta:
        verbose_name = _("identité (NIR)")
        verbose_name_plural = _("identités (NIR)")

    def __str__(self):
        return self.masked

    @property
    def masked(self) -> str:
        return mask_nir(self.nir)
