"""Every write of the candidates app. Each service takes the acting ``Actor``
(``centres.access.Actor``), runs in a transaction, locks what it changes, checks its guard,
is a no-op when the target state is reached, and writes a timeline event and an audit row."""

import calendar
import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.errors import DossierError, PossibleDuplicate
from candidates.models import (
    EDITABLE_STATUSES,
    OPEN_STATUSES,
    ROUTES_WITHOUT_COMPANY,
    AccessStatus,
    Candidate,
    CandidateIdentity,
    Credit,
    Dossier,
    DossierCompetence,
    DossierEvent,
    Target,
)
from candidates.nir import validate_nir
from centres import audit
from centres.access import require
from centres.models import Company
from centres.roles import Capability
from core.errors import StaleVersionError
from core.search import same_text
from core.services import check_version
from cqpm.models import Competence, EvaluationModality, Qualification, ReferentialVersion

logger = logging.getLogger(__name__)

__all__ = ["DossierError", "PossibleDuplicate"]

CANDIDATE_FIELDS = (
    "birth_name",
    "usage_name",
    "first_names",
    "sex",
    "birth_date",
    "birth_commune",
    "birth_department",
    "birth_country",
    "birth_commune_code",
    "birth_country_code",
    "email",
    "phone",
    "address",
    "access_status",
)
# Routes on which a dossier cannot be submitted without its company.
ROUTES_NEEDING_COMPANY = frozenset(
    {AccessStatus.EMPLOYEE, AccessStatus.APPRENTICE, AccessStatus.PROFESSIONALISATION}
)


# --- helpers ----------------------------------------------------------------------------


def _audit(actor, action, subject, *, before=None, after=None, reason=""):
    audit.record(
        centre=actor.centre,
        actor=actor,
        action=action,
        subject=subject,
        before=before,
        after=after,
        reason=reason,
    )


def _event(actor, dossier, action, from_status="", to_status="", reason=""):
    DossierEvent.objects.create(
        dossier=dossier,
        actor=actor.user if getattr(actor.user, "pk", None) else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )


def stale_record(obj):
    return StaleVersionError(
        _(
            "Cette fiche a été modifiée par quelqu'un d'autre entre-temps. Rechargez la page "
            "pour voir la version actuelle, puis refaites vos modifications."
        )
    )


def _snapshot(obj, fields):
    return {f: _jsonable(getattr(obj, f)) for f in fields}


