"""The mandatory mentions of a CQPM on the documents a jury issues (PV, parchemin,
attestation, result letter), and whether a deployment issues specimens.

In production (``DOCUMENTS_SPECIMEN`` off) nothing is issued while a mention is empty: the
documents would print « à renseigner » where the law asks for the RNCP number, the date of
France Compétences' decision, the levels and the CQPM code. These are national data: the
national administrator (GTP) fills them in, in the referential; a centre cannot.
On a specimen deployment (the demo, DEBUG on by default) the documents are issued anyway,
watermarked « SPÉCIMEN » (``templates/documents/pdf/base_pdf.html``).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

WHO_FILLS_IN = _("l'administrateur national (GTP), dans le référentiel du CQPM")


@dataclass(frozen=True)
class Mention:
    field: str
    label: str


MANDATORY_MENTIONS = (
    Mention("code", _("code du CQPM")),
    Mention("rncp_code", _("numéro de fiche RNCP")),
    Mention("registration_decision_date", _("date de la décision de France Compétences")),
    Mention("level", _("niveau (cadre national)")),
    Mention("european_level", _("niveau européen (CEC)")),
)


def specimen_mode() -> bool:
    """True when this deployment issues specimens (watermarked, mentions not required)."""
    return bool(getattr(settings, "DOCUMENTS_SPECIMEN", settings.DEBUG))


def missing_mentions(qualification) -> list[Mention]:
    """The mandatory mentions still empty on ``qualification`` (no query)."""
    return [m for m in MANDATORY_MENTIONS if getattr(qualification, m.field) in (None, "")]


def blocking_mentions(qualification) -> list[Mention]:
    """The missing mentions that stop issuing: none on a specimen deployment."""
    return [] if specimen_mode() else missing_mentions(qualification)


def describe(mentions) -> str:
    """« code du CQPM, numéro de fiche RNCP » (for messages)."""
    return ", ".join(str(m.label) for m in mentions)
