"""Load a referential document into the database, and export a version back to it.

``load_referential`` validates the whole document first (``cqpm.validation``), then writes it
in one transaction: all or nothing. Loading the same version twice changes nothing; a
published (or archived) version whose content differs from the file is refused, because a
published version is immutable. ``export_referential`` writes exactly the format it reads,
so export → load into an empty database → export gives the same JSON.

Qualification metadata (CQPM code, RNCP number, level…) are not versioned: a national
administrator fills them in the admin. A file creates them with the qualification and later
only fills fields that are still empty, never overwriting what an administrator entered.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import fold
from cqpm import audit
from cqpm.errors import ReferentialError
from cqpm.models import (
    Bloc,
    Competence,
    Condition,
    Criterion,
    EvaluationModality,
    ExpectedResult,
    Knowledge,
    Qualification,
    ReferentialVersion,
    immutable_error,
)
from cqpm.selectors import with_tree
from cqpm.validation import (
    FORMAT_VERSION,
    ReferentialValidationError,
    content_of,
    validate_referential,
)

QUALIFICATION_FIELDS = (
    "code",
    "title",
    "rncp_code",
    "level",
    "european_level",
    "rncp_registered",
    "registration_decision_date",
    "certifier",
    "description",
)


# --- Reading -------------------------------------------------------------------------------


def parse_referential_text(text: str):
    """The JSON value of ``text``, or a French error naming the line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReferentialValidationError(
            [
                _("JSON invalide, ligne %(line)d, colonne %(col)d : %(msg)s")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ]
        ) from exc


