"""Evaluation sessions and their commissions, the scoring grids, the company's avis."""

from .choices import (
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
from .grids import CriterionScore, Grid, GridEvent, GridReopening, GridSignature
from .opinions import CompanyOpinion, CompanyOpinionItem
from .sessions import (
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
