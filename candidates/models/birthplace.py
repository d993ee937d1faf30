"""Birth places with their official codes (INSEE, Code officiel géographique): the reference
tables of the commune picker and the checks a candidate's birth place must pass.

- ``Commune``: one row per (INSEE code, kind). A code may name a current commune and the
  former communes merged into it that kept its code (« commune déléguée »), so the code alone
  is not unique. Loaded by ``manage.py load_communes`` from the list of the npm package
  ``@etalab/decoupage-administratif`` (``data/communes.json``).
- ``Country``: the INSEE codes of foreign countries and territories (99xxx; France is 99100),
  former States included, since people were born in them.

Public reference data: not tenant-scoped.

The rules (``apply_birth_place``, called by ``Candidate.clean``): born in France (country
99100), the commune code must exist when the table is loaded, and fills the commune's name,
its department and « France »; born abroad, no commune code, and the country's name is filled.
Both codes empty: the free-text fields are kept as typed (a candidate registered before the
codes existed).
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.search import french
from core.text import fold

FRANCE = "99100"
BIRTH_PLACE_FIELDS = (
    "birth_commune",
    "birth_department",
    "birth_country",
    "birth_commune_code",
    "birth_country_code",
)
_COMMUNE_CODE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
_COUNTRY_CODE = re.compile(r"^99\d{3}$")


def search_form(name: str) -> str:
    """The name folded (lower case, no accent) with its hyphens and apostrophes as spaces:
    « Saint-Étienne » is "saint etienne", « L'Haÿ-les-Roses » is "l hay les roses"."""
    return fold(re.sub(r"[-'’]", " ", name))


class Commune(models.Model):
    class Kind(models.TextChoices):
        CURRENT = "commune-actuelle", _("commune")
        DELEGATED = "commune-deleguee", _("commune déléguée")
        ASSOCIATED = "commune-associee", _("commune associée")
        DISTRICT = "arrondissement-municipal", _("arrondissement municipal")

    code = models.CharField(_("code INSEE"), max_length=5)
    name = models.CharField(_("nom"), max_length=80)
    department = models.CharField(_("département"), max_length=3)
    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices, default=Kind.CURRENT)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    search_name = models.CharField(max_length=80, editable=False)

    class Meta:
        ordering = ["name", "code"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [
            models.UniqueConstraint(fields=["code", "kind"], name="commune_code_kind_unique")
        ]
        indexes = [models.Index(fields=["code"]), models.Index(fields=["search_name"])]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        self.search_name = search_form(self.name)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """« Lyon (69) », as the picker shows it."""
        return f"{self.name} ({self.department})"


class Country(models.Model):
    code = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name = _("pays")
        verbose_name_plural = _("pays")

    def __str__(self):
        return self.name


def country_choices():
    """(code, name) of every country, France first, the others in French order."""
    rows = list(Country.objects.order_by(french("name")).values_list("code", "name"))
    return sorted(rows, key=lambda row: row[0] != FRANCE)


class Reference:
    """The reference tables as ``apply_birth_place`` reads them: from the database, one
    query per look-up (a form, an API call), or preloaded for the codes of a whole file
    (``preloaded``, the bulk import: three queries for any number of rows)."""

    def __init__(self, communes=None, countries=None, has_communes=None, has_countries=None):
        self._communes, self._countries = communes, countries
        self._has_communes, self._has_countries = has_communes, has_countries

    @classmethod
    def preloaded(cls, commune_codes) -> "Reference":
        communes: dict[str, list[Commune]] = {}
        for row in Commune.objects.filter(code__in=set(commune_codes)):
            communes.setdefault(row.code, []).append(row)
        countries = {c.code: c for c in Country.objects.all()}
        return cls(communes, countries, Commune.objects.exists(), bool(countries))

    def communes(self, code) -> list[Commune]:
        if self._communes is None:
            return list(Commune.objects.filter(code=code))
        return self._communes.get(code, [])

    def country(self, code) -> Country | None:
        if self._countries is None:
            return Country.objects.filter(code=code).first()
        return self._countries.get(code)

    def has_communes(self) -> bool:
        if self._has_communes is None:
            self._has_communes = Commune.objects.exists()
        return self._has_communes

    def has_countries(self) -> bool:
        if self._has_countries is None:
            self._has_countries = Country.objects.exists()
        return self._has_countries


def commune_for(code: str, name: str = "", reference: Reference | None = None) -> Commune | None:
    """The commune of ``code``; among the rows sharing it, the one named ``name`` (a former
    commune the person was born in), else the current commune."""
    rows = (reference or Reference()).communes(code)
    if not rows:
        return None
    wanted = search_form(name or "")
    for row in rows:
        if wanted and row.search_name == wanted:
            return row
    current = [r for r in rows if r.kind == Commune.Kind.CURRENT]
    return (current or rows)[0]


def apply_birth_place(candidate, reference: Reference | None = None) -> None:
    """Check the candidate's birth-place codes and fill the printed fields from them; raise a
    ``ValidationError`` keyed by field (French messages)."""
    reference = reference or Reference()
    commune_code = (candidate.birth_commune_code or "").strip().upper()
    country_code = (candidate.birth_country_code or "").strip()
    candidate.birth_commune_code, candidate.birth_country_code = commune_code, country_code
    if not commune_code and not country_code:
        return
    if commune_code and not country_code:
        country_code = candidate.birth_country_code = FRANCE
    if country_code == FRANCE:
        _apply_commune(candidate, commune_code, reference)
    else:
        _apply_country(candidate, commune_code, country_code, reference)


def _apply_commune(candidate, code: str, reference: Reference) -> None:
    if not code and not reference.has_communes():  # the reference table is not loaded
        candidate.birth_country = "France"
        return
    if not code:
        raise ValidationError(
            {"birth_commune_code": _("Né(e) en France : choisissez la commune de naissance.")},
            code="birth_commune_required",
        )
    if not _COMMUNE_CODE.match(code):
        raise ValidationError(
            {"birth_commune_code": _("Le code commune INSEE a 5 caractères (69123, 2A004…).")},
            code="birth_commune_format",
        )
    commune = commune_for(code, candidate.birth_commune, reference)
    if commune is None:
        if reference.has_communes():
            raise ValidationError(
                {
                    "birth_commune_code": _("Aucune commune ne porte le code INSEE « %(code)s ».")
                    % {"code": code}
                },
                code="birth_commune_unknown",
            )
        candidate.birth_country = "France"
        return
    candidate.birth_commune = commune.name
    candidate.birth_department = commune.department
    candidate.birth_country = "France"


def _apply_country(candidate, commune_code: str, country_code: str, reference: Reference) -> None:
    if commune_code:
        raise ValidationError(
            {
                "birth_commune_code": _(
                    "Né(e) à l'étranger : ne choisissez pas de commune française."
                )
            },
            code="birth_commune_abroad",
        )
    if not _COUNTRY_CODE.match(country_code):
        raise ValidationError(
            {"birth_country_code": _("Le code pays INSEE a 5 chiffres et commence par 99.")},
            code="birth_country_format",
        )
    country = reference.country(country_code)
    if country is None and reference.has_countries():
        raise ValidationError(
            {
                "birth_country_code": _("Aucun pays ne porte le code INSEE « %(code)s ».")
                % {"code": country_code}
            },
            code="birth_country_unknown",
        )
    if country is not None:
        candidate.birth_country = country.name
    candidate.birth_department = ""