def read_referential_file(path) -> object:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReferentialError(
            _("Impossible de lire le fichier %(path)s : %(error)s")
            % {"path": path, "error": exc.strerror or exc},
            code="unreadable_file",
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReferentialValidationError(
            [_("le fichier n'est pas encodé en UTF-8 (octet %(pos)d)") % {"pos": exc.start}]
        ) from exc
    return parse_referential_text(text)


# --- Exporting -----------------------------------------------------------------------------


def _opt(value):
    return value if value not in ("", None) else None


def export_qualification(qualification: Qualification) -> dict:
    date = qualification.registration_decision_date
    return {
        "slug": qualification.slug,
        "code": _opt(qualification.code),
        "title": qualification.title,
        "rncp_code": _opt(qualification.rncp_code),
        "level": _opt(qualification.level),
        "european_level": _opt(qualification.european_level),
        "rncp_registered": qualification.rncp_registered,
        "registration_decision_date": date.isoformat() if date else None,
        "certifier": _opt(qualification.certifier),
        "description": _opt(qualification.description),
    }


def _export_competence(competence: Competence) -> dict:
    return {
        "code": competence.code,
        "number": competence.number,
        "title": competence.title,
        "short_title": competence.short_title,
        "conditions": [c.text for c in competence.conditions.all()],
        "criteria": [
            {"category": c.category, "text": c.text, "conditional": c.conditional or None}
            for c in competence.criteria.all()
        ],
        "expected_results": [r.text for r in competence.expected_results.all()],
        "knowledge": [k.text for k in competence.knowledge.all()],
    }


def export_tree(version: ReferentialVersion) -> dict:
    """The document of a version whose tree is prefetched (``selectors.with_tree``)."""
    return {
        "format": FORMAT_VERSION,
        "qualification": export_qualification(version.qualification),
        "version": version.number,
        "status": version.status,
        "credit_validity_months": {
            "competence": version.competence_credit_months,
            "bloc": version.bloc_credit_months,
        },
        "modalities": [
            {
                "code": m.code,
                "label": m.label,
                "description": _opt(m.description),
                "requires_report": m.requires_report,
            }
            for m in version.modalities.all()
        ],
        "blocs": [
            {
                "code": b.code,
                "rncp_code": _opt(b.rncp_code),
                "title": b.title,
                "description": _opt(b.description),
                "competences": [_export_competence(c) for c in b.competences.all()],
            }
            for b in version.blocs.all()
        ],
    }


def export_referential(version: ReferentialVersion) -> dict:
    """The document of ``version`` (re-read from the database with its whole tree)."""
    return export_tree(with_tree(ReferentialVersion.objects.filter(pk=version.pk)).get())


def dumps(document: dict) -> str:
    """The JSON text of a document, as the data files are written."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# --- Writing -------------------------------------------------------------------------------


def write_content(version: ReferentialVersion, content: dict) -> None:
    """Create the content of an empty draft ``version`` from canonical ``content``.

    Bulk inserts (a constant number of queries); the model-level guard is bypassed, so
    callers only ever write into a draft they have locked.
    """
    assert version.status == ReferentialVersion.Status.DRAFT
    EvaluationModality.objects.bulk_create(
        EvaluationModality(
            version=version,
            code=m["code"],
            label=m["label"],
            description=m["description"] or "",
            requires_report=m["requires_report"],
            order=i,
        )
        for i, m in enumerate(content["modalities"])
    )
    blocs = Bloc.objects.bulk_create(
        Bloc(
            version=version,
            code=b["code"],
            rncp_code=b["rncp_code"] or "",
            title=b["title"],
            description=b["description"] or "",
            order=i,
        )
        for i, b in enumerate(content["blocs"])
    )
    pairs = [
        (c, bloc) for bloc, b in zip(blocs, content["blocs"], strict=True) for c in b["competences"]
    ]
    competences = Competence.objects.bulk_create(
        Competence(
            version=version,
            bloc=bloc,
            code=c["code"],
            number=c["number"],
            title=c["title"],
            short_title=c["short_title"],
            order=i,
        )
        for i, (c, bloc) in enumerate(pairs)
    )
    items = {Condition: [], Criterion: [], ExpectedResult: [], Knowledge: []}
    for competence, (c, _bloc) in zip(competences, pairs, strict=True):
        for i, text in enumerate(c["conditions"]):
            items[Condition].append(Condition(competence=competence, text=text, order=i))
        for i, cr in enumerate(c["criteria"]):
            items[Criterion].append(
                Criterion(
                    competence=competence,
                    category=cr["category"],
                    text=cr["text"],
                    search_text=fold(cr["text"]),
                    conditional=cr["conditional"] or "",
                    order=i,
                )
            )
        for i, text in enumerate(c["expected_results"]):
            items[ExpectedResult].append(ExpectedResult(competence=competence, text=text, order=i))
        for i, text in enumerate(c["knowledge"]):
            items[Knowledge].append(Knowledge(competence=competence, text=text, order=i))
    for model, objects in items.items():
        model.objects.bulk_create(objects, batch_size=500)


def clear_content(version: ReferentialVersion) -> None:
    """Delete the whole content of a locked draft (to replace it)."""
    assert version.status == ReferentialVersion.Status.DRAFT
    try:
        Bloc.objects.filter(version=version).delete()
        EvaluationModality.objects.filter(version=version).delete()
    except ProtectedError as exc:
        raise ReferentialError(
            _("Le brouillon %(version)s est déjà utilisé : son contenu ne peut être remplacé.")
            % {"version": version},
            code="draft_in_use",
        ) from exc


def set_loaded_status(version: ReferentialVersion, status: str) -> None:
    if status == version.status:
        return
    version.status = status
    version.published_at = None if status == ReferentialVersion.Status.DRAFT else timezone.now()
    version.save(update_fields=["status", "published_at"])


def content_counts(content: dict) -> dict:
    competences = [c for b in content["blocs"] for c in b["competences"]]
    criteria = [cr for c in competences for cr in c["criteria"]]
    return {
        "blocs": len(content["blocs"]),
        "competences": len(competences),
        "conditions": sum(len(c["conditions"]) for c in competences),
        "criteria": len(criteria),
        "conditional": sum(1 for cr in criteria if cr["conditional"]),
        "expected_results": sum(len(c["expected_results"]) for c in competences),
        "knowledge": sum(len(c["knowledge"]) for c in competences),
        "modalities": len(content["modalities"]),
    }


@dataclass
class LoadResult:
    version: ReferentialVersion
    action: str  # "created", "replaced" (a draft) or "unchanged"
    counts: dict
    qualification_created: bool = False
    qualification_filled: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return (
            self.action != "unchanged"
            or self.qualification_created
            or bool(self.qualification_filled)
        )


def _upsert_qualification(data: dict, actor) -> tuple[Qualification, bool, list[str]]:
    values = {key: "" if data[key] is None else data[key] for key in QUALIFICATION_FIELDS}
    date = data["registration_decision_date"]
    values["registration_decision_date"] = datetime.date.fromisoformat(date) if date else None
    qualification = Qualification.objects.select_for_update().filter(slug=data["slug"]).first()
    if qualification is None:
        qualification = Qualification.objects.create(slug=data["slug"], **values)
        audit.record(actor, "referential.qualification_create", qualification, after=data)
        return qualification, True, []
    before = export_qualification(qualification)
    filled = [
        key
        for key in QUALIFICATION_FIELDS
        if key != "rncp_registered"
        and values[key] not in ("", None)
        and getattr(qualification, key) in ("", None)
    ]
    if filled:
        for key in filled:
            setattr(qualification, key, values[key])
        qualification.save(update_fields=filled)
        audit.record(
            actor,
            "referential.qualification_fill",
            qualification,
            before={k: before[k] for k in filled},
            after={k: data[k] for k in filled},
        )
    return qualification, False, filled


def load_referential(data, *, actor=None) -> LoadResult:
    """Validate ``data`` (a parsed document) and load it, all or nothing (see module doc)."""
    canonical = validate_referential(data)
    content = content_of(canonical)
    counts = content_counts(content)
    with transaction.atomic():
        qualification, q_created, q_filled = _upsert_qualification(
            canonical["qualification"], actor
        )
        version = (
            ReferentialVersion.objects.select_for_update()
            .filter(qualification=qualification, number=canonical["version"])
            .first()
        )
        result = LoadResult(
            version=version,
            action="created",
            counts=counts,
            qualification_created=q_created,
            qualification_filled=q_filled,
        )
        if version is None:
            version = ReferentialVersion.objects.create(
                qualification=qualification,
                number=canonical["version"],
                status=ReferentialVersion.Status.DRAFT,
                competence_credit_months=content["credit_validity_months"]["competence"],
                bloc_credit_months=content["credit_validity_months"]["bloc"],
            )
            write_content(version, content)
            set_loaded_status(version, canonical["status"])
            audit.record(
                actor,
                "referential.load",
                version,
                after={"status": version.status, **counts},
            )
            result.version = version
            return result
        if content_of(export_referential(version)) == content:
            result.action = "unchanged"
            if version.status != canonical["status"]:
                result.notes.append(
                    _("statut conservé : %(current)s (le fichier indique %(file)s)")
                    % {
                        "current": version.get_status_display(),
                        "file": ReferentialVersion.Status(canonical["status"]).label,
                    }
                )
            return result
        if version.status != ReferentialVersion.Status.DRAFT:
            error = immutable_error(version.status)
            raise ReferentialError(
                _("%(slug)s v%(number)d : %(reason)s (le contenu du fichier diffère)")
                % {"slug": qualification.slug, "number": version.number, "reason": error.message},
                code=error.code,
            )
        before = {"status": version.status}
        clear_content(version)
        version.competence_credit_months = content["credit_validity_months"]["competence"]
        version.bloc_credit_months = content["credit_validity_months"]["bloc"]
        version.save(update_fields=["competence_credit_months", "bloc_credit_months"])
        write_content(version, content)
        set_loaded_status(version, canonical["status"])
        audit.record(
            actor,
            "referential.replace_draft",
            version,
            before=before,
            after={"status": version.status, **counts},
        )
        result.action = "replaced"
        return result
