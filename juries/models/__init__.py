"""Jury sessions, members, agenda, conflicts, votes, decisions."""

from juries.models.agenda import AgendaItem, ConflictOfInterest, RegularityCheck, Vote
from juries.models.choices import (
    Attendance,
    College,
    CompetenceSource,
    ConflictKind,
    ConflictSource,
    LateInvitationReason,
    Outcome,
    SessionStatus,
    Sex,
    VoteValue,
)
from juries.models.decisions import Decision, DecisionCompetence
from juries.models.insertion import EmploymentStatus, InsertionSurvey, SurveyWave
from juries.models.jurors import Juror, JurorUnion
from juries.models.sessions import (
    INVITATION_NOTICE_DAYS,
    SIT_CODENAME,
    SIT_PERMISSION,
    JuryMember,
    JurySession,
    JurySessionGroupObjectPermission,
    JurySessionUserObjectPermission,
    MinutesSignature,
    SignatureProof,
)

__all__ = [
    "INVITATION_NOTICE_DAYS",
    "SIT_CODENAME",
    "SIT_PERMISSION",
    "AgendaItem",
    "Attendance",
    "College",
    "CompetenceSource",
    "ConflictKind",
    "ConflictOfInterest",
    "ConflictSource",
    "Decision",
    "DecisionCompetence",
    "EmploymentStatus",
    "InsertionSurvey",
    "SurveyWave",
    "Sex",
    "JuryMember",
    "Juror",
    "JurorUnion",
    "LateInvitationReason",
    "JurySession",
    "JurySessionGroupObjectPermission",
    "JurySessionUserObjectPermission",
    "MinutesSignature",
    "SignatureProof",
    "Outcome",
    "RegularityCheck",
    "SessionStatus",
    "Vote",
    "VoteValue",
]
