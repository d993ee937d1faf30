"""Companies of a centre and the centre's own settings (both versioned)."""

from django.db import transaction
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from centres import audit
from centres.errors import CentreError
from centres.models import JURY_QUORUM_FLOOR, Centre, Company
from centres.roles import Capability
from centres.services._guards import _clean_siret, require_capability, stale_record
from core.services import check_version, user_of

COMPANY_FIELDS = ("name", "siret", "address", "city", "sites")
CENTRE_SETTINGS_FIELDS = (
    "address",
    "city",
    "siret",
    "jury_quorum",
    "commission_min_assessors",
    "retention_active_months",
    "retention_archive_months",
)


def _clean_company_fields(fields) -> dict:
    unknown = set(fields) - set(COMPANY_FIELDS)
    if unknown:
        raise ValueError(f"unknown company fields: {sorted(unknown)}")
    cleaned = {
        k: (v or "").strip() if isinstance(v, str) or v is None else v for k, v in fields.items()
    }
    if "name" in cleaned and not cleaned["name"]:
        raise CentreError(_("La raison sociale est obligatoire."), code="name_required")
    if "siret" in cleaned:
        cleaned["siret"] = _clean_siret(cleaned["siret"])
    return cleaned


def _check_siret_free(centre_id, siret, exclude_pk=None) -> None:
    if not siret:
        return
    clash = Company.objects.filter(centre_id=centre_id, siret=siret)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise CentreError(_("Une entreprise de votre centre a déjà ce SIRET."), code="siret_taken")


def create_company(centre, *, actor, **fields) -> Company:
    user = user_of(actor)
    cleaned = _clean_company_fields(fields)
    if not cleaned.get("name"):
        raise CentreError(_("La raison sociale est obligatoire."), code="name_required")
    with transaction.atomic(), scopes_disabled():
        centre = Centre.objects.select_for_update().get(pk=centre.pk)
        require_capability(user, centre, Capability.MANAGE_COMPANIES)
        _check_siret_free(centre.pk, cleaned.get("siret"))
        company = Company.objects.create(centre=centre, **cleaned)
        audit.record(
            centre=centre,
            actor=user,
            action="company.create",
            subject=company,
            after=audit.snapshot(company, COMPANY_FIELDS),
        )
    return company


def update_company(company, *, actor, expected_version=None, **fields) -> Company:
    """Change some fields of a company; refused with ``StaleVersionError`` when
    ``expected_version`` is not the current one (someone saved in between)."""
    user = user_of(actor)
    cleaned = _clean_company_fields(fields)
    with transaction.atomic(), scopes_disabled():
        company = Company.objects.select_for_update().get(pk=company.pk)
        require_capability(user, company.centre, Capability.MANAGE_COMPANIES)
        check_version(company, expected_version, stale=stale_record)
        changed = [name for name, value in cleaned.items() if getattr(company, name) != value]
        if not changed:
            return company
        if "siret" in changed:
            _check_siret_free(company.centre_id, cleaned["siret"], exclude_pk=company.pk)
        before = audit.snapshot(company, changed)
        for name in changed:
            setattr(company, name, cleaned[name])
        company.version += 1
        company.save(update_fields=[*changed, "version"])
        audit.record(
            centre=company.centre_id,
            actor=user,
            action="company.update",
            subject=company,
            before=before,
            after=audit.snapshot(company, changed),
        )
    return company


# --- centre settings ------------------------------------------------------------------------


def update_centre_settings(centre, *, actor, expected_version=None, **fields) -> Centre:
    user = user_of(actor)
    unknown = set(fields) - set(CENTRE_SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"unknown centre settings: {sorted(unknown)}")
    with transaction.atomic():
        centre = Centre.objects.select_for_update().get(pk=centre.pk)
        require_capability(user, centre, Capability.MANAGE_SETTINGS)
        check_version(centre, expected_version, stale=stale_record)
        if "siret" in fields:
            fields["siret"] = _clean_siret(fields["siret"])
        for name in ("address", "city"):
            if name in fields:
                fields[name] = (fields[name] or "").strip()
        _check_settings(centre, fields)
        changed = [name for name, value in fields.items() if getattr(centre, name) != value]
        if not changed:
            return centre
        before = audit.snapshot(centre, changed)
        for name in changed:
            setattr(centre, name, fields[name])
        centre.version += 1
        centre.save(update_fields=[*changed, "version"])
        audit.record(
            centre=centre,
            actor=user,
            action="centre.settings",
            subject=centre,
            before=before,
            after=audit.snapshot(centre, changed),
        )
    return centre


def _check_settings(centre, fields) -> None:
    def value(name):
        return fields.get(name, getattr(centre, name))

    if int(value("jury_quorum")) < JURY_QUORUM_FLOOR:
        raise CentreError(
            _(
                "Le quorum du jury ne peut pas être inférieur à %(floor)s membres présents "
                "(dont un membre de chaque collège)."
            )
            % {"floor": JURY_QUORUM_FLOOR},
            code="invalid_quorum",
        )
    if int(value("commission_min_assessors")) < 2:
        raise CentreError(
            _("Une commission d'évaluation compte au moins 2 évaluateurs."),
            code="invalid_commission_size",
        )
    if int(value("retention_active_months")) < 1:
        raise CentreError(
            _("La durée de conservation active doit être d'au moins 1 mois."),
            code="invalid_retention",
        )
    if int(value("retention_archive_months")) < 0:
        raise CentreError(
            _("La durée d'archivage intermédiaire ne peut pas être négative."),
            code="invalid_retention",
        )
