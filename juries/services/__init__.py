"""Every write of the juries app (see the modules for each domain). Each service takes
``actor`` (a ``User`` or an ``Actor``), re-checks its capability in the centre, runs
in a transaction, locks what it changes, is a no-op when the target state is reached, and
writes an audit row."""

from juries.errors import JuryError, StaleVersionError
from juries.services.agenda import (
    add_to_agenda,
    company_link,
    declare_conflict,
    eligible_dossiers,
    record_regularity,
    remove_conflict,
    remove_from_agenda,
    set_candidate_absent,
)
from juries.services.closing import close_session, later_sessions, open_resit, revoke_decision
from juries.services.decisions import refresh_item, refresh_session
from juries.services.jurors import register_juror, union_of, update_juror
from juries.services.members import (
    add_member,
    remove_member,
    set_attendance,
    set_president,
    update_member,
)
from juries.services.sessions import (
    create_session,
    open_session,
    record_invitations,
    start_deliberation,
    update_session,
)
from juries.services.signing import sign_minutes
from juries.services.votes import cast_vote, vote_refusal

__all__ = [
    "JuryError",
    "StaleVersionError",
    "add_member",
    "add_to_agenda",
    "cast_vote",
    "close_session",
    "company_link",
    "create_session",
    "declare_conflict",
    "eligible_dossiers",
    "later_sessions",
    "open_resit",
    "open_session",
    "record_invitations",
    "register_juror",
    "record_regularity",
    "refresh_item",
    "refresh_session",
    "remove_conflict",
    "remove_from_agenda",
    "remove_member",
    "revoke_decision",
    "set_attendance",
    "set_candidate_absent",
    "set_president",
    "sign_minutes",
    "start_deliberation",
    "union_of",
    "update_juror",
    "update_member",
    "update_session",
    "vote_refusal",
]
