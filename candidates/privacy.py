"""A candidate's personal data: the right-of-access export and the anonymisation once the
centre's retention period has passed (capability ``manage_personal_data``).

Retention: a dossier is *expired* when it is closed or withdrawn and its closing date is
older than the centre's ``retention_active_months + retention_archive_months``. A candidate
is anonymised when every one of their dossiers is expired: identity, contact details, NIR,
tutors and managers, reasons, uploaded files and accommodations are erased; sex, birth
year, routes, statuses, dates and results stay, so anonymous statistics still add up.

The certificate register (``documents.CertificateRecord``) is not touched: it is the legal
record that lets anyone verify a parchemin for as long as it exists, so it keeps the
holder's name, birth date and place. The audit log keeps who did what and when; the
identity values in its before/after snapshots are redacted (``centres.audit.redact``).
"""

import datetime

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.errors import DossierError
from candidates.models import (
    Accommodation,
    Candidate,
    CandidateIdentity,
    Credit,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierStatus,
)
from candidates.services.registration import CANDIDATE_FIELDS, add_months
from centres import audit
from centres.access import get_object_or_404_scoped, require
from centres.models import AuditEntry
from centres.roles import Capability
from core import privacy

ANONYMISED_NAME = "ANONYME"
FINISHED_STATUSES = (DossierStatus.CLOSED, DossierStatus.WITHDRAWN)
DOSSIER_PERSONAL_FIELDS = (
    "tutor_name",
    "tutor_email",
    "manager_name",
    "manager_email",
    "withdrawn_reason",
)
# Kept after anonymisation (anonymous statistics): sex, route; the birth year stays in
# birth_date (set to 1 January).
KEPT_CANDIDATE_FIELDS = {"sex", "access_status"}
CANDIDATE_BLANKED_FIELDS = (
    "usage_name",
    "birth_commune",
    "birth_department",
    "birth_commune_code",
    "birth_country_code",
    "email",
    "phone",
    "address",
)


# --- Access -------------------------------------------------------------------------------


def get_candidate_for_privacy(actor, pk) -> Candidate:
    require(actor, Capability.MANAGE_PERSONAL_DATA)
    return get_object_or_404_scoped(Candidate.objects.all(), pk=pk)


# --- Retention ----------------------------------------------------------------------------


def retention_cutoff(centre, today=None) -> datetime.datetime:
    """Dossiers finished before this moment have passed the whole retention period."""
    today = today or timezone.localdate()
    months = centre.retention_active_months + centre.retention_archive_months
    day = add_months(today, -months)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _finished_on():
    return Coalesce(F("closed_at"), F("updated_at"))


def expired_dossiers(centre, today=None):
    cutoff = retention_cutoff(centre, today)
    return (
        Dossier.objects.filter(centre=centre, status__in=FINISHED_STATUSES)
        .annotate(finished_on=_finished_on())
        .filter(finished_on__lt=cutoff)
    )


def eligible_candidates(centre, today=None):
    """Candidates not anonymised yet whose dossiers have all passed the retention period
    (and who hold no credit still valid for a new attempt)."""
    cutoff = retention_cutoff(centre, today)
    day = today or timezone.localdate()
    kept = Dossier.objects.filter(candidate=OuterRef("pk")).exclude(
        Q(status__in=FINISHED_STATUSES) & Q(closed_at__lt=cutoff)
        | Q(status__in=FINISHED_STATUSES) & Q(closed_at__isnull=True) & Q(updated_at__lt=cutoff)
    )
    valid_credit = Credit.objects.filter(
        candidate=OuterRef("pk"), revoked_at__isnull=True, valid_until__gte=day
    )
    return (
        Candidate.objects.filter(centre=centre)
        .exclude(birth_name=ANONYMISED_NAME)
        .filter(Exists(Dossier.objects.filter(candidate=OuterRef("pk"))))
        .exclude(Exists(kept))
        .exclude(Exists(valid_credit))
    )


def is_anonymised(candidate) -> bool:
    return candidate.birth_name == ANONYMISED_NAME


# --- Right of access ----------------------------------------------------------------------


def _user_name(user):
    return (user.get_full_name() or user.get_username()) if user else None


def _dossier_data(dossier, *, include_accommodation: bool) -> dict:
    data = privacy.row_dict(dossier)
    data.update(
        {
            "reference": dossier.reference,
            "status_label": str(dossier.get_status_display()),
            "qualification": str(dossier.referential_version),
            "company": dossier.company.name if dossier.company else None,
            "target_blocs": [str(b) for b in dossier.target_blocs.all()],
            "competences": [
                {
                    "competence": str(c.competence),
                    "modality": str(c.modality) if c.modality else None,
                    "report_deadline": privacy.json_value(c.report_deadline),
                }
                for c in dossier.competences.all()
            ],
            "events": [
                {
                    "date": privacy.json_value(e.created_at),
                    "action": e.action,
                    "from_status": e.from_status,
                    "to_status": e.to_status,
                    "reason": e.reason,
                    "by": _user_name(e.actor),
                }
                for e in dossier.events.all()
            ],
            "documents": [
                {
                    "name": d.original_name,
                    "kind": d.kind,
                    "content_type": d.content_type,
                    "size": d.size,
                    "sha256": d.sha256,
                    "late": d.late,
                    "uploaded_at": privacy.json_value(d.uploaded_at),
                    "description": d.description,
                }
                for d in dossier.documents.all()
            ],
        }
    )
    if include_accommodation:
        accommodation = getattr(dossier, "accommodation", None)
        data["accommodation"] = (
            {"needs": accommodation.needs, "to_apply": accommodation.to_apply}
            if accommodation
            else None
        )
    return data


