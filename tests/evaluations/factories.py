"""Test data of the evaluations app: a referential with criteria, agreed dossiers, and a
session with its commission seated and declared."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from candidates.models import AccessStatus, DossierStatus
from centres.access import build_actor
from centres.roles import Role
from cqpm.loader import load_referential
from evaluations import services
from evaluations.models import SessionModality
from tests.candidates.factories import CandidateFactory, DossierFactory
from tests.cqpm.factories import small_document
from tests.factories import user_with_role


def referential(*, criteria=4, competences=2, slug=None):
    """A published version: ``competences`` competences of ``criteria`` criteria each
    (every fourth criterion conditional), with both modalities of the referential."""
    document = small_document(
        slug=slug or f"cqpm-eval-{competences}-{criteria}",
        competences_per_bloc=competences,
        criteria_per_competence=criteria,
    )
    document["modalities"].append(
        {
            "code": "project_presentation",
            "label": "Présentation de projets ou activités réalisés en milieu professionnel",
            "description": None,
            "requires_report": True,
        }
    )
    return load_referential(document).version


def agreed_dossier(centre, version, *, company=None, route=AccessStatus.EMPLOYEE, **candidate):
    """An agreed dossier whose competences are all evaluated in real work."""
    modality = version.modalities.get(code=SessionModality.REAL_WORK)
    dossier = DossierFactory(
        centre=centre,
        candidate=CandidateFactory(centre=centre, **candidate),
        referential_version=version,
        access_route=route,
        company=company if route != AccessStatus.VAE else None,
        competences=modality,
        status=DossierStatus.AGREED,
    )
    return dossier


def assessor(centre, username):
    """An assessor of ``centre`` (found again when it already exists)."""
    user = get_user_model().objects.filter(username=username).first()
    if user and user.memberships.filter(centre=centre, role=Role.ASSESSOR).exists():
        return user
    return user_with_role(centre, Role.ASSESSOR, username=username)


def statement_for(dossier) -> str:
    candidate = dossier.candidate
    return (
        "Je déclare n'avoir aucun lien professionnel ou personnel avec "
        f"{candidate.first_names} {(candidate.usage_name or candidate.birth_name).upper()}."
    )


def declare(user, session, dossier):
    return services.sign_declaration(session, dossier, actor=user, statement=statement_for(dossier))


def seated_session(world, dossiers, *, assessors=None, declared=True, staff=None):
    """A session of centre A with ``assessors`` (default: world's assessor + a second one)
    on the commission, the dossiers added and, when ``declared``, every declaration signed."""
    staff = staff or world.user("staff")
    actor = build_actor(staff)
    if assessors is None:
        assessors = [world.user("assessor"), assessor(world.centre_a, "assessor_a2")]
    session = services.schedule_session(
        world.centre_a,
        actor=actor,
        label="Session d'essai",
        starts_at=timezone.now(),
        place="Atelier 3",
        modality=SessionModality.REAL_WORK,
    )
    for user in assessors:
        services.add_member(session, user, actor=actor)
    for dossier in dossiers:
        services.add_dossier(session, dossier, actor=actor)
        if declared:
            for user in assessors:
                declare(user, session, dossier)
    return session


def score_all(grid, user, state="satisfied"):
    """Score every criterion of ``grid`` (conditional ones "not applicable")."""
    for score in grid.scores.select_related("criterion"):
        value = "not_applicable" if score.criterion.conditional else state
        services.score_criterion(
            grid, score.criterion, value, expected_version=score.version, actor=user
        )


def complete(grid, user, proposal="acquise"):
    score_all(grid, user)
    grid.refresh_from_db()
    justification = "Résultats attendus non atteints." if proposal == "non_acquise" else ""
    services.set_proposal(grid, proposal, justification, expected_version=grid.version, actor=user)
    grid.refresh_from_db()
    return grid


def sign_by_all(grid, users):
    for user in users:
        services.sign_grid(grid, actor=user)
    grid.refresh_from_db()
    return grid
