"""The follow-up of holders (issue 17): the questionnaires sent 6 months and 2 years after
the jury, and the holder's answer.

Who is asked: the holder of a decision in force (frozen, not revoked) that awarded the
whole CQPM, whose candidate has an e-mail address, once per wave. A wave is due from the
jury's date plus 6 months (2 years) and for ``INSERTION_SURVEY_SEND_WINDOW_DAYS``; past
that window the holder is not asked any more (the answer would describe another moment).

:func:`send_due_surveys` runs from Celery beat (``juries.tasks.send_insertion_surveys``)
with no user: it works across centres (``scopes_disabled``), and is idempotent — the row
(unique per decision and wave) is created with the mail, under the decision's row lock,
so a second run, or two runs at once, send nothing more. The mail is sent *inside* the
transaction: the row says that the mail went, so it is written only once the mail server
took it; a refused mail rolls the row back and the next run tries again.

The holder answers through the link's token (no account): :func:`answer_survey` takes the
token as its credential, and the answer is audited with no actor.
"""

import datetime
import logging

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centres import audit
from centres.scoping import scopes_disabled
from juries.errors import JuryError
from juries.models import Decision, EmploymentStatus, InsertionSurvey, Outcome, SurveyWave

logger = logging.getLogger(__name__)

WAVE_MONTHS = {SurveyWave.SIX_MONTHS: 6, SurveyWave.TWO_YEARS: 24}


def send_window() -> datetime.timedelta:
    return datetime.timedelta(days=settings.INSERTION_SURVEY_SEND_WINDOW_DAYS)


def valid_for() -> datetime.timedelta:
    return datetime.timedelta(days=settings.INSERTION_SURVEY_VALID_DAYS)


def due_decisions(wave: str, now: datetime.datetime):
    """The decisions whose holder is due the ``wave`` questionnaire at ``now`` (one query;
    call within ``scopes_disabled``)."""
    due_until = now - relativedelta(months=WAVE_MONTHS[wave])
    return (
        Decision.objects.filter(
            outcome=Outcome.AWARDED,
            frozen_at__isnull=False,
            revoked_at__isnull=True,
            item__session__starts_at__lte=due_until,
            item__session__starts_at__gt=due_until - send_window(),
        )
        .exclude(dossier__candidate__email="")
        .exclude(insertion_surveys__wave=wave)
        .order_by("pk")
    )


def survey_url(token: str) -> str:
    return settings.SITE_URL + reverse("insertion:survey", kwargs={"token": token})


def _mail(decision, wave, token, expires_at) -> None:
    candidate = decision.dossier.candidate
    qualification = decision.dossier.referential_version.qualification
    with translation.override("fr"):
        subject = _("Votre situation professionnelle après le CQPM « %(title)s »") % {
            "title": qualification.title
        }
        body = _(
            "Bonjour %(name)s,\n\n"
            "Vous avez obtenu le CQPM « %(title)s » (jury du %(jury)s). Pour suivre "
            "l'insertion professionnelle de ses titulaires, %(centre)s vous pose deux "
            "questions %(wave)s (moins d'une minute) : votre situation, et si votre emploi "
            "est dans le métier visé par le CQPM.\n\n"
            "Répondre : %(url)s\n\n"
            "Ce lien est personnel ; il sert une seule fois, jusqu'au %(until)s. Les réponses "
            "sont comptées de façon anonyme dans les statistiques transmises à France "
            "Compétences.\n"
        ) % {
            "name": candidate.first_names.split(" ")[0] if candidate.first_names else "",
            "title": qualification.title,
            "jury": formats.date_format(
                timezone.localtime(decision.item.session.starts_at), "DATE_FORMAT"
            ),
            "centre": decision.centre.name,
            "wave": SurveyWave(wave).label,
            "url": survey_url(token),
            "until": formats.date_format(timezone.localtime(expires_at), "DATE_FORMAT"),
        }
    send_mail(subject, body, None, [candidate.email])


def send_survey(decision_id: int, wave: str, *, now=None) -> InsertionSurvey | None:
    """Send the ``wave`` questionnaire of one decision; ``None`` when it is not due (any
    more) or was already sent. A mail refused by the server raises (nothing recorded)."""
    now = now or timezone.now()
    try:
        return _send_survey(decision_id, wave, now)
    except IntegrityError:  # the unique (decision, wave): a concurrent run sent it
        return None


