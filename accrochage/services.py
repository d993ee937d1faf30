"""Every write of the accrochage: the certifier account, generating a flux (at once, or by a
task for a large selection), importing the portal's report, re-sending the rejected
passages. ``verb(obj, *, actor)``, one audit row each (``centres.audit``).

A refusal raises :class:`AccrochageError` with a French message and saves nothing.
"""

import datetime
import hashlib
import logging
import secrets
from dataclasses import dataclass

from celery import current_app
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accrochage import holders as holder_data
from accrochage import xml
from accrochage.errors import AccrochageError
from accrochage.models import (
    CertifierAccount,
    Flux,
    FluxStatus,
    Passage,
    PassageAction,
    PassageStatus,
)
from accrochage.report import parse_report
from accrochage.selectors import LIVE, holders_to_declare, resendable, suppressions_owed
from centres import audit
from centres.roles import Capability
from centres.services import capabilities_in
from cqpm.selectors import is_national_admin
from juries.models import Decision

logger = logging.getLogger(__name__)
BUILD_TASK = "accrochage.tasks.build_flux"
STALE_AFTER = datetime.timedelta(minutes=10)
SHOWN_PROBLEMS = 20  # lines of a refusal; the rest is counted
BATCH = 2000


def _user(actor):
    return getattr(actor, "user", actor)


def _require_staff(actor, centre) -> None:
    if Capability.MANAGE_DOCUMENTS not in capabilities_in(_user(actor), centre):
        raise AccrochageError(
            _("Vous n'avez pas le droit de déclarer les titulaires de ce centre."),
            code="permission_denied",
        )


def _listing(lines: list[str]) -> str:
    shown = "\n".join(f"– {line}" for line in lines[:SHOWN_PROBLEMS])
    rest = len(lines) - SHOWN_PROBLEMS
    if rest > 0:
        shown += "\n" + ngettext("… et %(n)d autre.", "… et %(n)d autres.", rest) % {"n": rest}
    return shown


# --- the certifier account ------------------------------------------------------------


ACCOUNT_FIELDS = ["client_id", "emitter_client_id", "contract_id", "nature"]


def certifier_account() -> CertifierAccount | None:
    return CertifierAccount.objects.filter(key="national").first()


def set_certifier_account(*, actor, client_id, contract_id, nature, emitter_client_id=""):
    """The national administrator sets the certifier's identifiers on the portal."""
    user = _user(actor)
    if not is_national_admin(user):
        raise AccrochageError(
            _("Seul l'administrateur national renseigne le compte certificateur."),
            code="permission_denied",
        )
    with transaction.atomic():
        account = CertifierAccount.objects.select_for_update().filter(key="national").first()
        before = audit.snapshot(account, ACCOUNT_FIELDS) if account else None
        account = account or CertifierAccount(key="national")
        account.client_id = client_id.strip()
        account.emitter_client_id = (emitter_client_id or "").strip()
        account.contract_id = contract_id.strip()
        account.nature = nature
        account.updated_by = user
        account.full_clean()
        after = audit.snapshot(account, ACCOUNT_FIELDS)
        if before == after:
            return account
        if account.pk:
            account.version += 1
        account.save()
        audit.record(
            centre=None,
            actor=user,
            action="accrochage.certifier_account_set",
            subject=account,
            before=before,
            after=after,
        )
    return account


def _account() -> CertifierAccount:
    account = certifier_account()
    if account is None:
        raise AccrochageError(
            _(
                "Le compte certificateur auprès de la Caisse des Dépôts n'est pas renseigné "
                "(identifiant client, numéro de contrat) : l'administrateur national doit le "
                "saisir avant tout fichier."
            ),
            code="no_certifier_account",
        )
    return account


# --- composing a flux -----------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    decision: object
    action: str


def _new_flux_id(centre) -> str:
    return f"PARCH-{centre.pk}-{timezone.localtime():%Y%m%d%H%M%S}-{secrets.token_hex(3)}"


