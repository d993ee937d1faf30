"""The criterion autosave: the tablet saves every tap through
``PATCH /api/v1/criterion-scores/<id>/``, so its common outcome costs two statements.

``score_criterion`` (grids.py) is the general writer and the one that words every refusal;
through the ORM it costs ~10 queries. ``autosave_score`` records the same change under the
same rules, in one transaction:

1. one ``SELECT … FOR UPDATE OF grid`` (the grid row lock every grid write takes first): the
   score with its grid and the session's status, and for the acting user the session grant
   (what the API lets them see), an active assessor membership in the session's centre (the
   capability, read fresh), and the conflict declaration of their commission seat for the
   dossier;
2. one ``UPDATE … SET …, version = version + 1 WHERE id = … AND version = … AND <the
   declaration, the membership and the open session, read again>`` whose ``RETURNING`` feeds,
   in the same statement, the grid event and the removal of the grid's signatures. Being a
   new statement after the lock, it sees what a writer that held the grid before us committed
   (a signature, a removed member): what ``score_criterion`` reads after its lock.

It decides the common outcomes: the write, nothing to change and a stale version (both
answered with the score re-read after the lock; a stale version whose change the score
already holds, from the same member, is a resend of an applied change and answered as
saved: ``grids.already_applied``), and a missing justification. Anything else
(no such score in the centre, not visible, no capability, grid signed, session closed, no
seat, no or refused declaration, or the write's guard failing) returns ``None``: the caller
then runs ``score_criterion``, which decides and words the refusal. A rule is thus written
once, and this path only ever accepts what ``score_criterion`` accepts.
"""

import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from centres.roles import ROLE_CAPABILITIES, Capability
from evaluations.access import EVALUATE_CODENAME
from evaluations.models import GridEvent, GridStatus, ScoreState, SessionStatus
from evaluations.services.grids import SCORE_FIELDS, already_applied, check_justification

EVALUATOR_ROLES = sorted(
    role for role, caps in ROLE_CAPABILITIES.items() if Capability.EVALUATE in caps
)


# The columns read by the locked SELECT, in order (a row becomes a dict of these names).
READ_COLUMNS = (
    "grid_id",
    "criterion_id",
    "state",
    "comment",
    "justification",
    "version",
    "grid_status",
    "session_id",
    "dossier_id",
    "session_status",
    "granted",
    "can_evaluate",
    "accepted",
)

# Tables by name (a test checks them against the models' ``db_table``). Scalar sub-queries
# rather than joins: PostgreSQL plans them one by one, in a third of the time (the statements
# are planned on every request: Django does not prepare them).
READ_SQL = """
SELECT s.grid_id, s.criterion_id, s.state, s.comment, s.justification, s.version,
       g.status, g.session_id, g.dossier_id,
       (SELECT es.status FROM evaluations_evaluationsession es WHERE es.id = g.session_id),
       EXISTS (SELECT 1 FROM evaluations_evaluationsessionuserobjectpermission ug
                 JOIN auth_permission p ON p.id = ug.permission_id
                WHERE ug.content_object_id = g.session_id AND ug.user_id = %(user)s
                  AND p.codename = %(codename)s),
       EXISTS (SELECT 1 FROM centres_membership ms
                WHERE ms.user_id = %(user)s AND ms.is_active AND ms.role = ANY(%(roles)s)
                  AND ms.centre_id = (SELECT es.centre_id FROM evaluations_evaluationsession es
                                       WHERE es.id = g.session_id)),
       (SELECT d.accepted FROM evaluations_conflictdeclaration d
         WHERE d.dossier_id = g.dossier_id
           AND d.member_id = (SELECT m.id FROM evaluations_commissionmember m
                               WHERE m.session_id = g.session_id AND m.user_id = %(user)s))
  FROM evaluations_criterionscore s
  JOIN evaluations_grid g ON g.id = s.grid_id
 WHERE s.id = %(score)s AND g.centre_id = %(centre)s
   FOR UPDATE OF g"""

WRITE_SQL = """
WITH upd AS (
    UPDATE evaluations_criterionscore s
       SET state = %(state)s, comment = %(comment)s, justification = %(justification)s,
           version = s.version + 1, updated_by_id = %(user)s, updated_at = %(now)s
     WHERE s.id = %(score)s AND s.version = %(version)s
       AND (SELECT d.accepted FROM evaluations_conflictdeclaration d
             WHERE d.dossier_id = %(dossier)s
               AND d.member_id = (SELECT m.id FROM evaluations_commissionmember m
                                   WHERE m.session_id = %(session)s AND m.user_id = %(user)s))
       AND EXISTS (SELECT 1 FROM centres_membership ms
                    WHERE ms.user_id = %(user)s AND ms.is_active AND ms.role = ANY(%(roles)s)
                      AND ms.centre_id = (SELECT es.centre_id
                                            FROM evaluations_evaluationsession es
                                           WHERE es.id = %(session)s))
       AND (SELECT es.status FROM evaluations_evaluationsession es
             WHERE es.id = %(session)s) <> %(closed)s
 RETURNING s.id, s.version
), event AS (
    INSERT INTO evaluations_gridevent
           (grid_id, score_id, author_id, action, before, after, created_at)
    SELECT %(grid)s, upd.id, %(user)s, 'score', %(before)s::jsonb, %(after)s::jsonb, %(now)s
      FROM upd
), cleared AS (
    DELETE FROM evaluations_gridsignature gs
     WHERE gs.grid_id = %(grid)s AND EXISTS (SELECT 1 FROM upd)
    RETURNING gs.id, gs.member_id, gs.signed_at
)
SELECT upd.version,
       (SELECT array_agg(m.user_id ORDER BY cl.signed_at, cl.id)
          FROM cleared cl JOIN evaluations_commissionmember m ON m.id = cl.member_id)
  FROM upd"""

