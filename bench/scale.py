"""National-scale volume generator (``manage.py seed_scale``), PostgreSQL only.

Entities are written with PostgreSQL ``COPY`` (psycopg 3 ``cursor.copy``) with ids assigned
here, so rows can point at each other without a round trip; the wide derived tables
(competences of a dossier, grids, criterion scores, avis items, decision competences) are
filled server side by ``INSERT … SELECT`` joins. Every random choice comes from one
``random.Random(seed)``: the same seed on an empty database gives the same rows (dates are
relative to the day of the generation).

Default volume (40 centres, 100,000 dossiers over five years): ~100k candidates and
dossiers, ~800k dossier competences, ~9k evaluation sessions, ~550k grids, ~7M criterion
scores, ~40k avis, 1,000 jury sessions with ~55k agenda items and decisions, ~100k
generated-document rows (not rendered) and the certificate register.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import connection, models, transaction
from django_scopes import scopes_disabled

from bench.scale_data import CITIES, COMPANY_WORDS, FIRST_F, FIRST_M, SURNAMES
from bench.scale_juries import JuriesAndDocuments

PARIS = ZoneInfo("Europe/Paris")
PREFIX = "scale"
PASSWORD = "bench-password-2026"  # noqa: S105 - documented bench-only password

REFERENTIAL = Path(settings.BASE_DIR) / "cqpm/referentials/manager-secteur-activites.json"

ROUTES = [
    ("salarie", 40),
    ("apprenti", 20),
    ("contrat_pro", 15),
    ("demandeur_emploi", 10),
    ("vae", 10),
    ("candidat_libre", 5),
]
NO_COMPANY = {"vae", "candidat_libre"}
EVALUATED = {"in_evaluation", "ready_for_jury", "decided", "closed"}
DECIDED = {"decided", "closed"}


class ScaleError(Exception):
    pass


@dataclass
class Ids:
    """Next id per table, read once (ids are assigned here, sequences set at the end)."""

    next: dict = field(default_factory=dict)

    def take(self, model, count: int) -> int:
        table = model._meta.db_table
        if table not in self.next:
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')  # noqa: S608
                self.next[table] = cursor.fetchone()[0]
        start = self.next[table]
        self.next[table] += count
        return start


def _defaults(model, columns):
    """Values for the concrete columns not given: default, "" for blank text, else NULL."""
    from psycopg.types.json import Jsonb

    extra_cols, extra_vals = [], []
    for f in model._meta.concrete_fields:
        if f.column in columns or f.primary_key:
            continue
        if f.has_default():
            value = f.get_default()
        elif isinstance(f, models.CharField | models.TextField | models.FileField) and not f.null:
            value = ""
        elif f.null:
            value = None
        else:
            raise ScaleError(f"{model.__name__}.{f.name} needs a value")
        if isinstance(f, models.JSONField):
            value = Jsonb(value)
        extra_cols.append(f.column)
        extra_vals.append(value)
    return extra_cols, tuple(extra_vals)


def copy_rows(model, columns: list[str], rows) -> int:
    """COPY ``rows`` (tuples in ``columns`` order) into ``model``'s table."""
    extra_cols, extra_vals = _defaults(model, columns)
    names = ", ".join(f'"{c}"' for c in [*columns, *extra_cols])
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f'COPY "{model._meta.db_table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row((*row, *extra_vals))
                count += 1
    return count


