"""Documents of a dossier, and the re-sit dossier."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from candidates.errors import DossierError
from candidates.filechecks import check_upload
from candidates.models import (
    OPEN_STATUSES,
    Accommodation,
    DocumentKind,
    Dossier,
    DossierDocument,
    DossierStatus,
)
from candidates.models.dossier import document_reason
from candidates.selectors import competence_rows
from candidates.services.registration import (
    _audit,
    _event,
    covered_competence_codes,
    open_dossier,
    stale_record,
)
from centres.access import require
from centres.roles import Capability
from core.services import check_version

logger = logging.getLogger(__name__)


def report_deadline(dossier):
    """The earliest report deadline of the dossier (None when no report is expected)."""
    deadlines = [
        r.report_deadline
        for r in competence_rows(dossier)
        if r.modality_id and r.modality.requires_report and r.report_deadline
    ]
    return min(deadlines) if deadlines else None


def upload_document(dossier, *, actor, uploaded_file, kind=DocumentKind.REPORT, description=""):
    """Store a checked file under a random name; a report after its deadline is accepted
    and flagged late."""
    require(actor, Capability.REGISTER_CANDIDATES)
    if kind not in DocumentKind.values:
        raise DossierError(_("Type de document inconnu."), code="bad_kind")
    checked = check_upload(uploaded_file)
    original_name = (getattr(uploaded_file, "name", "") or "document").rsplit("/", 1)[-1][:255]
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if dossier.status not in OPEN_STATUSES:
            raise DossierError(
                _("Le dossier est clos : on ne peut plus y déposer de document."),
                code="dossier_closed",
            )
        deadline = report_deadline(dossier) if kind == DocumentKind.REPORT else None
        late = bool(deadline and timezone.localdate() > deadline)
        document = DossierDocument(
            dossier=dossier,
            kind=kind,
            original_name=original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            description=description[:255],
            late=late,
            uploaded_by=actor.user,
        )
        document.file.save(
            f"document.{checked.extension}", ContentFile(checked.content), save=False
        )
        try:
            document.save()
        except Exception:
            document.file.delete(save=False)
            raise
        _event(
            actor,
            dossier,
            "document",
            dossier.status,
            dossier.status,
            # Written in French, read back in the reader's language (DossierEvent.display_reason).
            _french_reason(document.kind, original_name, late),
        )
        _audit(
            actor,
            "dossier.document",
            dossier,
            after={"document": document.pk, "kind": kind, "sha256": checked.sha256, "late": late},
        )
        path = document.file.name
        transaction.on_commit(
            lambda: logger.info("dossier %s: document stored at %s", dossier.pk, path)
        )
    return document


def open_resit_dossier(dossier, *, actor) -> Dossier:
    """After a partial result, a new dossier evaluated only on what is not still credited."""
    require(actor, Capability.REGISTER_CANDIDATES)
    dossier = Dossier.objects.select_related(
        "referential_version__qualification", "candidate", "company"
    ).get(pk=dossier.pk)  # the current state, not the caller's copy
    if dossier.status not in {DossierStatus.DECIDED, DossierStatus.CLOSED}:
        raise DossierError(
            _("Un nouveau passage s'ouvre après la décision du jury sur ce dossier."),
            code="not_decided",
        )
    qualification = dossier.referential_version.qualification
    if not covered_competence_codes(dossier.candidate, qualification):
        raise DossierError(
            _("Aucun acquis encore valable : ouvrez un nouveau dossier ordinaire."),
            code="no_credit",
        )
    return open_dossier(
        dossier.candidate,
        actor=actor,
        qualification=qualification,
        access_route=dossier.access_route,
        target=dossier.target,
        blocs=_matching_blocs(dossier),
        company=dossier.company,
        tutor_name=dossier.tutor_name,
        tutor_email=dossier.tutor_email,
        manager_name=dossier.manager_name,
        manager_email=dossier.manager_email,
        previous_dossier=dossier,
    )


def _matching_blocs(dossier):
    """The previous target blocs, in the latest published version (matched by code)."""
    from candidates.services.registration import latest_published_version
    from cqpm.models import Bloc

    codes = list(dossier.target_blocs.values_list("code", flat=True))
    if not codes:
        return []
    version = latest_published_version(dossier.referential_version.qualification)
    return list(Bloc.objects.filter(version=version, code__in=codes))


def save_accommodation(dossier, *, actor, needs, to_apply, expected_version=None):
    """Create or update the confidential accommodation record (health data). The audit row
    says that it changed, never what it says."""
    require(actor, Capability.MANAGE_ACCOMMODATIONS)
    with transaction.atomic():
        record = Accommodation.objects.select_for_update().filter(dossier=dossier).first()
        if record is None:
            record = Accommodation(centre=dossier.centre, dossier=dossier, version=0)
        else:
            check_version(record, expected_version, stale=stale_record)
            if record.needs == needs and record.to_apply == to_apply:
                return record
        record.needs, record.to_apply = needs, to_apply
        record.updated_by = actor.user
        record.version += 1
        record.save()
        _audit(actor, "dossier.accommodation", dossier, after={"accommodation": "modifié"})
    return record


def _french_reason(kind, name, late) -> str:
    with translation.override("fr"):
        return document_reason(DocumentKind(kind).label, name, late)