# The score as it is now, with its author's names (a stale version, or nothing to change).
CURRENT_SQL = """
SELECT s.grid_id, s.criterion_id, s.state, s.comment, s.justification, s.version,
       s.updated_by_id, s.updated_at, u.first_name, u.last_name, u.username
  FROM evaluations_criterionscore s
  LEFT JOIN centres_user u ON u.id = s.updated_by_id
 WHERE s.id = %s"""

CONDITIONAL_SQL = "SELECT conditional <> '' FROM cqpm_criterion WHERE id = %s"


@dataclass(frozen=True)
class Autosaved:
    """What the API answers: the score as saved (or as it is, when ``stale``)."""

    score: dict
    stale: bool = False

    @property
    def version(self) -> int:
        return self.score["version"]


def _score(score_id, grid_id, criterion_id, state, comment, justification, version, *author):
    """The score's fields in ``CriterionScoreSerializer``'s order; ``author``: the author's
    id, the date, then either their name or (first name, last name, username), from which
    the name is made as ``person_name`` does."""
    updated_by, updated_at, *names = author
    if len(names) == 3:
        first_name, last_name, username = names
        full = f"{first_name} {last_name}".strip() if updated_by is not None else ""
        names = [full or (username or "")]
    return {
        "id": score_id,
        "grid": grid_id,
        "criterion": criterion_id,
        "state": state,
        "comment": comment,
        "justification": justification,
        "version": version,
        "updated_by": updated_by,
        "updated_by_name": names[0],
        "updated_at": updated_at,
    }


def _current(cursor, score_id: int) -> dict:
    """Read after the grid's lock, in a new statement: the value the last writer committed."""
    cursor.execute(CURRENT_SQL, [score_id])
    return _score(score_id, *cursor.fetchone())


def _allowed(row: dict, actor) -> bool:
    """Every rule ``score_criterion`` (and the API's queryset) checks before the version."""
    staff = actor.can(Capability.SCHEDULE_EVALUATIONS)
    return (
        (staff or (actor.can(Capability.EVALUATE) and row["granted"]))
        and row["can_evaluate"]
        and getattr(actor.user, "is_active", False)
        and row["grid_status"] != GridStatus.SIGNED
        and row["session_status"] != SessionStatus.CLOSED
        and row["accepted"] is True
    )


def autosave_score(actor, score_id: int, *, expected_version: int, **changes) -> Autosaved | None:
    """Record ``changes`` (``state``, ``comment``, ``justification``; a missing one keeps its
    value) on the score ``score_id`` of the actor's centre, as ``actor``. Returns the saved
    score, the current one with ``stale`` (the version did not match), or ``None`` when
    ``score_criterion`` must decide. Raises ``EvaluationError`` for a missing justification."""
    user = actor.user
    centre = actor.centre
    if connection.vendor != "postgresql" or centre is None or not getattr(user, "pk", None):
        return None
    params = {
        "user": user.pk,
        "score": score_id,
        "centre": centre.pk,
        "codename": EVALUATE_CODENAME,
        "roles": EVALUATOR_ROLES,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(READ_SQL, params)
        found = cursor.fetchone()
        if found is None:
            return None
        row = dict(zip(READ_COLUMNS, found, strict=True))
        if not _allowed(row, actor):
            return None
        if expected_version != row["version"]:
            current = _current(cursor, score_id)
            held = {name: current[name] for name in SCORE_FIELDS}
            wanted = {**held, **changes}
            wanted["state"] = wanted["state"] or ""
            applied = already_applied(
                expected_version, current["version"], current["updated_by"], user.pk, held, wanted
            )
            return Autosaved(current, stale=not applied)
        before = {name: row[name] for name in SCORE_FIELDS}
        after = {**before, **changes}
        after["state"] = after["state"] or ""
        after["comment"] = (after["comment"] or "").strip()
        after["justification"] = (after["justification"] or "").strip()
        if after["state"] == ScoreState.NOT_APPLICABLE and not after["justification"]:
            cursor.execute(CONDITIONAL_SQL, [row["criterion_id"]])
            check_justification(after["state"], cursor.fetchone()[0], after["justification"])
        if before == after:
            return Autosaved(_current(cursor, score_id))  # nothing changed
        now = timezone.now()
        cursor.execute(
            WRITE_SQL,
            {
                **params,
                **after,
                "now": now,
                "version": expected_version,
                "grid": row["grid_id"],
                "session": row["session_id"],
                "dossier": row["dossier_id"],
                "closed": SessionStatus.CLOSED,
                "before": json.dumps(before),
                "after": json.dumps(after),
            },
        )
        written = cursor.fetchone()
        if written is None:
            # A right went away while we waited for the lock: score_criterion words it.
            return None
        version, signed = written
        if signed:
            GridEvent.objects.create(
                grid_id=row["grid_id"],
                author=user,
                action="signatures_cleared",
                before={"signed_by": list(signed)},
            )
    score = (score_id, row["grid_id"], row["criterion_id"], *after.values(), version)
    return Autosaved(_score(*score, user.pk, now, user.get_full_name() or user.username))
