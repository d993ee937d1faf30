"""One service per dossier transition, each with its guard:

draft → submitted → agreed → in_evaluation → ready_for_jury → decided → closed,
and withdrawn (with a reason) from any open state.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidates.errors import DossierError
from candidates.models import OPEN_STATUSES, Dossier, DossierStatus
from candidates.services.registration import (
    ROUTES_NEEDING_COMPANY,
    _audit,
    _event,
    stale_record,
)
from centres.access import require
from centres.roles import Capability
from core.services import transition

S = DossierStatus


def _transition(
    actor,
    dossier,
    *,
    action,
    to,
    allowed_from,
    capability=None,
    guard=None,
    reason="",
    timestamp_field=None,
    expected_version=None,
    extra=None,
):
    def audit_it(locked, before, after):
        _event(actor, locked, action, before, after, reason)
        _audit(
            actor,
            f"dossier.{action}",
            locked,
            before={"status": before},
            after={"status": after},
            reason=reason,
        )

    return transition(
        dossier,
        to=to,
        allowed_from=allowed_from,
        error=DossierError,
        state_message=_("Action impossible : le dossier est à l'état « %(status)s »."),
        stale=stale_record,
        queryset=Dossier.objects.select_related("referential_version__qualification", "candidate"),
        permit=(lambda _locked: require(actor, capability)) if capability else None,
        guard=guard,
        expected_version=expected_version,
        timestamp_field=timestamp_field,
        extra=extra,
        audit=audit_it,
    )


def _guard_submit(dossier):
    if not dossier.competences.exists():
        raise DossierError(_("Le dossier n'a aucune compétence à évaluer."), code="no_competence")
    if dossier.access_route in ROUTES_NEEDING_COMPANY and dossier.company_id is None:
        raise DossierError(
            _("Indiquez l'entreprise du candidat avant de soumettre le dossier."),
            code="company_required",
        )


def _guard_agree(dossier):
    _guard_submit(dossier)
    rows = list(dossier.competences.select_related("competence", "modality"))
    missing = [r.competence.code for r in rows if r.modality_id is None]
    if missing:
        raise DossierError(
            _(
                "Choisissez une modalité d'évaluation pour chaque compétence (manquante : "
                "%(codes)s)."
            )
            % {"codes": ", ".join(missing)},
            code="modality_missing",
        )
    no_deadline = [
        r.competence.code for r in rows if r.modality.requires_report and not r.report_deadline
    ]
    if no_deadline:
        raise DossierError(
            _("Fixez la date limite de remise du rapport (compétences : %(codes)s).")
            % {"codes": ", ".join(no_deadline)},
            code="deadline_missing",
        )


def submit(dossier, *, actor, expected_version=None):
    return _transition(
        actor,
        dossier,
        capability=Capability.REGISTER_CANDIDATES,
        action="submit",
        to=S.SUBMITTED,
        allowed_from={S.DRAFT},
        guard=_guard_submit,
        timestamp_field="submitted_at",
        expected_version=expected_version,
    )


def agree(dossier, *, actor, expected_version=None):
    """The centre validates the modalities: every competence to evaluate has one."""
    return _transition(
        actor,
        dossier,
        capability=Capability.REGISTER_CANDIDATES,
        action="agree",
        to=S.AGREED,
        allowed_from={S.SUBMITTED},
        guard=_guard_agree,
        timestamp_field="agreed_at",
        expected_version=expected_version,
    )


def mark_in_evaluation(dossier, *, actor, guard=None):
    """Called when a first evaluation is scheduled (evaluations issue)."""
    return _transition(
        actor,
        dossier,
        action="start_evaluation",
        to=S.IN_EVALUATION,
        allowed_from={S.AGREED},
        guard=guard,
    )


def mark_ready_for_jury(dossier, *, actor, guard=None):
    """Called when every competence has its proposed result (evaluations issue); ``guard``
    lets that issue add its own check."""
    return _transition(
        actor,
        dossier,
        action="ready_for_jury",
        to=S.READY_FOR_JURY,
        allowed_from={S.IN_EVALUATION},
        guard=guard,
    )


def reopen_evaluation(dossier, *, actor, reason=""):
    """Called when centre staff reopen a signed grid (evaluations issue): a dossier ready
    for the jury goes back to evaluation until the grid is signed again."""
    return _transition(
        actor,
        dossier,
        action="reopen_evaluation",
        to=S.IN_EVALUATION,
        allowed_from={S.READY_FOR_JURY},
        reason=reason,
    )


def mark_decided(dossier, *, actor, guard=None):
    """Called when the jury decides (juries issue)."""
    return _transition(
        actor, dossier, action="decide", to=S.DECIDED, allowed_from={S.READY_FOR_JURY}, guard=guard
    )


def close(dossier, *, actor, expected_version=None):
    return _transition(
        actor,
        dossier,
        capability=Capability.REGISTER_CANDIDATES,
        action="close",
        to=S.CLOSED,
        allowed_from={S.DECIDED},
        timestamp_field="closed_at",
        expected_version=expected_version,
    )


def withdraw(dossier, *, actor, reason, expected_version=None):
    """The candidate abandons: from any open state, with a reason."""
    require(actor, Capability.REGISTER_CANDIDATES)
    reason = (reason or "").strip()
    if not reason:
        raise DossierError(_("Indiquez le motif de l'abandon."), code="reason_required")
    return _transition(
        actor,
        dossier,
        capability=Capability.REGISTER_CANDIDATES,
        action="withdraw",
        to=S.WITHDRAWN,
        allowed_from=OPEN_STATUSES,
        reason=reason,
        timestamp_field="closed_at",
        expected_version=expected_version,
        extra={"withdrawn_reason": reason},
    )


# Transitions a user may trigger from the dossier page or the API, in display order.
# Lazy labels: this dict is built at import, in no request's language.
USER_TRANSITIONS = {
    "submit": (submit, {S.DRAFT}, gettext_lazy("Soumettre le dossier")),
    "agree": (agree, {S.SUBMITTED}, gettext_lazy("Valider les modalités")),
    "close": (close, {S.DECIDED}, gettext_lazy("Clore le dossier")),
}
