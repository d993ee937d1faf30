"""From a jury's decision to the plain data of one passage (``accrochage.xml``), and what is
missing for it to be declared.

The birth commune's and country's INSEE codes are read with ``getattr`` (issue 17 adds
``Candidate.birth_commune_code`` and ``birth_country_code`` in another branch): without
them, a holder born in France has no commune code and is listed as incomplete.
"""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from accrochage.xml import CREATION, FRANCE, Holder, PassageData
from candidates.models import AccessStatus

# The dossier's access route → ``modaliteAcces`` (the XSD's enumeration).
ACCESS_MODES = {
    AccessStatus.EMPLOYEE: "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION",
    AccessStatus.JOBSEEKER: "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION",
    AccessStatus.PROFESSIONALISATION: "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION",
    AccessStatus.APPRENTICE: "FORMATION_INITIALE_APPRENTISSAGE",
    AccessStatus.VAE: "VAE",
    AccessStatus.FREE: "CANDIDAT_LIBRE",
}

_FRANCE_NAMES = {"", "france", "fr", "francaise", "française"}


def id_technique(decision) -> str:
    """Stable per award: the same in every flux that declares, re-sends or withdraws it."""
    return f"PARCH-{decision.centre_id}-{decision.pk}"


def first_name(first_names: str) -> str:
    """``prenom1``: the first of the first names ("Jean-Pierre Paul" → "Jean-Pierre")."""
    parts = first_names.replace(",", " ").split()
    return parts[0] if parts else ""


def birth_codes(candidate) -> tuple[str, str]:
    """(INSEE code of the commune, INSEE code of the country 99xxx)."""
    commune = (candidate.birth_commune_code or "").strip().upper()
    country = (candidate.birth_country_code or "").strip()
    if not country and candidate.birth_country.strip().casefold() in _FRANCE_NAMES:
        country = FRANCE
    return commune, country


def nir_of(candidate) -> str:
    """The NIR without its key (13 characters), or "" when unknown."""
    try:
        nir = candidate.identity.nir
    except ObjectDoesNotExist:
        return ""
    nir = "".join(nir.split()).upper()
    return nir[:13] if len(nir) >= 13 else ""


def holder_of(candidate) -> Holder:
    commune, country = birth_codes(candidate)
    return Holder(
        birth_name=candidate.birth_name.strip(),
        usage_name=candidate.usage_name.strip(),
        first_name=first_name(candidate.first_names),
        birth_date=candidate.birth_date,
        sex=candidate.sex,
        commune_code=commune,
        country_code=country,
        commune_label=candidate.birth_commune.strip(),
        country_label="" if country == FRANCE else candidate.birth_country.strip(),
        nir=nir_of(candidate),
    )


def missing_fields(decision) -> list[str]:
    """What the holder's record or the CQPM lacks for the declaration (French labels)."""
    candidate = decision.dossier.candidate
    qualification = decision.dossier.referential_version.qualification
    commune, country = birth_codes(candidate)
    missing = []
    if not candidate.birth_name.strip():
        missing.append(_("nom de naissance"))
    if not first_name(candidate.first_names):
        missing.append(_("prénom"))
    if not isinstance(candidate.birth_date, datetime.date):
        missing.append(_("date de naissance"))
    if candidate.sex not in {"M", "F"}:
        missing.append(_("sexe"))
    if not country or len(country) != 5 or not country.startswith("99"):
        missing.append(_("code INSEE du pays de naissance"))
    elif country == FRANCE and len(commune) != 5:
        missing.append(_("code INSEE de la commune de naissance"))
    if decision.dossier.access_route not in ACCESS_MODES:
        missing.append(_("voie d'accès"))
    if not qualification.rncp_code.strip():
        missing.append(_("numéro de fiche RNCP du CQPM"))
    return missing


def passage_of(decision, action: str = CREATION) -> PassageData:
    return PassageData(
        id_technique=id_technique(decision),
        holder=holder_of(decision.dossier.candidate),
        award_date=decision.item.session.jury_date,
        access_mode=ACCESS_MODES.get(decision.dossier.access_route, ""),
        action=action,
    )