def export_candidate(actor, candidate) -> dict:
    """Everything held about the candidate, as one JSON-serialisable document."""
    require(actor, Capability.MANAGE_PERSONAL_DATA)
    include_accommodation = actor.can(Capability.MANAGE_ACCOMMODATIONS)
    dossiers = list(
        Dossier.objects.filter(candidate=candidate)
        .select_related("referential_version__qualification", "company", "accommodation")
        .prefetch_related(
            "target_blocs",
            "competences__competence",
            "competences__modality",
            "events__actor",
            "documents",
        )
        .order_by("created_at", "pk")
    )
    identity = CandidateIdentity.objects.filter(candidate=candidate).first()
    document = {
        "format": "parchemin-personal-data/1",
        "generated_at": privacy.json_value(timezone.now()),
        "centre": candidate.centre.name,
        "candidate": {
            **privacy.row_dict(candidate),
            "nir": identity.nir if identity else None,
        },
        "dossiers": [
            _dossier_data(d, include_accommodation=include_accommodation) for d in dossiers
        ],
        "credits": [
            {
                "competence": str(c.competence) if c.competence else None,
                "bloc": str(c.bloc) if c.bloc else None,
                "jury_date": privacy.json_value(c.jury_date),
                "valid_until": privacy.json_value(c.valid_until),
                "revoked_at": privacy.json_value(c.revoked_at),
            }
            for c in Credit.objects.filter(candidate=candidate).select_related("competence", "bloc")
        ],
        # Evaluations (grids, assessors' criterion comments), company opinions, jury
        # decisions…: every row of another app that refers to these dossiers.
        "related": privacy.related_rows(
            Dossier, [d.pk for d in dossiers], excluded_apps={"candidates"}
        ),
        "sections": privacy.provided_sections(candidate, dossiers),
    }
    audit.record(
        centre=candidate.centre_id,
        actor=actor,
        action="candidate.personal_data_export",
        subject=candidate,
    )
    return document


# --- Anonymisation -------------------------------------------------------------------------


def anonymise_candidate(candidate, *, actor=None, today=None) -> Candidate:
    """Erase the candidate's personal data once every dossier has passed the retention
    period. ``actor`` is an Actor (needs manage_personal_data), or None for the
    periodic command. A no-op on an already anonymised candidate."""
    if actor is not None:
        require(actor, Capability.MANAGE_PERSONAL_DATA)
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if is_anonymised(candidate):
            return candidate
        if not eligible_candidates(candidate.centre, today).filter(pk=candidate.pk).exists():
            raise DossierError(
                _(
                    "Ce candidat ne peut pas encore être anonymisé : un de ses dossiers est "
                    "en cours, ou n'a pas dépassé la durée de conservation fixée par le "
                    "centre."
                ),
                code="retention_not_over",
            )
        dossiers = list(Dossier.objects.select_for_update().filter(candidate=candidate))
        dossier_ids = [d.pk for d in dossiers]
        privacy.run_anonymisers(candidate, dossiers)
        privacy.blank_free_text(Dossier, dossier_ids, excluded_apps={"candidates"})
        _erase_files(dossier_ids)
        Accommodation.objects.filter(dossier_id__in=dossier_ids).delete()
        DossierEvent.objects.filter(dossier_id__in=dossier_ids).update(reason="")
        Dossier.objects.filter(pk__in=dossier_ids).update(
            **dict.fromkeys(DOSSIER_PERSONAL_FIELDS, "")
        )
        CandidateIdentity.objects.filter(candidate=candidate).delete()
        for name in CANDIDATE_BLANKED_FIELDS:
            setattr(candidate, name, "")
        candidate.birth_name = ANONYMISED_NAME
        candidate.first_names = f"n° {candidate.pk}"
        candidate.birth_country = ""
        candidate.birth_date = candidate.birth_date.replace(month=1, day=1)
        candidate.version += 1
        candidate.save(
            update_fields=[
                *CANDIDATE_BLANKED_FIELDS,
                "birth_name",
                "first_names",
                "birth_country",
                "birth_date",
                "version",
                "updated_at",
            ]
        )
        audit.redact(
            AuditEntry.objects.filter(
                subject_type="candidates.candidate", subject_id=str(candidate.pk)
            ),
            (set(CANDIDATE_FIELDS) - KEPT_CANDIDATE_FIELDS) | {"nir"},
        )
        audit.redact(
            AuditEntry.objects.filter(
                subject_type="candidates.dossier", subject_id__in=[str(i) for i in dossier_ids]
            ),
            DOSSIER_PERSONAL_FIELDS,
        )
        audit.record(
            centre=candidate.centre_id,
            actor=actor,
            action="candidate.anonymise",
            subject=candidate,
            after={"dossiers": dossier_ids},
            reason=_("durée de conservation écoulée"),
        )
    return candidate


def _erase_files(dossier_ids) -> None:
    documents = list(DossierDocument.objects.filter(dossier_id__in=dossier_ids))
    names = [d.file.name for d in documents if d.file]
    storage = DossierDocument._meta.get_field("file").storage
    DossierDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()

    def remove():
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove)


def anonymise_expired(centre, today=None) -> int:
    """The periodic run (``manage.py anonymise_expired``): every eligible candidate."""
    count = 0
    for candidate in eligible_candidates(centre, today).order_by("pk"):
        anonymise_candidate(candidate, actor=None, today=today)
        count += 1
    return count
