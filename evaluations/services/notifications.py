"""Side effects run after commit: convocation e-mails, PDF requests (documents app).

They run in the request that committed: mails and document labels are in that user's language.

Each takes ids, re-reads its rows and never raises: a mail server or a missing renderer
must not undo a committed evaluation (failures are logged)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

logger = logging.getLogger(__name__)


def _documents():
    try:
        from documents import services as documents_services
    except ImportError:  # pragma: no cover - the documents app is always installed
        return None
    return documents_services


def _send(subject, template, context, to) -> bool:
    if not to:
        return False
    body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except OSError:
        logger.exception("Convocation mail to %s failed", to)
        return False
    return True


def convoke_candidate(session_dossier_id: int) -> None:
    from evaluations.models import SessionDossier

    with scopes_disabled():
        slot = (
            SessionDossier.objects.select_related("session__centre", "dossier__candidate")
            .filter(pk=session_dossier_id)
            .first()
        )
        if slot is None:
            return
        candidate = slot.dossier.candidate
        sent = _send(
            _("Convocation à l'évaluation — %(centre)s") % {"centre": slot.session.centre.name},
            "evaluations/email/convocation_candidate.txt",
            {"session": slot.session, "candidate": candidate, "dossier": slot.dossier},
            candidate.email,
        )
        if sent:
            SessionDossier.objects.filter(pk=slot.pk).update(convoked_at=timezone.now())


def convoke_member(member_id: int) -> None:
    from evaluations.models import CommissionMember

    with scopes_disabled():
        member = (
            CommissionMember.objects.select_related("session__centre", "user")
            .filter(pk=member_id)
            .first()
        )
        if member is None:
            return
        url = settings.SITE_URL + reverse("evaluations:session_detail", args=[member.session_id])
        sent = _send(
            _("Commission d'évaluation — %(centre)s") % {"centre": member.session.centre.name},
            "evaluations/email/convocation_member.txt",
            {"session": member.session, "member": member, "url": url},
            member.user.email,
        )
        if sent:
            CommissionMember.objects.filter(pk=member.pk).update(convoked_at=timezone.now())


def _request(kind, subject, centre, user, label) -> None:
    documents = _documents()
    if documents is None or not documents.has_renderer(kind):
        return
    try:
        documents.request_document(kind, subject, centre=centre, actor=user, label=label)
    except Exception:  # a PDF job must never undo a signature
        logger.exception("Could not request the %s document", kind)


def _already_requested(kind, subject, since) -> bool:
    """A document of this subject requested since ``since`` (the signatures it shows)."""
    try:
        from documents.models import GeneratedDocument, subject_ref
    except ImportError:  # pragma: no cover
        return False
    subject_type, subject_id = subject_ref(subject)
    return GeneratedDocument.objects.filter(
        kind=kind, subject_type=subject_type, subject_id=subject_id, created_at__gte=since
    ).exists()


def grid_signed(grid_id: int, user_id: int) -> None:
    """When every grid of the dossier in this session is signed, request the PDF of the
    signed evaluation grid (subject: the session's dossier)."""
    from django.contrib.auth import get_user_model

    from evaluations.models import Grid, GridStatus, SessionDossier

    with scopes_disabled():
        grid = Grid.objects.select_related("session__centre").filter(pk=grid_id).first()
        if grid is None:
            return
        siblings = Grid.objects.filter(session_id=grid.session_id, dossier_id=grid.dossier_id)
        if siblings.exclude(status=GridStatus.SIGNED).exists():
            return
        slot = SessionDossier.objects.filter(
            session_id=grid.session_id, dossier_id=grid.dossier_id
        ).first()
        if slot is None:
            return
        if _already_requested("evaluation_grid", slot, max(g.locked_at for g in siblings)):
            return
        user = get_user_model().objects.filter(pk=user_id).first()
        _request(
            "evaluation_grid",
            slot,
            grid.session.centre,
            user,
            _("Grille d'évaluation signée — dossier %(dossier)s")
            % {"dossier": f"D-{grid.dossier_id:06d}"},
        )


def opinion_signed(opinion_id: int, user_id: int) -> None:
    from django.contrib.auth import get_user_model

    from evaluations.models import CompanyOpinion

    with scopes_disabled():
        opinion = CompanyOpinion.objects.select_related("centre").filter(pk=opinion_id).first()
        if opinion is None:
            return
        user = get_user_model().objects.filter(pk=user_id).first()
        _request(
            "company_opinion",
            opinion,
            opinion.centre,
            user,
            _("Avis de l'entreprise — dossier %(dossier)s")
            % {"dossier": f"D-{opinion.dossier_id:06d}"},
        )
