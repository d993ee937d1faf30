"""Conflicts of interest: no commission member may have a professional or personal link with
the candidate (same company, trainer, VAE accompanist). Each member signs, for each
candidate, a typed declaration; a declared or detected link refuses the member on that
candidate, with the reason, and the refusal is kept."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from centres import audit
from centres.models import Membership
from core.services import user_of
from core.text import fold
from evaluations.errors import EvaluationError
from evaluations.models import CommissionMember, ConflictDeclaration, LinkKind, SessionDossier

# The sentence every "no link" declaration must contain (compared accent- and case-free),
# asked in the active language; its translation in any of the site's languages is accepted
# whatever the language, so that a form sent just after switching the language still signs.
NO_LINK_SENTENCE = gettext_noop("Je déclare n'avoir aucun lien")


def no_link_sentence() -> str:
    """The sentence in the active language (shown and quoted in the error)."""
    return _(NO_LINK_SENTENCE)


def no_link_sentences() -> set[str]:
    """The sentence, folded, in every language of the site."""
    sentences = {fold(NO_LINK_SENTENCE)}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            sentences.add(fold(_(NO_LINK_SENTENCE)))
    return sentences


def candidate_names(dossier) -> tuple[str, str]:
    """(first names, last name as the candidate is known) of the dossier's candidate."""
    candidate = dossier.candidate
    return candidate.first_names.strip(), (candidate.usage_name or candidate.birth_name).strip()


def candidate_full_name(dossier) -> str:
    first, last = candidate_names(dossier)
    return f"{first} {last.upper()}"


def statement_model(dossier, user) -> str:
    """The statement the member is asked to type (shown, never pre-filled), in the active
    language; it contains the "no link" sentence of that language."""
    return _(
        "Je soussigné(e) %(assessor)s, je déclare n'avoir aucun lien professionnel ou "
        "personnel avec %(candidate)s : je ne suis ni son employeur ni son collègue, je ne "
        "l'ai ni formé(e) ni accompagné(e)."
    ) % {
        "assessor": user.get_full_name() or user.username,
        "candidate": candidate_full_name(dossier),
    }


def statement_problems(statement: str, dossier) -> list[str]:
    """What a typed "no link" statement lacks (empty list: it is valid): the candidate's
    full name and the "no link" sentence, in any of the site's languages."""
    text = fold(statement or "")
    problems = []
    first, last = candidate_names(dossier)
    if fold(first) not in text or fold(last) not in text:
        problems.append(
            _("La déclaration doit contenir le nom complet du candidat : %(name)s.")
            % {"name": candidate_full_name(dossier)}
        )
    if not any(sentence in text for sentence in no_link_sentences()):
        problems.append(
            _("La déclaration doit contenir la phrase « %(sentence)s ».")
            % {"sentence": no_link_sentence()}
        )
    return problems


def company_link(user, dossier):
    """The company membership linking ``user`` to the dossier's company, or None: a
    representative (current or former) of the candidate's company is never an assessor."""
    if not dossier.company_id:
        return None
    return (  # the user's own memberships, read across the tenant wall
        Membership.all_centres.filter(user=user, company_id=dossier.company_id)
        .select_related("company")
        .first()
    )


def company_refusal(user, dossier) -> str:
    membership = company_link(user, dossier)
    if membership is None:
        return ""
    return _(
        "%(user)s représente l'entreprise du candidat %(candidate)s (%(company)s) : un membre "
        "de l'entreprise du candidat ne peut pas l'évaluer."
    ) % {
        "user": membership.user.get_full_name() or membership.user.username,
        "candidate": candidate_full_name(dossier),
        "company": membership.company.name,
    }


def link_refusal(kind: str, dossier) -> str:
    reasons = {
        LinkKind.COMPANY: _(
            "Vous avez déclaré travailler dans la même entreprise que %(candidate)s ou avoir "
            "un lien professionnel avec lui ou elle."
        ),
        LinkKind.TRAINER: _("Vous avez déclaré avoir formé ou encadré %(candidate)s."),
        LinkKind.ACCOMPANIST: _("Vous avez déclaré avoir accompagné %(candidate)s (VAE)."),
        LinkKind.PERSONAL: _("Vous avez déclaré un lien personnel avec %(candidate)s."),
    }
    reason = reasons[kind] % {"candidate": candidate_full_name(dossier)}
    return reason + " " + _("Vous ne pouvez pas évaluer ce candidat ; le centre en est informé.")


def declaration_of(member, dossier):
    return ConflictDeclaration.objects.filter(member=member, dossier=dossier).first()


def sign_declaration(
    session,
    dossier,
    *,
    actor,
    statement,
    declared_link=LinkKind.NONE,
    link_details="",
    ip=None,
) -> ConflictDeclaration:
    """Record the acting member's signed declaration about the dossier's candidate.

    A "no link" statement must be typed in full (the candidate's name and the sentence).
    A declared link, or a detected one (the member represents the candidate's company), is
    recorded as a refusal and then raised as an ``EvaluationError`` (code
    ``conflict_of_interest``) carrying the reason. Signing twice returns the first
    declaration (or raises its refusal again): a signed declaration never changes."""
    user = user_of(actor)
    if declared_link not in LinkKind.values:
        raise EvaluationError(_("Type de lien inconnu."), code="invalid_link")
    with transaction.atomic():
        member = (
            CommissionMember.objects.select_for_update()
            .filter(session=session, user=user)
            .select_related("session")
            .first()
        )
        if member is None:
            raise EvaluationError(
                _("Vous n'êtes pas membre de la commission de cette session."), code="not_member"
            )
        if not SessionDossier.objects.filter(session=session, dossier=dossier).exists():
            raise EvaluationError(
                _("Ce dossier n'est pas évalué lors de cette session."), code="not_in_session"
            )
        declaration = declaration_of(member, dossier)
        if declaration is None:
            refusal = company_refusal(user, dossier)
            if declared_link != LinkKind.NONE:
                refusal = link_refusal(declared_link, dossier)
            elif not refusal:
                problems = statement_problems(statement, dossier)
                if problems:
                    raise EvaluationError(" ".join(problems), code="statement_invalid")
            declaration = ConflictDeclaration(
                member=member,
                dossier=dossier,
                declared_link=declared_link,
                link_details=(link_details or "").strip(),
                statement=(statement or "").strip(),
                accepted=not refusal,
                refusal_reason=refusal,
                signed_at=timezone.now(),
                ip=ip or None,
            )
            declaration.save()
            audit.record(
                centre=session.centre_id,
                actor=user,
                action="evaluation.declaration_signed",
                subject=declaration,
                after={
                    "dossier": dossier.pk,
                    "declared_link": declared_link,
                    "accepted": declaration.accepted,
                },
                reason=refusal,
            )
    if not declaration.accepted:
        raise EvaluationError(declaration.refusal_reason, code="conflict_of_interest")
    return declaration
