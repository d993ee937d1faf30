"""The company's avis (VAE refusal, signing, not obtained) and the "ready for jury" rule."""

import pytest

from candidates.models import AccessStatus, DossierEvent, DossierStatus
from evaluations import services
from evaluations.errors import EvaluationError
from evaluations.models import OpinionStatus

from .factories import agreed_dossier, complete, seated_session, sign_by_all


def _items(dossier, value="favourable"):
    return [
        {"competence": row.competence_id, "value": value, "comment": "Autonome"}
        for row in dossier.competences.all()
    ]


def _status(dossier):
    dossier.refresh_from_db()
    return dossier.status


def test_company_rep_gives_then_signs(world, dossier):
    rep = world.user("company_rep")
    opinion = services.give_opinion(
        dossier,
        actor=rep,
        items=_items(dossier)[:1],
        general_comment="Sérieux",
        author_capacity="manager",
    )
    assert opinion.status == OpinionStatus.DRAFT and opinion.items.count() == 2
    assert opinion.general_comment == "Sérieux" and opinion.author_capacity == "manager"
    with pytest.raises(EvaluationError) as exc:
        services.sign_opinion(opinion, actor=rep)
    assert exc.value.code == "opinion_incomplete"
    opinion = services.give_opinion(
        dossier,
        actor=rep,
        items=_items(dossier, "reserved"),
        expected_version=opinion.version,
    )
    with pytest.raises(services.StaleVersionError):
        services.give_opinion(dossier, actor=rep, items=_items(dossier), expected_version=1)
    opinion = services.sign_opinion(opinion, actor=rep)
    assert opinion.status == OpinionStatus.SIGNED and opinion.signed_by == rep
    with pytest.raises(EvaluationError) as exc:
        services.give_opinion(dossier, actor=rep, items=_items(dossier))
    assert exc.value.code == "opinion_final"


def test_only_the_dossier_company_gives_the_avis(world, dossier):
    for user in (world.user("staff"), world.user("company_rep", "b"), world.user("assessor")):
        with pytest.raises(EvaluationError) as exc:
            services.give_opinion(dossier, actor=user, items=_items(dossier))
        assert exc.value.code == "permission_denied"
    other_rep_dossier = agreed_dossier(world.centre_a, dossier.referential_version)
    with pytest.raises(EvaluationError):
        services.give_opinion(
            other_rep_dossier,
            actor=world.user("company_rep"),
            items=_items(other_rep_dossier),
        )


def test_vae_dossier_has_no_avis(world, version, staff):
    vae = agreed_dossier(world.centre_a, version, route=AccessStatus.VAE)
    vae.company = world.company_a  # even with a company recorded
    vae.save(update_fields=["company"])
    with pytest.raises(EvaluationError) as exc:
        services.give_opinion(vae, actor=world.user("company_rep"), items=_items(vae))
    assert exc.value.code == "vae_no_company_opinion"
    with pytest.raises(EvaluationError) as exc:
        services.mark_opinion_unavailable(vae, actor=staff, reason="x")
    assert exc.value.code == "vae_no_company_opinion"
    assert not services.opinion_required(vae)


def test_staff_record_an_unavailable_avis_with_a_reason(world, dossier, staff):
    with pytest.raises(EvaluationError) as exc:
        services.mark_opinion_unavailable(dossier, actor=staff, reason="")
    assert exc.value.code == "reason_required"
    with pytest.raises(EvaluationError):
        services.mark_opinion_unavailable(dossier, actor=world.user("company_rep"), reason="x")
    opinion = services.mark_opinion_unavailable(
        dossier, actor=staff, reason="Entreprise en liquidation"
    )
    assert opinion.status == OpinionStatus.UNAVAILABLE and opinion.recorded_by
    with pytest.raises(EvaluationError):
        services.give_opinion(dossier, actor=world.user("company_rep"), items=_items(dossier))


# --- ready for jury -----------------------------------------------------------------------


def _sign_every_grid(dossier, assessors):
    for grid in dossier.grids.all():
        complete(grid, assessors[0])
        sign_by_all(grid, assessors)


def test_ready_for_jury_waits_for_grids_and_avis(world, session, dossier, assessors):
    rep = world.user("company_rep")
    first, second = dossier.grids.order_by("competence__number")
    complete(first, assessors[0])
    sign_by_all(first, assessors)
    assert _status(dossier) == DossierStatus.IN_EVALUATION
    complete(second, assessors[0])
    sign_by_all(second, assessors)
    assert _status(dossier) == DossierStatus.IN_EVALUATION  # the avis is still missing
    assert services.readiness_problems(dossier) == [
        "L'avis de l'entreprise n'est ni signé ni déclaré non obtenu."
    ]
    opinion = services.give_opinion(dossier, actor=rep, items=_items(dossier))
    services.sign_opinion(opinion, actor=rep)
    assert _status(dossier) == DossierStatus.READY_FOR_JURY
    event = DossierEvent.objects.filter(dossier=dossier).first()
    assert event.to_status == DossierStatus.READY_FOR_JURY


def test_avis_first_then_grids(world, session, dossier, assessors, staff):
    services.mark_opinion_unavailable(dossier, actor=staff, reason="Tuteur absent")
    assert _status(dossier) == DossierStatus.IN_EVALUATION
    _sign_every_grid(dossier, assessors)
    assert _status(dossier) == DossierStatus.READY_FOR_JURY


def test_vae_is_ready_without_avis(world, version, assessors):
    vae = agreed_dossier(world.centre_a, version, route=AccessStatus.VAE)
    seated_session(world, [vae], assessors=assessors)
    _sign_every_grid(vae, assessors)
    assert _status(vae) == DossierStatus.READY_FOR_JURY


def test_reopening_sends_the_dossier_back_to_evaluation(world, session, dossier, assessors, staff):
    services.mark_opinion_unavailable(dossier, actor=staff, reason="Tuteur absent")
    _sign_every_grid(dossier, assessors)
    assert _status(dossier) == DossierStatus.READY_FOR_JURY
    grid = dossier.grids.first()
    services.reopen_grid(grid, actor=staff, reason="Erreur de saisie")
    assert _status(dossier) == DossierStatus.IN_EVALUATION
    sign_by_all(grid, assessors)
    assert _status(dossier) == DossierStatus.READY_FOR_JURY


def test_decided_dossier_grids_cannot_be_reopened(world, session, dossier, assessors, staff):
    services.mark_opinion_unavailable(dossier, actor=staff, reason="Tuteur absent")
    _sign_every_grid(dossier, assessors)
    dossier.status = DossierStatus.DECIDED
    dossier.save(update_fields=["status"])
    with pytest.raises(EvaluationError) as exc:
        services.reopen_grid(dossier.grids.first(), actor=staff, reason="x")
    assert exc.value.code == "dossier_not_in_evaluation"
