"""Evaluation sessions and their commissions, the scoring grids, the company's avis."""

from evaluations.models.choices import (
    AuthorCapacity,
    GridStatus,
    LinkKind,
    OpinionStatus,
    OpinionValue,
    Proposal,
    ScoreState,
    SessionModality,
    SessionStatus,
)
from evaluations.models.grids import CriterionScore, Grid, GridEvent, GridReopening, GridSignature
from evaluations.models.opinions import CompanyOpinion, CompanyOpinionItem
from evaluations.models.sessions import (
    EVALUATE_PERMISSION,
    CommissionMember,
    ConflictDeclaration,
    EvaluationSession,
    EvaluationSessionGroupObjectPermission,
    EvaluationSessionUserObjectPermission,
    SessionDossier,
)

__all__ = [
    "EVALUATE_PERMISSION",
    "AuthorCapacity",
    "CommissionMember",
    "CompanyOpinion",
    "CompanyOpinionItem",
    "ConflictDeclaration",
    "CriterionScore",
    "EvaluationSession",
    "EvaluationSessionGroupObjectPermission",
    "EvaluationSessionUserObjectPermission",
    "Grid",
    "GridEvent",
    "GridReopening",
    "GridSignature",
    "GridStatus",
    "LinkKind",
    "OpinionStatus",
    "OpinionValue",
    "Proposal",
    "ScoreState",
    "SessionDossier",
    "SessionModality",
    "SessionStatus",
]