def _compose(centre, entries, account, flux_id, progress=None) -> tuple[bytes, list]:
    """The validated XML and the passage rows; refuses (listing the holders) when data is
    missing or the XML does not match the schema."""
    problems = []
    by_code: dict[str, list] = {}
    rows = []
    total = len(entries)
    for number, entry in enumerate(entries, 1):
        decision = entry.decision
        missing = holder_data.missing_fields(decision) if entry.action == xml.CREATION else []
        candidate = decision.dossier.candidate
        label = f"{candidate.birth_name.upper()} {candidate.first_names}"
        if missing:
            problems.append(
                _("%(holder)s (dossier %(dossier)s) : %(fields)s")
                % {
                    "holder": label,
                    "dossier": decision.dossier.reference,
                    "fields": ", ".join(missing),
                }
            )
            continue
        passage = holder_data.passage_of(decision, entry.action)
        code = decision.dossier.referential_version.qualification.rncp_code.strip()
        by_code.setdefault(code or "?", []).append(passage)
        rows.append((decision, passage.id_technique, entry.action, label))
        if progress and number % 1000 == 0:
            progress(number * 60 // max(total, 1))
    if problems:
        raise AccrochageError(
            ngettext(
                "Le fichier n'est pas généré : il manque des données pour %(n)d titulaire.",
                "Le fichier n'est pas généré : il manque des données pour %(n)d titulaires.",
                len(problems),
            )
            % {"n": len(problems)}
            + "\n"
            + _listing(problems),
            code="holder_data_missing",
        )
    data = xml.FluxData(
        id_flux=flux_id,
        timestamp=timezone.localtime(),
        emitter_id=account.emitter,
        certifier_id=account.client_id,
        contract_id=account.contract_id,
        nature=account.nature,
        certifications=tuple(
            xml.CertificationData(code=code, passages=tuple(passages))
            for code, passages in sorted(by_code.items())
        ),
    )
    content = xml.build_flux(data)
    if progress:
        progress(75)
    schema_problems = xml.validate(content)
    if schema_problems:
        raise AccrochageError(
            _("Le fichier ne respecte pas le schéma de la Caisse des Dépôts (%(schema)s) :")
            % {"schema": xml.schema_path().name}
            + "\n"
            + _listing([str(p) for p in schema_problems]),
            code="schema_invalid",
        )
    if progress:
        progress(90)
    return content, rows


def _refuse_declared_meanwhile(rows) -> None:
    """Inside the writing transaction, with the decisions locked: a passage declared by a
    concurrent request since the file was composed refuses this one (no double
    declaration)."""
    ids = [decision.pk for decision, *_rest in rows]
    list(Decision.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    wanted = {(decision.pk, action) for decision, _id, action, _label in rows}
    live = Passage.objects.filter(decision_id__in=ids, status__in=LIVE).values_list(
        "decision_id", "action"
    )
    if any(pair in wanted for pair in live):
        raise AccrochageError(
            _(
                "Certains de ces titulaires viennent d'être déclarés dans un autre fichier : "
                "rechargez la liste."
            ),
            code="declared_meanwhile",
        )


def _store(flux, content, rows, *, actor) -> Flux:
    _refuse_declared_meanwhile(rows)
    flux.file.save(flux.filename, ContentFile(content), save=False)
    flux.sha256 = hashlib.sha256(content).hexdigest()
    flux.passage_count = len(rows)
    flux.status = FluxStatus.GENERATED
    flux.progress = 100
    flux.error = ""
    flux.save()
    Passage.objects.bulk_create(
        [
            Passage(
                flux=flux,
                decision=decision,
                id_technique=id_technique,
                action=action,
                holder=label[:200],
            )
            for decision, id_technique, action, label in rows
        ],
        batch_size=BATCH,
    )
    audit.record(
        centre=flux.centre,
        actor=actor,
        action="accrochage.flux_generated",
        subject=flux,
        after={
            "flux_id": flux.flux_id,
            "passages": flux.passage_count,
            "sha256": flux.sha256,
            "suppressions": sum(1 for r in rows if r[2] == PassageAction.SUPPRESSION),
        },
    )
    return flux


def _entries(centre, decision_ids, *, include_suppressions=True) -> list[Entry]:
    ids = {int(pk) for pk in decision_ids}
    chosen = list(holders_to_declare(centre).filter(pk__in=ids).order_by("pk"))
    if len(chosen) != len(ids):
        raise AccrochageError(
            _(
                "Certains titulaires choisis ne sont plus à déclarer (déjà déclarés, en "
                "attente du compte rendu, ou dont le CQPM n'est pas délivré). Rechargez la "
                "liste."
            ),
            code="not_declarable",
        )
    entries = [Entry(d, PassageAction.CREATION) for d in chosen]
    if include_suppressions:
        entries += [Entry(d, PassageAction.SUPPRESSION) for d in suppressions_owed(centre)]
    if not entries:
        raise AccrochageError(
            _("Aucun titulaire à déclarer n'a été choisi."), code="empty_selection"
        )
    return entries


def _generate(centre, entries, *, actor) -> Flux:
    account = _account()
    flux = Flux(centre=centre, flux_id=_new_flux_id(centre), created_by=_user(actor))
    content, rows = _compose(centre, entries, account, flux.flux_id)
    with transaction.atomic():
        return _store(flux, content, rows, actor=_user(actor))


def generate_flux(centre, decisions, *, actor) -> Flux:
    """A flux declaring ``decisions`` (decisions or their ids, to declare in ``centre``),
    with the withdrawals owed by the centre's revoked awards."""
    _require_staff(actor, centre)
    ids = [getattr(d, "pk", d) for d in decisions]
    _account()
    return _generate(centre, _entries(centre, ids), actor=actor)


def resend_rejected(flux, *, actor) -> Flux:
    """A new flux with only the rejected passages of ``flux`` (as their holders' records
    stand now), those not declared again since."""
    _require_staff(actor, flux.centre)
    entries = []
    for passage in resendable(flux).order_by("id"):
        decision = passage.decision
        if passage.action == PassageAction.CREATION and decision.revoked_at is not None:
            continue  # withdrawn meanwhile: nothing to declare
        entries.append(Entry(decision, passage.action))
    if not entries:
        raise AccrochageError(
            _("Ce flux n'a aucun passage rejeté à renvoyer."), code="nothing_to_resend"
        )
    return _generate(flux.centre, entries, actor=actor)


# --- a large selection: a task with progress ---------------------------------------------


def request_flux(centre, decisions, *, actor) -> Flux:
    """Records the request (a ``pending`` flux) and builds it in a task after commit
    (``accrochage.tasks.build_flux``); the page follows its ``progress``."""
    _require_staff(actor, centre)
    _account()
    ids = sorted({int(getattr(d, "pk", d)) for d in decisions})
    _entries(centre, ids)  # refuse at once what is not declarable
    with transaction.atomic():
        flux = Flux.objects.create(
            centre=centre,
            flux_id=_new_flux_id(centre),
            created_by=_user(actor),
            requested=ids,
            status=FluxStatus.PENDING,
        )
        audit.record(
            centre=centre,
            actor=_user(actor),
            action="accrochage.flux_requested",
            subject=flux,
            after={"flux_id": flux.flux_id, "holders": len(ids)},
        )
        transaction.on_commit(lambda: enqueue_build(flux.pk))
    return flux


def enqueue_build(flux_id: int) -> bool:
    """Send the build job, found by its name in Celery's registry (``accrochage.tasks``
    imports this module); ``False`` (logged) when the broker refuses it: the flux's page
    sends it again (:func:`resume_if_stale`)."""
    try:
        current_app.tasks[BUILD_TASK].apply_async(args=[flux_id], retry=False)
    except Exception:
        logger.warning("Flux %s not enqueued (broker unreachable?)", flux_id, exc_info=True)
        return False
    return True


def resume_if_stale(flux) -> bool:
    """Send the job again when a pending flux has waited too long (a lost job)."""
    if flux.status != FluxStatus.PENDING or timezone.now() - flux.created_at < STALE_AFTER:
        return False
    return enqueue_build(flux.pk)


def _report_progress(flux_pk, percent) -> None:
    Flux.objects.filter(pk=flux_pk, status=FluxStatus.PENDING).update(progress=min(percent, 99))


def build_requested(flux) -> Flux:
    """The task's body: builds a pending flux, or marks it refused with the reason."""
    if flux.status != FluxStatus.PENDING:
        return flux  # already built (a retried task)
    try:
        account = _account()
        entries = _entries(flux.centre, flux.requested)
        content, rows = _compose(
            flux.centre,
            entries,
            account,
            flux.flux_id,
            progress=lambda p: _report_progress(flux.pk, p),
        )
        with transaction.atomic():
            locked = Flux.objects.select_for_update().get(pk=flux.pk)
            if locked.status != FluxStatus.PENDING:
                return locked
            return _store(locked, content, rows, actor=flux.created_by)
    except AccrochageError as exc:
        Flux.objects.filter(pk=flux.pk, status=FluxStatus.PENDING).update(
            status=FluxStatus.FAILED, error=str(exc.message)
        )
        flux.refresh_from_db()
        return flux


# --- the portal's report ----------------------------------------------------------------


def import_report(flux, file, *, actor) -> Flux:
    """Marks every passage the report names accepted or rejected (with its message).
    A report naming a passage this flux does not hold is refused whole."""
    _require_staff(actor, flux.centre)
    if flux.status not in (FluxStatus.GENERATED, FluxStatus.REPORT_IMPORTED):
        raise AccrochageError(
            _("Ce flux n'a pas été généré : il n'a pas de compte rendu."), code="flux_not_sent"
        )
    content = file.read()
    report = parse_report(content)
    if report.id_flux and report.id_flux != flux.flux_id:
        raise AccrochageError(
            _("Ce compte rendu est celui du flux %(other)s, pas de %(flux)s.")
            % {"other": report.id_flux, "flux": flux.flux_id},
            code="report_other_flux",
        )
    known = dict(flux.passages.values_list("id_technique", "pk"))
    unknown = [i for i in report.ids if i not in known]
    if unknown:
        raise AccrochageError(
            ngettext(
                "Le compte rendu cite %(n)d passage absent de ce flux : rien n'a été enregistré.",
                "Le compte rendu cite %(n)d passages absents de ce flux : rien n'a été enregistré.",
                len(unknown),
            )
            % {"n": len(unknown)}
            + "\n"
            + _listing(unknown),
            code="report_unknown_passage",
        )
    user = _user(actor)
    with transaction.atomic():
        locked = Flux.objects.select_for_update().get(pk=flux.pk)
        sha = hashlib.sha256(content).hexdigest()
        if locked.status == FluxStatus.REPORT_IMPORTED and locked.report_sha256 == sha:
            return locked  # the same report again: nothing to do
        Passage.objects.filter(flux=locked, id_technique__in=report.accepted).update(
            status=PassageStatus.ACCEPTED, error_message=""
        )
        rejected = list(Passage.objects.filter(flux=locked, id_technique__in=report.rejected))
        for passage in rejected:
            passage.status = PassageStatus.REJECTED
            passage.error_message = report.rejected[passage.id_technique][:2000]
        Passage.objects.bulk_update(rejected, ["status", "error_message"], batch_size=BATCH)
        before = {"status": locked.status, "report_sha256": locked.report_sha256}
        locked.report_file.save(
            f"{locked.flux_id}-compte-rendu.xml", ContentFile(content), save=False
        )
        locked.report_sha256 = sha
        locked.report_imported_at = timezone.now()
        locked.report_imported_by = user
        locked.status = FluxStatus.REPORT_IMPORTED
        locked.accepted_count = locked.passages.filter(status=PassageStatus.ACCEPTED).count()
        locked.rejected_count = locked.passages.filter(status=PassageStatus.REJECTED).count()
        locked.save(
            update_fields=[
                "report_file",
                "report_sha256",
                "report_imported_at",
                "report_imported_by",
                "status",
                "accepted_count",
                "rejected_count",
            ]
        )
        audit.record(
            centre=locked.centre,
            actor=user,
            action="accrochage.report_imported",
            subject=locked,
            before=before,
            after={
                "status": locked.status,
                "report_sha256": sha,
                "accepted": len(report.accepted),
                "rejected": len(report.rejected),
            },
        )
    return locked