def _jsonable(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


# --- candidates -------------------------------------------------------------------------


def find_duplicates(centre, *, birth_name, first_names, birth_date, exclude_pk=None):
    """Candidates of the centre with the same names and birth date (accents and case
    ignored: "arnaud amelie" is « ARNAUD Amélie »)."""
    qs = Candidate.objects.filter(
        same_text("birth_name", birth_name),
        same_text("first_names", first_names),
        centre=centre,
        birth_date=birth_date,
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def _clean_nir(nir):
    try:
        return validate_nir(nir)
    except ValidationError as exc:
        raise DossierError(exc.messages[0], code=exc.code) from None


def _set_nir(candidate, nir):
    CandidateIdentity.objects.update_or_create(candidate=candidate, defaults={"nir": nir})


def register_candidate(*, actor, data, nir="", confirm_duplicate=False) -> Candidate:
    """Register a candidate in the actor's centre. A candidate with the same names and birth
    date raises ``PossibleDuplicate`` unless the user confirmed (a warning, not a block)."""
    require(actor, Capability.REGISTER_CANDIDATES)
    clean_nir = _clean_nir(nir) if nir else ""
    with transaction.atomic():
        duplicates = list(
            find_duplicates(
                actor.centre,
                birth_name=data["birth_name"],
                first_names=data["first_names"],
                birth_date=data["birth_date"],
            )
        )
        if duplicates and not confirm_duplicate:
            raise PossibleDuplicate(
                _(
                    "Un candidat portant les mêmes nom, prénoms et date de naissance est déjà "
                    "inscrit dans le centre. Vérifiez qu'il ne s'agit pas de la même personne, "
                    "puis confirmez l'inscription si ce n'est pas le cas."
                ),
                duplicates=duplicates,
            )
        candidate = Candidate(centre=actor.centre, created_by=actor.user)
        for field in CANDIDATE_FIELDS:
            if field in data:
                setattr(candidate, field, data[field])
        candidate.full_clean(exclude=["centre", "created_by"])
        candidate.save()
        if clean_nir:
            _set_nir(candidate, clean_nir)
        _audit(
            actor,
            "candidate.register",
            candidate,
            after=_snapshot(candidate, CANDIDATE_FIELDS),
            reason=_("doublon possible confirmé") if duplicates else "",
        )
    return candidate


def update_candidate(candidate, *, actor, data, expected_version=None, nir=None) -> Candidate:
    """Edit a candidate; refused when ``expected_version`` is stale. ``nir=None`` leaves the
    NIR as it is, ``""`` removes it."""
    require(actor, Capability.REGISTER_CANDIDATES)
    clean_nir = _clean_nir(nir) if nir else nir
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        check_version(candidate, expected_version, stale=stale_record)
        before = _snapshot(candidate, CANDIDATE_FIELDS)
        changed = [f for f in CANDIDATE_FIELDS if f in data and getattr(candidate, f) != data[f]]
        for field in changed:
            setattr(candidate, field, data[field])
        nir_changed = False
        if clean_nir is not None:
            current = CandidateIdentity.objects.filter(candidate=candidate).first()
            if clean_nir and (current is None or current.nir != clean_nir):
                _set_nir(candidate, clean_nir)
                nir_changed = True
            elif not clean_nir and current is not None:
                current.delete()
                nir_changed = True
        if not changed and not nir_changed:
            return candidate
        candidate.full_clean(exclude=["centre", "created_by"])
        # the birth place's codes fill its printed fields (``candidates.models.birthplace``)
        changed = [f for f in CANDIDATE_FIELDS if _jsonable(getattr(candidate, f)) != before[f]]
        candidate.version += 1
        candidate.save(update_fields=[*changed, "version", "updated_at"])
        after = _snapshot(candidate, changed)
        if nir_changed:  # the audit says that it changed, never what it is
            after["nir"] = "modifié"
        _audit(
            actor,
            "candidate.update",
            candidate,
            before={f: before[f] for f in changed},
            after=after,
        )
    return candidate


# --- credits ----------------------------------------------------------------------------


def valid_credits(candidate, qualification, *, on=None):
    on = on or timezone.localdate()
    return (
        Credit.objects.filter(
            candidate=candidate,
            qualification=qualification,
            revoked_at__isnull=True,
            jury_date__lte=on,
            valid_until__gte=on,
        )
        .select_related("competence", "bloc")
        .prefetch_related("bloc__competences")
    )


def covered_competence_codes(candidate, qualification, *, on=None) -> dict[str, Credit]:
    """Competence codes covered by a valid credit (a bloc credit covers its competences)."""
    covered: dict[str, Credit] = {}
    for credit in valid_credits(candidate, qualification, on=on):
        if credit.competence_id:
            covered.setdefault(credit.competence.code, credit)
        else:
            for competence in credit.bloc.competences.all():
                covered.setdefault(competence.code, credit)
    return covered


def record_credit(*, actor, dossier, jury_date, competence=None, bloc=None) -> Credit:
    """Record a competence or bloc validated by the jury (used by the juries issue).
    Idempotent on (candidate, competence or bloc, jury date)."""
    if (competence is None) == (bloc is None):
        raise DossierError(_("Un acquis porte sur une compétence ou sur un bloc."))
    version = dossier.referential_version
    target = competence or bloc
    if target.version_id != version.pk:
        raise DossierError(_("Cet acquis n'appartient pas au référentiel du dossier."))
    months = version.competence_credit_months if competence else version.bloc_credit_months
    with transaction.atomic():
        credit, created = Credit.objects.get_or_create(
            candidate=dossier.candidate,
            qualification=version.qualification,
            competence=competence,
            bloc=bloc,
            jury_date=jury_date,
            defaults={
                "centre": dossier.centre,
                "valid_until": add_months(jury_date, months),
                "source_dossier": dossier,
            },
        )
        if created:
            _audit(
                actor,
                "credit.record",
                credit,
                after={
                    "code": target.code,
                    "jury_date": jury_date.isoformat(),
                    "valid_until": str(credit.valid_until),
                },
            )
    return credit


# --- dossiers ---------------------------------------------------------------------------


def latest_published_version(qualification) -> ReferentialVersion:
    version = (
        ReferentialVersion.objects.filter(
            qualification=qualification, status=ReferentialVersion.Status.PUBLISHED
        )
        .select_related("qualification")
        .order_by("-number")
        .first()
    )
    if version is None:
        raise DossierError(
            _("Aucune version publiée du référentiel de ce CQPM : inscription impossible."),
            code="no_published_version",
        )
    return version


def _check_target(version, target, blocs):
    blocs = list(blocs or [])
    if target == Target.WHOLE:
        return []
    if target != Target.BLOCS:
        raise DossierError(_("Objectif inconnu."), code="bad_target")
    if not version.qualification.rncp_registered:
        raise DossierError(
            _("Ce CQPM n'est pas inscrit au RNCP : seul le CQPM complet peut être visé."),
            code="blocs_not_allowed",
        )
    if not blocs:
        raise DossierError(_("Choisissez au moins un bloc de compétences."), code="no_bloc")
    if any(b.version_id != version.pk for b in blocs):
        raise DossierError(_("Un bloc choisi n'appartient pas à ce référentiel."), code="bad_bloc")
    return blocs


def _check_company(actor, access_route, company, tutor_name, manager_name):
    if access_route in ROUTES_WITHOUT_COMPANY and (company or tutor_name or manager_name):
        raise DossierError(
            _(
                "En VAE ou en candidat libre, le dossier n'a ni entreprise, ni tuteur, ni "
                "responsable."
            ),
            code="company_not_allowed",
        )
    if company is not None and company.centre_id != actor.centre.pk:
        raise DossierError(_("Entreprise inconnue."), code="bad_company")


def competences_to_evaluate(version, target, blocs, covered_codes):
    qs = Competence.objects.filter(version=version).order_by("number")
    if target == Target.BLOCS:
        qs = qs.filter(bloc__in=blocs)
    return [c for c in qs if c.code not in covered_codes]


def open_dossier(
    candidate,
    *,
    actor,
    qualification: Qualification,
    access_route=None,
    target=Target.WHOLE,
    blocs=(),
    company: Company | None = None,
    tutor_name="",
    tutor_email="",
    manager_name="",
    manager_email="",
    previous_dossier=None,
) -> Dossier:
    """Open a dossier on the latest published version, evaluating only the targeted
    competences not covered by a still-valid credit of the same CQPM."""
    require(actor, Capability.REGISTER_CANDIDATES)
    access_route = access_route or candidate.access_status
    version = latest_published_version(qualification)
    blocs = _check_target(version, target, blocs)
    _check_company(actor, access_route, company, tutor_name, manager_name)
    with transaction.atomic():
        Candidate.objects.select_for_update().get(pk=candidate.pk)
        if Dossier.objects.filter(
            candidate=candidate,
            referential_version__qualification=qualification,
            status__in=OPEN_STATUSES,
        ).exists():
            raise DossierError(
                _("Ce candidat a déjà un dossier en cours pour ce CQPM."), code="already_open"
            )
        covered = covered_competence_codes(candidate, qualification)
        to_evaluate = competences_to_evaluate(version, target, blocs, covered)
        if not to_evaluate:
            raise DossierError(
                _("Toutes les compétences visées sont déjà acquises : aucun dossier à ouvrir."),
                code="nothing_to_evaluate",
            )
        dossier = Dossier.objects.create(
            centre=actor.centre,
            candidate=candidate,
            referential_version=version,
            target=target,
            access_route=access_route,
            company=company,
            tutor_name=tutor_name,
            tutor_email=tutor_email,
            manager_name=manager_name,
            manager_email=manager_email,
            previous_dossier=previous_dossier,
            created_by=actor.user,
        )
        if blocs:
            dossier.target_blocs.set(blocs)
        DossierCompetence.objects.bulk_create(
            DossierCompetence(dossier=dossier, competence=c) for c in to_evaluate
        )
        reason = ""
        if covered:
            reason = _("Compétences déjà acquises, non évaluées : %(codes)s") % {
                "codes": ", ".join(sorted(covered))
            }
        _event(actor, dossier, "open", "", dossier.status, reason)
        _audit(
            actor,
            "dossier.open",
            dossier,
            after={
                "status": dossier.status,
                "version": version.pk,
                "target": target,
                "covered": sorted(covered),
            },
        )
    return dossier


def update_dossier(
    dossier, *, actor, expected_version=None, target=None, blocs=None, **fields
) -> Dossier:
    """Edit target, access route, company, tutor, manager before the modalities are agreed."""
    require(actor, Capability.REGISTER_CANDIDATES)
    allowed = {
        "access_route",
        "company",
        "tutor_name",
        "tutor_email",
        "manager_name",
        "manager_email",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("referential_version__qualification", "candidate")
            .get(pk=dossier.pk)
        )
        check_version(dossier, expected_version, stale=stale_record)
        if dossier.status not in EDITABLE_STATUSES:
            raise DossierError(
                _("Le dossier ne peut plus être modifié une fois les modalités validées."),
                code="not_editable",
            )
        merged = {f: fields.get(f, getattr(dossier, f)) for f in allowed}
        _check_company(
            actor,
            merged["access_route"],
            merged["company"],
            merged["tutor_name"],
            merged["manager_name"],
        )
        before = _snapshot(dossier, [*allowed, "target"])
        changed = [f for f in allowed if f in fields and getattr(dossier, f) != fields[f]]
        for field in changed:
            setattr(dossier, field, fields[field])
        if target is not None:
            new_blocs = _check_target(dossier.referential_version, target, blocs)
            old_bloc_ids = set(dossier.target_blocs.values_list("pk", flat=True))
            if target != dossier.target or {b.pk for b in new_blocs} != old_bloc_ids:
                dossier.target = target
                changed.append("target")
                dossier.target_blocs.set(new_blocs)
                _sync_competences(dossier, target, new_blocs)
        if not changed:
            return dossier
        dossier.version += 1
        dossier.save(update_fields=[*changed, "version", "updated_at"])
        _event(actor, dossier, "update", dossier.status, dossier.status)
        _audit(
            actor,
            "dossier.update",
            dossier,
            before={f: before[f] for f in changed},
            after=_snapshot(dossier, changed),
        )
    return dossier


def _sync_competences(dossier, target, blocs):
    covered = covered_competence_codes(dossier.candidate, dossier.referential_version.qualification)
    wanted = {
        c.pk: c
        for c in competences_to_evaluate(dossier.referential_version, target, blocs, covered)
    }
    if not wanted:
        raise DossierError(
            _("Toutes les compétences visées sont déjà acquises."), code="nothing_to_evaluate"
        )
    existing = set(dossier.competences.values_list("competence_id", flat=True))
    dossier.competences.exclude(competence_id__in=wanted).delete()
    DossierCompetence.objects.bulk_create(
        DossierCompetence(dossier=dossier, competence=c)
        for pk, c in wanted.items()
        if pk not in existing
    )


def set_modalities(dossier, assignments, *, actor, expected_version=None) -> Dossier:
    """``assignments``: {competence_id: (modality or None, report deadline or None)}.
    The deadline is kept only for a modality that requires a written report."""
    require(actor, Capability.REGISTER_CANDIDATES)
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
        check_version(dossier, expected_version, stale=stale_record)
        if dossier.status not in EDITABLE_STATUSES:
            raise DossierError(
                _("Les modalités ne peuvent plus être modifiées une fois validées."),
                code="not_editable",
            )
        rows = {r.competence_id: r for r in dossier.competences.select_for_update()}
        modalities = {
            m.pk: m for m in EvaluationModality.objects.filter(version=dossier.referential_version)
        }
        changed_rows = []
        for competence_id, (modality, deadline) in assignments.items():
            row = rows.get(int(competence_id))
            if row is None:
                raise DossierError(
                    _("Cette compétence n'est pas à évaluer dans ce dossier."),
                    code="bad_competence",
                )
            modality_id = getattr(modality, "pk", modality)
            if modality_id is not None and modality_id not in modalities:
                raise DossierError(
                    _("Cette modalité n'appartient pas au référentiel du dossier."),
                    code="bad_modality",
                )
            requires_report = modality_id is not None and modalities[modality_id].requires_report
            deadline = deadline if requires_report else None
            if row.modality_id != modality_id or row.report_deadline != deadline:
                row.modality_id, row.report_deadline = modality_id, deadline
                changed_rows.append(row)
        if not changed_rows:
            return dossier
        DossierCompetence.objects.bulk_update(changed_rows, ["modality", "report_deadline"])
        dossier.version += 1
        dossier.save(update_fields=["version", "updated_at"])
        _event(actor, dossier, "modalities", dossier.status, dossier.status)
        _audit(
            actor,
            "dossier.modalities",
            dossier,
            after={
                str(r.competence_id): [r.modality_id, _jsonable(r.report_deadline)]
                for r in changed_rows
            },
        )
    return dossier
