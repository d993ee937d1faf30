"""Jury sessions, decisions and document rows of the volume generator (``bench/scale.py``)."""

import datetime
import hashlib
import time

from django.contrib.auth.models import Permission
from django.db import connection

DECIDED = {"decided", "closed"}
PREFIX = "scale"


def _weighted(rng, choices):
    total = sum(w for _c, w in choices)
    pick = rng.uniform(0, total)
    for value, weight in choices:
        pick -= weight
        if pick <= 0:
            return value
    return choices[-1][0]


class JuriesAndDocuments:
    """Mixin of ``bench.scale.Generator`` (uses its ``copy_rows``/``sql`` via ``self``)."""

    # -- juries ----------------------------------------------------------------------------
    def _juries(self):
        from juries.models import (
            AgendaItem,
            Decision,
            JuryMember,
            JurySession,
            JurySessionUserObjectPermission,
        )

        started = time.monotonic()
        sit = Permission.objects.get(
            content_type__app_label="juries", codename="sit_on_jury_session"
        )
        per_centre = max(1, self.n_jury_sessions // self.n_centres)
        extra = max(0, self.n_jury_sessions - per_centre * self.n_centres)
        sessions, members, grants, items, decisions = [], [], [], [], []
        n_sessions = per_centre * self.n_centres + extra
        session_id = self.ids.take(JurySession, n_sessions)
        member_id = self.ids.take(JuryMember, n_sessions * 5)
        grant_id = self.ids.take(JurySessionUserObjectPermission, n_sessions * 5)
        juried = [r for r in self.dossiers if r[2] in DECIDED or r[2] == "ready_for_jury"]
        by_centre: dict[int, list[tuple]] = {c: [] for c in self.centres}
        for r in juried:
            by_centre[r[1]].append(r)
        item_id = self.ids.take(AgendaItem, len(juried))
        decision_id = self.ids.take(Decision, sum(1 for r in juried if r[2] in DECIDED))
        self.decisions: list[tuple] = []  # (decision id, centre, dossier, outcome, date)
        qualification_id = self.version.qualification_id
        for index, centre_id in enumerate(self.centres):
            count = per_centre + (1 if index < extra else 0)
            rows = sorted(by_centre[centre_id], key=lambda r: (r[3], r[0]))
            size = max(1, -(-len(rows) // count))
            jurors = self.jurors[centre_id]
            for k in range(count):
                chunk = rows[k * size : (k + 1) * size]
                decided = bool(chunk) and all(r[2] in DECIDED for r in chunk)
                if chunk:
                    starts = max(r[3] for r in chunk) + datetime.timedelta(days=200)
                else:
                    starts = self.anchor + datetime.timedelta(days=30 + k)
                if not decided:
                    starts = max(starts, self.anchor + datetime.timedelta(days=20))
                starts = starts.replace(hour=14, minute=0)
                sessions.append(
                    (
                        session_id, centre_id, qualification_id, f"Jury {session_id}", starts,
                        "Salle du conseil", "closed" if decided else "planned",
                        starts - datetime.timedelta(days=20), starts if decided else None,
                        starts if decided else None, starts if decided else None,
                        self.staff[centre_id] if decided else None, 1, self.staff[centre_id],
                        starts - datetime.timedelta(days=40), starts,
                    )
                )  # fmt: skip
                for seat, user_id in enumerate(jurors[:5]):
                    college = "employer" if seat % 2 == 0 else "employee"
                    members.append(
                        (member_id, session_id, user_id, college, "F" if seat % 2 else "M",
                         seat == 0, seat == 0, "present" if decided else "unknown",
                         starts - datetime.timedelta(days=20))
                    )  # fmt: skip
                    grants.append((grant_id, sit.id, user_id, session_id))
                    member_id += 1
                    grant_id += 1
                for position, r in enumerate(chunk):
                    items.append((item_id, session_id, r[0], position + 1, False, starts))
                    if r[2] in DECIDED:
                        outcome = _weighted(
                            self.rng, [("awarded", 75), ("partial", 15), ("not_awarded", 10)]
                        )
                        decisions.append(
                            (decision_id, centre_id, item_id, r[0], outcome, starts, starts, 1)
                        )
                        self.decisions.append((decision_id, centre_id, r[0], outcome, starts))
                        decision_id += 1
                    item_id += 1
                session_id += 1
        self.copy_rows(
            JurySession,
            ["id", "centre_id", "qualification_id", "label", "starts_at", "place", "status",
             "invitations_sent_at", "opened_at", "deliberation_started_at", "closed_at",
             "closed_by_id", "version", "created_by_id", "created_at", "updated_at"],
            sessions,
        )  # fmt: skip
        self.step("jury sessions", len(sessions), started)
        self.copy_rows(
            JuryMember,
            ["id", "session_id", "user_id", "college", "sex", "is_president",
             "qualified_for_certification", "attendance", "invited_at"],
            members,
        )  # fmt: skip
        self.copy_rows(
            JurySessionUserObjectPermission,
            ["id", "permission_id", "user_id", "content_object_id"],
            grants,
        )
        self.step("jury members + grants", len(members), started)
        self.copy_rows(
            AgendaItem,
            ["id", "session_id", "dossier_id", "position", "candidate_absent", "added_at"],
            items,
        )
        self.step("agenda items", len(items), started)
        self.copy_rows(
            Decision,
            ["id", "centre_id", "item_id", "dossier_id", "outcome", "decided_at", "frozen_at",
             "version"],
            decisions,
        )  # fmt: skip
        self.step("decisions", len(decisions), started)
        n = self.sql(
            """
            INSERT INTO juries_decisioncompetence (decision_id, competence_id, source, acquired,
                votes_for, votes_against, casting_vote)
            SELECT x.id, c.id, 'evaluated',
                   x.outcome = 'awarded' OR (x.outcome = 'partial' AND c.number %% 2 = 1),
                   CASE WHEN x.outcome = 'awarded' THEN 5 ELSE 2 END,
                   CASE WHEN x.outcome = 'awarded' THEN 0 ELSE 3 END, false
            FROM juries_decision x
            JOIN candidates_dossier d ON d.id = x.dossier_id
            JOIN cqpm_competence c ON c.version_id = d.referential_version_id
            WHERE x.id >= %s ORDER BY x.id, c.number
            """,
            [decision_id - len(decisions)],
        )
        self.step("decision competences", n, started)

    # -- documents (rows only, nothing rendered) -------------------------------------------
    def _documents(self):
        from documents.models import CertificateCounter, CertificateRecord, GeneratedDocument

        started = time.monotonic()
        q = self.version.qualification
        awarded = [d for d in self.decisions if d[3] == "awarded"]
        cert_id = self.ids.take(CertificateRecord, len(awarded))
        doc_id = self.ids.take(GeneratedDocument, len(self.decisions) + len(awarded))
        names = {r[0]: r for r in self._candidate_names([d[2] for d in awarded])}
        sequences: dict[tuple[int, int], int] = {}
        certificates, documents = [], []
        for decision_id, centre_id, dossier_id, _outcome, day in awarded:
            year = day.year
            seq = sequences.get((centre_id, year), 0) + 1
            sequences[(centre_id, year)] = seq
            _d, first, last, birth = names[dossier_id]
            code = hashlib.sha256(f"{self.seed}-{cert_id}".encode()).hexdigest()[:16].upper()
            certificates.append(
                (
                    cert_id, centre_id, "certificate", f"{PREFIX}-{centre_id}-{year}-{seq:05d}",
                    year, seq, code, "juries.decision", str(decision_id), first, last, birth,
                    q.title, q.code, f"v{self.version.number}", q.certifier or "UIMM",
                    q.rncp_code, q.level, q.european_level, day.date(), day.date(),
                    "Centre", day,
                )
            )  # fmt: skip
            documents.append(
                (doc_id, centre_id, "certificate", "documents.certificaterecord", str(cert_id),
                 "Parchemin", "ready", 1, cert_id, day, day, day)
            )  # fmt: skip
            cert_id += 1
            doc_id += 1
        for decision_id, centre_id, _dossier, _outcome, day in self.decisions:
            documents.append(
                (doc_id, centre_id, "result_letter", "juries.decision", str(decision_id),
                 "Courrier de résultat", "ready", 1, None, day, day, day)
            )  # fmt: skip
            doc_id += 1
        self.copy_rows(
            CertificateRecord,
            ["id", "centre_id", "kind", "number", "year", "sequence", "verification_code",
             "subject_type", "subject_id", "holder_first_name", "holder_last_name",
             "holder_birth_date", "qualification_title", "qualification_code",
             "referential_version", "certifier", "rncp_number", "level_national",
             "level_european", "jury_date", "issued_on", "issued_place", "created_at"],
            certificates,
        )  # fmt: skip
        CertificateCounter.objects.bulk_create(
            [
                CertificateCounter(centre_id=c, year=y, last_value=v)
                for (c, y), v in sequences.items()
            ]
        )
        self.step("certificate records", len(certificates), started)
        self.copy_rows(
            GeneratedDocument,
            ["id", "centre_id", "kind", "subject_type", "subject_id", "label", "status",
             "attempts", "certificate_id", "created_at", "updated_at", "rendered_at"],
            documents,
        )  # fmt: skip
        self.step("generated documents", len(documents), started)

    def _candidate_names(self, dossier_ids):
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT d.id, c.first_names, c.birth_name, c.birth_date
                   FROM candidates_dossier d JOIN candidates_candidate c ON c.id = d.candidate_id
                   WHERE d.id = ANY(%s)""",
                [list(dossier_ids)],
            )
            return cursor.fetchall()
