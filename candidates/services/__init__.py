"""Every write of the candidates app (see the modules for each domain)."""

from candidates.errors import DossierError, PossibleDuplicate
from candidates.services.documents import (
    open_resit_dossier,
    report_deadline,
    save_accommodation,
    upload_document,
)
from candidates.services.registration import (
    add_months,
    covered_competence_codes,
    find_duplicates,
    latest_published_version,
    open_dossier,
    record_credit,
    register_candidate,
    set_modalities,
    update_candidate,
    update_dossier,
    valid_credits,
)
from candidates.services.transitions import (
    USER_TRANSITIONS,
    agree,
    close,
    mark_decided,
    mark_in_evaluation,
    mark_ready_for_jury,
    submit,
    withdraw,
)

__all__ = [
    "USER_TRANSITIONS",
    "DossierError",
    "PossibleDuplicate",
    "add_months",
    "agree",
    "close",
    "covered_competence_codes",
    "find_duplicates",
    "latest_published_version",
    "mark_decided",
    "mark_in_evaluation",
    "mark_ready_for_jury",
    "open_dossier",
    "open_resit_dossier",
    "record_credit",
    "register_candidate",
    "report_deadline",
    "save_accommodation",
    "set_modalities",
    "submit",
    "update_candidate",
    "update_dossier",
    "upload_document",
    "valid_credits",
    "withdraw",
]
