"""Referential test data: the real seed file, and small generated documents."""

import copy
import json
from functools import cache
from pathlib import Path

from django.conf import settings

from cqpm.loader import load_referential
from cqpm.models import ReferentialVersion

SEED_PATH = Path(settings.BASE_DIR) / "cqpm" / "referentials" / "manager-secteur-activites.json"
SEED_SLUG = "manager-secteur-activites"


@cache
def _seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


def seed_text() -> str:
    return _seed_text()


def seed_document() -> dict:
    """A fresh (mutable) copy of the data file's document."""
    return json.loads(_seed_text())


def load_seed() -> ReferentialVersion:
    """The seed referential loaded (idempotent: a second call changes nothing)."""
    return load_referential(seed_document()).version


def small_document(
    *,
    slug="cqpm-essai",
    version=1,
    status="published",
    blocs=1,
    competences_per_bloc=2,
    criteria_per_competence=4,
    title="CQPM d'essai",
) -> dict:
    """A valid document of any size (criteria cycle through the 4 headings; every fourth
    one is conditional)."""
    categories = ["methods", "means", "relations", "constraints"]
    number = 0
    doc_blocs = []
    for b in range(1, blocs + 1):
        competences = []
        for _ in range(competences_per_bloc):
            number += 1
            competences.append(
                {
                    "code": f"C{number}",
                    "number": number,
                    "title": f"Compétence d'essai numéro {number}",
                    "short_title": f"Compétence {number}",
                    "conditions": [f"Condition de la compétence {number}."],
                    "criteria": [
                        {
                            "category": categories[i % 4],
                            "text": f"Critère {i + 1} de la compétence {number} : sécurité.",
                            "conditional": "handicap" if i % 4 == 3 else None,
                        }
                        for i in range(criteria_per_competence)
                    ],
                    "expected_results": [f"Résultat attendu {number}."],
                    "knowledge": [f"Connaissance {number}."],
                }
            )
        doc_blocs.append(
            {
                "code": f"B{b}",
                "rncp_code": None,
                "title": f"Bloc d'essai {b}",
                "description": None,
                "competences": competences,
            }
        )
    return {
        "format": 1,
        "qualification": {
            "slug": slug,
            "code": None,
            "title": title,
            "rncp_code": None,
            "level": None,
            "european_level": None,
            "rncp_registered": False,
            "registration_decision_date": None,
            "certifier": "UIMM",
            "description": None,
        },
        "version": version,
        "status": status,
        "credit_validity_months": {"competence": 24, "bloc": 60},
        "modalities": [
            {
                "code": "real_work",
                "label": "Évaluation en situation professionnelle réelle",
                "description": None,
                "requires_report": False,
            }
        ],
        "blocs": doc_blocs,
    }


def load_small(**kwargs) -> ReferentialVersion:
    return load_referential(small_document(**kwargs)).version


def clone(document: dict) -> dict:
    return copy.deepcopy(document)
