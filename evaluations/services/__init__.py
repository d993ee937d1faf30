"""Every write of the evaluations app (see the modules for each domain)."""

from evaluations.errors import EvaluationError, StaleScoreError, StaleVersionError
from evaluations.services.conflicts import (
    NO_LINK_SENTENCE,
    candidate_full_name,
    company_refusal,
    sign_declaration,
    statement_model,
    statement_problems,
)
from evaluations.services.grids import (
    completeness_problems,
    eligible_member,
    reopen_grid,
    required_signers,
    score_criterion,
    set_proposal,
    sign_grid,
)
from evaluations.services.opinions import (
    give_opinion,
    mark_opinion_unavailable,
    opinion_problems,
    opinion_refusal,
    sign_opinion,
)
from evaluations.services.readiness import (
    check_ready_for_jury,
    opinion_required,
    readiness_problems,
)
from evaluations.services.sessions import (
    add_dossier,
    add_member,
    close_session,
    remove_dossier,
    remove_member,
    schedule_session,
    set_presence,
    start_session,
    update_session,
)

__all__ = [
    "NO_LINK_SENTENCE",
    "EvaluationError",
    "StaleScoreError",
    "StaleVersionError",
    "add_dossier",
    "add_member",
    "candidate_full_name",
    "check_ready_for_jury",
    "close_session",
    "company_refusal",
    "completeness_problems",
    "eligible_member",
    "give_opinion",
    "mark_opinion_unavailable",
    "opinion_problems",
    "opinion_refusal",
    "opinion_required",
    "readiness_problems",
    "remove_dossier",
    "remove_member",
    "reopen_grid",
    "required_signers",
    "schedule_session",
    "score_criterion",
    "set_presence",
    "set_proposal",
    "sign_declaration",
    "sign_grid",
    "sign_opinion",
    "start_session",
    "statement_model",
    "statement_problems",
    "update_session",
]