def sql(statement: str, params=None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.rowcount


def _weighted(rng, choices):
    total = sum(w for _c, w in choices)
    pick = rng.uniform(0, total)
    for value, weight in choices:
        pick -= weight
        if pick <= 0:
            return value
    return choices[-1][0]


def _status_for_age(rng, days: int) -> str:
    if days > 365:
        return _weighted(rng, [("closed", 25), ("decided", 65), ("withdrawn", 10)])
    if days > 180:
        return _weighted(rng, [("ready_for_jury", 25), ("decided", 65), ("withdrawn", 10)])
    if days > 60:
        return _weighted(rng, [("in_evaluation", 60), ("agreed", 30), ("ready_for_jury", 10)])
    return _weighted(rng, [("draft", 40), ("submitted", 40), ("agreed", 20)])


def ensure_referential():
    from cqpm.loader import load_referential, read_referential_file
    from cqpm.models import ReferentialVersion

    version = (
        ReferentialVersion.objects.filter(status=ReferentialVersion.Status.PUBLISHED)
        .select_related("qualification")
        .order_by("id")
        .first()
    )
    if version is None:
        load_referential(read_referential_file(REFERENTIAL))
        return ensure_referential()
    return version


class Generator(JuriesAndDocuments):
    def __init__(
        self, *, centres: int, dossiers: int, seed: int, jury_sessions: int, log, weights=None
    ):
        self.weights = weights  # share of the dossiers per centre (uniform by default)
        self.n_centres, self.n_dossiers, self.seed = centres, dossiers, seed
        self.n_jury_sessions = jury_sessions
        self.rng = random.Random(seed)
        self.log = log
        self.ids = Ids()
        self.counts: dict[str, int] = {}
        today = datetime.datetime.now(tz=PARIS).date()
        self.anchor = datetime.datetime(today.year, today.month, today.day, 9, tzinfo=PARIS)

    copy_rows = staticmethod(lambda *a: copy_rows(*a))
    sql = staticmethod(lambda *a: sql(*a))

    # -- helpers ---------------------------------------------------------------------------
    def when(self, days_ago: float, hour: int = 9) -> datetime.datetime:
        return self.anchor - datetime.timedelta(days=days_ago) + datetime.timedelta(hours=hour - 9)

    def step(self, name: str, count: int, started: float):
        self.counts[name] = self.counts.get(name, 0) + count
        self.log(f"  {name:<28} {count:>10,} rows  {time.monotonic() - started:6.1f} s")

    # -- run -------------------------------------------------------------------------------
    def run(self) -> dict:
        from centres.models import Centre

        if connection.vendor != "postgresql":
            raise ScaleError(
                "seed_scale needs PostgreSQL (COPY): set DATABASE_URL=postgres://… "
                f"(current database: {connection.vendor})."
            )
        with scopes_disabled():
            if Centre.objects.filter(slug__startswith=f"{PREFIX}-").exists():
                raise ScaleError(
                    "This database already holds a generated volume (centres scale-…): "
                    "use a fresh database (e.g. dropdb/createdb then migrate)."
                )
            self.version = ensure_referential()
            self._referential()
            with transaction.atomic():
                self._tenants()
                self._candidates_and_dossiers()
                self._evaluations()
                self._juries()
                self._documents()
                self._sequences()
            started = time.monotonic()
            with connection.cursor() as cursor:
                # what follows a bulk load: statistics, and the visibility map that lets
                # PostgreSQL answer counts from an index alone (autovacuum may be off, as on
                # the CI machines)
                # (VACUUM cannot run inside a transaction: the tests generate inside theirs)
                in_transaction = connection.in_atomic_block
                cursor.execute("ANALYZE" if in_transaction else "VACUUM (ANALYZE)")
            self.log(f"  VACUUM/ANALYZE {time.monotonic() - started:.1f} s")
        return self.counts

    def _referential(self):
        from cqpm.models import Competence, Criterion, EvaluationModality

        self.competences = list(
            Competence.objects.filter(version=self.version)
            .order_by("number")
            .values_list("id", "bloc_id")
        )
        self.criteria_count = Criterion.objects.filter(competence__version=self.version).count()
        modality = EvaluationModality.objects.filter(version=self.version).order_by("id").first()
        self.modality_id = modality.id if modality else None
        if not self.competences:
            raise ScaleError("The published referential has no competence.")

    # -- tenants: centres, users, memberships, companies -----------------------------------
    def _tenants(self):
        from centres.models import Centre, Company, Membership, User

        started = time.monotonic()
        centres = [
            Centre(
                name=f"UIMM {CITIES[i % len(CITIES)]} {i + 1:02d} (volume)",
                slug=f"{PREFIX}-{i + 1:02d}",
                region="Volume de test",
                city=CITIES[i % len(CITIES)],
            )
            for i in range(self.n_centres)
        ]
        Centre.objects.bulk_create(centres)
        self.centres = list(
            Centre.objects.filter(slug__startswith=f"{PREFIX}-")
            .order_by("slug")
            .values_list("id", flat=True)
        )
        password = make_password(PASSWORD)
        users, memberships_spec = [], []
        for index, centre_id in enumerate(self.centres):
            tag = f"{PREFIX}-{index + 1:02d}"
            specs = [("staff", "staff", 1), ("assessor", "assessor", 6), ("juror", "juror", 6)]
            for role, stem, how_many in specs:
                for k in range(how_many):
                    sex = "F" if k % 2 else "M"
                    first = self.rng.choice(FIRST_F if sex == "F" else FIRST_M)
                    username = f"{tag}-{stem}{k + 1 if how_many > 1 else ''}"
                    users.append(
                        User(
                            username=username,
                            password=password,
                            first_name=first,
                            last_name=self.rng.choice(SURNAMES).title(),
                            email=f"{username}@volume.invalid",
                        )
                    )
                    memberships_spec.append((username, centre_id, role))
        User.objects.bulk_create(users, batch_size=1000)
        by_name = dict(
            User.objects.filter(username__startswith=f"{PREFIX}-").values_list("username", "id")
        )
        Membership.objects.bulk_create(
            [Membership(user_id=by_name[u], centre_id=c, role=r) for u, c, r in memberships_spec],
            batch_size=1000,
        )
        self.assessors: dict[int, list[int]] = {c: [] for c in self.centres}
        self.jurors: dict[int, list[int]] = {c: [] for c in self.centres}
        self.staff: dict[int, int] = {}
        for username, centre_id, role in memberships_spec:
            if role == "assessor":
                self.assessors[centre_id].append(by_name[username])
            elif role == "juror":
                self.jurors[centre_id].append(by_name[username])
            else:
                self.staff[centre_id] = by_name[username]
        companies = []
        for centre_id in self.centres:
            for k in range(50):
                word = COMPANY_WORDS[(k + centre_id) % len(COMPANY_WORDS)]
                companies.append(
                    Company(
                        centre_id=centre_id,
                        name=f"{word} {self.rng.choice(SURNAMES).title()} {k + 1}",
                        city=self.rng.choice(CITIES),
                    )
                )
        Company.objects.bulk_create(companies, batch_size=2000)
        self.companies: dict[int, list[int]] = {c: [] for c in self.centres}
        for company_id, centre_id in (
            Company.objects.filter(centre_id__in=self.centres)
            .order_by("id")
            .values_list("id", "centre_id")
        ):
            self.companies[centre_id].append(company_id)
        self.step("centres", len(centres), started)
        self.step("users + memberships", len(users), started)
        self.step("companies", len(companies), started)

    # -- candidates and dossiers -----------------------------------------------------------
    def _candidates_and_dossiers(self):
        from candidates.models import Candidate, Dossier, DossierCompetence

        started = time.monotonic()
        rng = self.rng
        n = self.n_dossiers
        first_candidate = self.ids.take(Candidate, n)
        first_dossier = self.ids.take(Dossier, n)
        candidates, dossiers = [], []
        self.dossiers: list[tuple] = []  # (id, centre_id, status, created_at, company_id)
        for i in range(n):
            if self.weights:
                centre_index = rng.choices(range(self.n_centres), weights=self.weights)[0]
            else:
                centre_index = rng.randrange(self.n_centres)
            centre_id = self.centres[centre_index]
            days = rng.uniform(0, 5 * 365)
            created = self.when(days, hour=8 + rng.randrange(10))
            sex = "F" if rng.random() < 0.3 else "M"
            first = rng.choice(FIRST_F if sex == "F" else FIRST_M)
            birth_name = rng.choice(SURNAMES)
            if rng.random() < 0.25:
                birth_name = f"{birth_name}-{rng.choice(SURNAMES)}"
            usage = rng.choice(SURNAMES) if sex == "F" and rng.random() < 0.3 else ""
            birth = datetime.date(
                1960 + rng.randrange(45), 1 + rng.randrange(12), 1 + rng.randrange(28)
            )
            route = _weighted(rng, ROUTES)
            cand_id = first_candidate + i
            staff = self.staff[centre_id]
            candidates.append(
                (
                    cand_id, centre_id, birth_name, usage, first, sex, birth,
                    rng.choice(CITIES), f"{1 + rng.randrange(95):02d}", "France",
                    f"{first.lower()}.{cand_id}@volume.invalid", route, 1, staff, created, created,
                )
            )  # fmt: skip
            status = _status_for_age(rng, int(days))
            company = None if route in NO_COMPANY else rng.choice(self.companies[centre_id])
            submitted = created + datetime.timedelta(days=3) if status != "draft" else None
            agreed = (
                created + datetime.timedelta(days=10)
                if status not in {"draft", "submitted"}
                else None
            )
            closed = created + datetime.timedelta(days=330) if status == "closed" else None
            dossier_id = first_dossier + i
            dossiers.append(
                (
                    dossier_id, centre_id, cand_id, self.version.id, "whole", route, company,
                    "Tuteur " + rng.choice(SURNAMES).title() if company else "",
                    status, submitted, agreed, closed, 1, staff, created, created,
                )
            )  # fmt: skip
            self.dossiers.append((dossier_id, centre_id, status, created, company))
        n1 = copy_rows(
            Candidate,
            ["id", "centre_id", "birth_name", "usage_name", "first_names", "sex", "birth_date",
             "birth_commune", "birth_department", "birth_country", "email", "access_status",
             "version", "created_by_id", "created_at", "updated_at"],
            candidates,
        )  # fmt: skip
        self.step("candidates", n1, started)
        n2 = copy_rows(
            Dossier,
            ["id", "centre_id", "candidate_id", "referential_version_id", "target",
             "access_route", "company_id", "tutor_name", "status", "submitted_at", "agreed_at",
             "closed_at", "version", "created_by_id", "created_at", "updated_at"],
            dossiers,
        )  # fmt: skip
        self.step("dossiers", n2, started)
        n3 = sql(
            f"""
            INSERT INTO "{DossierCompetence._meta.db_table}"
                (dossier_id, competence_id, modality_id, report_deadline)
            SELECT d.id, c.id, %s, NULL
            FROM "{Dossier._meta.db_table}" d
            JOIN cqpm_competence c ON c.version_id = d.referential_version_id
            WHERE d.id >= %s AND d.id < %s AND d.status NOT IN ('draft', 'submitted')
            ORDER BY d.id, c.number
            """,  # noqa: S608
            [self.modality_id, first_dossier, first_dossier + n],
        )
        self.step("dossier competences", n3, started)

    # -- evaluations -----------------------------------------------------------------------
    def _evaluations(self):
        from evaluations.models import (
            CommissionMember,
            CompanyOpinion,
            ConflictDeclaration,
            EvaluationSession,
            EvaluationSessionUserObjectPermission,
            SessionDossier,
        )

        started = time.monotonic()
        evaluate = Permission.objects.get(
            content_type__app_label="evaluations", codename="evaluate_session"
        )
        by_centre: dict[int, list[tuple]] = {c: [] for c in self.centres}
        for row in self.dossiers:
            if row[2] in EVALUATED:
                by_centre[row[1]].append(row)
        sessions, links, members, declarations, grants = [], [], [], [], []
        self.session_of: dict[int, int] = {}
        n_sessions = sum((len(v) + 7) // 8 for v in by_centre.values())
        session_id = self.ids.take(EvaluationSession, n_sessions)
        n_members = n_sessions * 2
        member_id = self.ids.take(CommissionMember, n_members)
        grant_id = self.ids.take(EvaluationSessionUserObjectPermission, n_members)
        for centre_id, rows in by_centre.items():
            rows.sort(key=lambda r: (r[3], r[0]))
            assessors = self.assessors[centre_id]
            for chunk_start in range(0, len(rows), 8):
                chunk = rows[chunk_start : chunk_start + 8]
                open_ = any(r[2] == "in_evaluation" for r in chunk)
                starts = max(r[3] for r in chunk) + datetime.timedelta(days=45)
                if open_:
                    starts = min(starts, self.anchor + datetime.timedelta(days=7))
                sessions.append(
                    (
                        session_id, centre_id, f"Évaluation {session_id}", starts,
                        starts + datetime.timedelta(hours=8), "Atelier du centre", "real_work",
                        "in_progress" if open_ else "closed", 1, self.staff[centre_id],
                        starts - datetime.timedelta(days=20), starts,
                    )
                )  # fmt: skip
                pair = self.rng.sample(assessors, 2)
                for user_id in pair:
                    members.append(
                        (member_id, session_id, user_id, True, self.staff[centre_id], starts)
                    )
                    grants.append((grant_id, evaluate.id, user_id, session_id))
                    for r in chunk:
                        declarations.append(
                            (
                                member_id,
                                r[0],
                                "none",
                                "Je déclare n'avoir aucun lien.",
                                True,
                                starts,
                            )
                        )
                    member_id += 1
                    grant_id += 1
                for r in chunk:
                    links.append((session_id, r[0], self.staff[centre_id], starts, starts))
                    self.session_of[r[0]] = session_id
                session_id += 1
        copy_rows(
            EvaluationSession,
            ["id", "centre_id", "label", "starts_at", "ends_at", "place", "modality", "status",
             "version", "created_by_id", "created_at", "updated_at"],
            sessions,
        )  # fmt: skip
        self.step("evaluation sessions", len(sessions), started)
        copy_rows(
            SessionDossier,
            ["session_id", "dossier_id", "added_by_id", "added_at", "convoked_at"],
            links,
        )
        self.step("session dossiers", len(links), started)
        copy_rows(
            CommissionMember,
            ["id", "session_id", "user_id", "present", "added_by_id", "added_at"],
            members,
        )
        copy_rows(
            EvaluationSessionUserObjectPermission,
            ["id", "permission_id", "user_id", "content_object_id"],
            grants,
        )
        self.step("commission members + grants", len(members), started)
        copy_rows(
            ConflictDeclaration,
            ["member_id", "dossier_id", "declared_link", "statement", "accepted", "signed_at"],
            declarations,
        )
        self.step("conflict declarations", len(declarations), started)
        self._grids(started)
        opinions = []
        opinion_id = self.ids.take(
            CompanyOpinion, sum(1 for r in self.dossiers if r[2] in EVALUATED and r[4])
        )
        for r in self.dossiers:
            if r[2] in EVALUATED and r[4]:
                signed_at = r[3] + datetime.timedelta(days=60)
                opinions.append(
                    (opinion_id, r[1], r[0], r[4], "signed", "tutor", "Candidat investi.",
                     signed_at, 1, signed_at, signed_at)
                )  # fmt: skip
                opinion_id += 1
        copy_rows(
            CompanyOpinion,
            ["id", "centre_id", "dossier_id", "company_id", "status", "author_capacity",
             "general_comment", "signed_at", "version", "created_at", "updated_at"],
            opinions,
        )  # fmt: skip
        self.step("company opinions", len(opinions), started)
        n_items = sql(
            """
            INSERT INTO evaluations_companyopinionitem (opinion_id, competence_id, value, comment)
            SELECT o.id, c.id,
                   CASE WHEN (o.id * 7 + c.id) %% 11 = 0 THEN 'reserved' ELSE 'favourable' END, ''
            FROM evaluations_companyopinion o
            JOIN candidates_dossier d ON d.id = o.dossier_id
            JOIN cqpm_competence c ON c.version_id = d.referential_version_id
            WHERE o.id >= %s ORDER BY o.id, c.number
            """,
            [opinion_id - len(opinions)],
        )
        self.step("company opinion items", n_items, started)

    def _grids(self, started):
        from evaluations.models import Grid

        first = self.ids.take(Grid, 0)
        n = sql(
            """
            INSERT INTO evaluations_grid (centre_id, session_id, dossier_id, competence_id,
                status, proposal, proposal_justification, version, locked_at, created_at,
                updated_at, proposal_at)
            SELECT s.centre_id, s.id, sd.dossier_id, c.id,
                   CASE WHEN s.status = 'closed' THEN 'signed' ELSE 'open' END,
                   CASE WHEN s.status = 'closed' THEN
                        CASE WHEN (sd.dossier_id + c.id) %% 9 = 0 THEN 'non_acquise'
                             ELSE 'acquise' END
                        ELSE '' END,
                   CASE WHEN s.status = 'closed' AND (sd.dossier_id + c.id) %% 9 = 0
                        THEN 'Critères essentiels non satisfaits.' ELSE '' END,
                   1, CASE WHEN s.status = 'closed' THEN s.ends_at END,
                   s.starts_at, s.starts_at,
                   CASE WHEN s.status = 'closed' THEN s.ends_at END
            FROM evaluations_sessiondossier sd
            JOIN evaluations_evaluationsession s ON s.id = sd.session_id
            JOIN candidates_dossier d ON d.id = sd.dossier_id
            JOIN cqpm_competence c ON c.version_id = d.referential_version_id
            WHERE s.id IN (SELECT id FROM evaluations_evaluationsession WHERE centre_id = ANY(%s))
            ORDER BY sd.dossier_id, c.number
            """,
            [self.centres],
        )
        self.step("grids", n, started)
        n = sql(
            """
            INSERT INTO evaluations_criterionscore (grid_id, criterion_id, state, comment,
                justification, version, updated_at, updated_by_id)
            SELECT g.id, k.id,
                   CASE WHEN g.status = 'open' AND (g.id + k.id) %% 3 = 0 THEN ''
                        WHEN (g.id * 7 + k.id) %% 13 = 0 THEN 'not_satisfied'
                        ELSE 'satisfied' END,
                   '', '', 1, g.updated_at, NULL
            FROM evaluations_grid g
            JOIN cqpm_criterion k ON k.competence_id = g.competence_id
            WHERE g.id >= %s ORDER BY g.id, k."order", k.id
            """,
            [first],
        )
        self.step("criterion scores", n, started)

    def _sequences(self):
        with connection.cursor() as cursor:
            for table in self.ids.next:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))',  # noqa: S608
                    [table],
                )


def generate(
    *, centres=40, dossiers=100_000, seed=1, jury_sessions=1000, log=print, weights=None
) -> dict:
    generator = Generator(
        centres=centres,
        dossiers=dossiers,
        seed=seed,
        jury_sessions=jury_sessions,
        log=log,
        weights=weights,
    )
    return generator.run()