def _send_survey(decision_id, wave, now) -> InsertionSurvey | None:
    with scopes_disabled(), transaction.atomic():
        decision = (
            due_decisions(wave, now)
            .select_for_update(of=("self",))
            .select_related(
                "centre",
                "item__session",
                "dossier__candidate",
                "dossier__referential_version__qualification",
            )
            .filter(pk=decision_id)
            .first()
        )
        if decision is None:  # sent by a concurrent run, revoked, or not due
            return None
        token = InsertionSurvey.new_token()
        survey = InsertionSurvey.objects.create(
            centre=decision.centre,
            decision=decision,
            wave=wave,
            token_hash=InsertionSurvey.hash_token(token),
            sent_at=now,
            expires_at=now + valid_for(),
        )
        audit.record(
            centre=decision.centre,
            actor=None,
            action="insertion_survey.sent",
            subject=survey,
            after={
                "decision": decision.pk,
                "wave": wave,
                "expires_at": survey.expires_at.isoformat(),
            },
        )
        _mail(decision, wave, token, survey.expires_at)
    return survey


def send_due_surveys(*, now=None) -> int:
    """Send every questionnaire due at ``now``; the number sent. A mail that fails is
    logged and tried again at the next run; the others still go."""
    now = now or timezone.now()
    sent = 0
    for wave in SurveyWave:
        with scopes_disabled():
            ids = list(due_decisions(wave, now).values_list("pk", flat=True))
        for decision_id in ids:
            try:
                if send_survey(decision_id, wave, now=now) is not None:
                    sent += 1
            except Exception:
                logger.warning(
                    "Insertion survey %s of decision %s not sent", wave, decision_id, exc_info=True
                )
    return sent


def find_survey(token: str) -> InsertionSurvey | None:
    """The questionnaire of a link's token (the one deliberate cross-centre read of the
    public page, limited to the exact hash), or ``None``."""
    if not token or len(token) > 100:
        return None
    with scopes_disabled():
        return (
            InsertionSurvey.objects.select_related(
                "centre", "decision__dossier__referential_version__qualification"
            )
            .filter(token_hash=InsertionSurvey.hash_token(token))
            .first()
        )


ANSWERED = "survey_answered"
EXPIRED = "survey_expired"
UNKNOWN = "survey_unknown"


def refusal(survey: InsertionSurvey | None, now=None) -> str | None:
    """Why the link cannot be used (one of the codes above), or ``None``."""
    if survey is None:
        return UNKNOWN
    state = survey.state(now)
    if state == InsertionSurvey.State.ANSWERED:
        return ANSWERED
    if state == InsertionSurvey.State.EXPIRED:
        return EXPIRED
    return None


REFUSALS = {
    UNKNOWN: gettext_lazy("Ce lien de questionnaire n'est pas valide."),
    ANSWERED: gettext_lazy(
        "Vous avez déjà répondu à ce questionnaire : merci ! Un lien ne sert qu'une fois."
    ),
    EXPIRED: gettext_lazy(
        "Ce lien de questionnaire a expiré : il n'est plus possible d'y répondre."
    ),
}


def refusal_message(code: str) -> str:
    return str(REFUSALS[code])


def answer_survey(
    token: str, *, employment_status: str, in_target_trade: bool | None, now=None
) -> InsertionSurvey:
    """Record the holder's answer. The token is the credential (the holder has no
    account); a link works once and until it expires."""
    if employment_status not in EmploymentStatus.values:
        raise JuryError(_("Situation inconnue."), code="bad_employment_status")
    if employment_status == EmploymentStatus.EMPLOYED and in_target_trade is None:
        raise JuryError(
            _("Dites si votre emploi est dans le métier visé par le CQPM."),
            code="target_trade_required",
        )
    now = now or timezone.now()
    with scopes_disabled(), transaction.atomic():
        survey = (
            InsertionSurvey.objects.select_for_update()
            .filter(token_hash=InsertionSurvey.hash_token(token or ""))
            .first()
        )
        code = refusal(survey, now)
        if code is not None:
            raise JuryError(refusal_message(code), code=code)
        survey.employment_status = employment_status
        survey.in_target_trade = (
            in_target_trade if employment_status == EmploymentStatus.EMPLOYED else None
        )
        survey.answered_at = now
        survey.save(update_fields=["employment_status", "in_target_trade", "answered_at"])
        audit.record(
            centre=survey.centre_id,
            actor=None,
            action="insertion_survey.answered",
            subject=survey,
            after={
                "employment_status": survey.employment_status,
                "in_target_trade": survey.in_target_trade,
            },
        )
    return survey
