"""Demo evaluations for ``seed_demo``: in each centre, a session in progress whose grids are
in every state (open and partly scored, signed, reopened) and a planned session still
waiting for its declarations; company avis given (signed), in draft, recorded as not
obtained, and missing.

Idempotent: sessions are found by their label in their centre; once a centre has its
demo sessions nothing is added. The dossiers come from ``candidates.demo`` (agreed or in
evaluation, with competences assessed in real work); when there are too few the seed says
so and does what it can."""

import datetime

from django.db.models import Case, When
from django.utils import timezone

from candidates.models import AccessStatus, Dossier, DossierStatus
from centres.models import Centre, Membership
from centres.roles import Role
from evaluations import services
from evaluations.models import (
    CompanyOpinion,
    ConflictDeclaration,
    CriterionScore,
    EvaluationSession,
    Grid,
    GridSignature,
    ScoreState,
    SessionModality,
)

LABEL_NOW = "Démonstration — commission en atelier"
LABEL_NEXT = "Démonstration — session à venir"
ACCOMMODATION_NOTE = "Salle de réunion B (rez-de-chaussée), badge à retirer à l'accueil."


def _people(context, key, centre, role):
    from_context = ((context.get("roles") or {}).get(key) or {}).get(role)
    if from_context:
        return list(from_context)
    return [
        m.user
        for m in Membership.objects.filter(centre=centre, role=role, is_active=True)
        .select_related("user")
        .order_by("id")
    ]


def _centres(context):
    centres = context.get("centres") or {}
    if centres:
        return list(centres.items())
    return [(c.slug, c) for c in Centre.objects.order_by("name")]


def _candidates(centre, *, vae):
    """Dossiers to evaluate: those already "in evaluation" first; one agreed dossier of the
    centre is always left as it is (the demo keeps a dossier in every state)."""
    keep = (
        Dossier.objects.filter(centre=centre, status=DossierStatus.AGREED)
        .order_by("id")
        .values_list("pk", flat=True)
        .first()
    )
    qs = (
        Dossier.objects.filter(
            centre=centre,
            status__in=[DossierStatus.AGREED, DossierStatus.IN_EVALUATION],
            competences__modality__code=SessionModality.REAL_WORK,
        )
        .exclude(evaluation_slots__isnull=False)
        .exclude(pk=keep)
        .select_related("candidate", "company")
        .distinct()
        .order_by(
            Case(When(status=DossierStatus.IN_EVALUATION, then=0), default=1),
            "id",
        )
    )
    if vae:
        return list(qs.filter(access_route=AccessStatus.VAE)[:1])
    return list(qs.exclude(access_route=AccessStatus.VAE).filter(company__isnull=False)[:3])


def _at(days, hour):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _declare(session, dossier, users):
    for user in users:
        services.sign_declaration(
            session,
            dossier,
            actor=user,
            statement=services.statement_model(dossier, user),
            ip="127.0.0.1",
        )


def _score(grid, user, *, limit=None, proposal="acquise"):
    scores = list(grid.scores.select_related("criterion").order_by("criterion__order", "id"))
    for index, score in enumerate(scores[:limit] if limit else scores):
        if score.criterion.conditional:
            state, justification = "not_applicable", ""
        else:
            state = "not_satisfied" if proposal == "non_acquise" and index == 0 else "satisfied"
            justification = ""
        services.score_criterion(
            grid,
            score.criterion,
            state,
            "Observé en situation de travail." if index % 3 == 0 else "",
            justification,
            expected_version=score.version,
            actor=user,
        )
    if limit is None:
        grid.refresh_from_db()
        services.set_proposal(
            grid,
            proposal,
            "Les résultats attendus ne sont pas tous atteints."
            if proposal == "non_acquise"
            else "",
            expected_version=grid.version,
            actor=user,
        )


def _sign(grid, users):
    for user in users:
        services.sign_grid(grid, actor=user, ip="127.0.0.1")


def _items(dossier, values):
    rows = list(dossier.competences.order_by("competence__number"))
    return [
        {
            "competence": row.competence_id,
            "value": values[i % len(values)],
            "comment": "Autonome et rigoureux." if i % 2 == 0 else "",
        }
        for i, row in enumerate(rows)
    ]


def _representative(context, company_id):
    return (context.get("representatives") or {}).get(company_id) or next(
        (
            m.user
            for m in Membership.objects.filter(
                company_id=company_id, role=Role.COMPANY_REP, is_active=True
            )
            .select_related("user")
            .order_by("id")
        ),
        None,
    )


def _score_in_bulk(grid, user, *, acquired, when):
    """Every criterion of the grid scored at once (the per-criterion service is too slow
    for the demo's volume): satisfied, "not applicable" for the conditional ones; for a
    competence not acquired, the first criterion that applies is not satisfied."""
    scores = list(grid.scores.select_related("criterion").order_by("criterion__order", "id"))
    failing = None
    if not acquired:
        failing = next((s for s in scores if not s.criterion.conditional), None) or next(
            iter(scores), None
        )
    for index, score in enumerate(scores):
        if score is failing:
            score.state = ScoreState.NOT_SATISFIED
            score.comment = "Résultat attendu non atteint lors de la mise en situation."
        elif score.criterion.conditional:
            score.state, score.comment = ScoreState.NOT_APPLICABLE, ""
        else:
            score.state = ScoreState.SATISFIED
            score.comment = "Observé en situation de travail." if index == 0 else ""
        score.version += 1
        score.updated_by, score.updated_at = user, when
    CriterionScore.objects.bulk_update(
        scores, ["state", "comment", "version", "updated_by", "updated_at"]
    )


def evaluate_for_jury(context, centre, *, staff, assessors, label, starts_at, plans):
    """Evaluate dossiers (agreed, competences in real work) until they are ready for the jury,
    through the evaluation services: a session, a commission of two assessors with their
    conflict declarations signed, every grid scored, proposed and signed by both, the company
    avis signed or recorded as not obtained; the readiness rule then moves each dossier.

    ``plans``: ``[(dossier, not_acquired, avis)]`` where ``not_acquired`` is the set of
    competence codes the commission proposes "non acquise" and ``avis`` maps competence
    codes to a value other than "favourable" (``None``: the avis could not be obtained).
    Returns the session (found by its label when it already exists: nothing is added)."""
    session = EvaluationSession.objects.filter(centre=centre, label=label).first()
    if session is not None:
        return session
    pair = assessors[:2]
    session = services.schedule_session(
        centre,
        actor=staff,
        confirm_past=True,  # the demo history: sessions already held
        label=label,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=8),
        place="Atelier d'usinage",
        town=centre.city,
        modality=SessionModality.REAL_WORK,
    )
    for user in pair:
        services.add_member(session, user, actor=staff)
    for dossier, _not_acquired, _avis in plans:
        services.add_dossier(session, dossier, actor=staff)
        _declare(session, dossier, pair)
    services.start_session(session, actor=staff)
    for dossier, not_acquired, avis in plans:
        _avis_for(context, dossier, staff, avis)
        grids = Grid.objects.filter(session=session, dossier=dossier).select_related("competence")
        for number, grid in enumerate(grids.order_by("competence__number")):
            acquired = grid.competence.code not in not_acquired
            _score_in_bulk(grid, pair[number % 2], acquired=acquired, when=starts_at)
            services.set_proposal(
                grid,
                "acquise" if acquired else "non_acquise",
                ""
                if acquired
                else "Les résultats attendus ne sont pas tous atteints : à retravailler.",
                expected_version=grid.version,
                actor=pair[number % 2],
            )
            _sign(grid, pair)
    services.close_session(session, actor=staff)
    signed_at = starts_at + datetime.timedelta(hours=7)
    ConflictDeclaration.objects.filter(member__session=session).update(signed_at=starts_at)
    GridSignature.objects.filter(grid__session=session).update(signed_at=signed_at)
    CompanyOpinion.objects.filter(
        dossier__in=[dossier for dossier, _n, _a in plans], signed_at__isnull=False
    ).update(signed_at=starts_at - datetime.timedelta(days=2))
    Grid.objects.filter(session=session).update(locked_at=signed_at, proposal_at=signed_at)
    return session


def _avis_for(context, dossier, staff, avis):
    rep = _representative(context, dossier.company_id) if dossier.company_id else None
    if avis is None or rep is None:
        services.mark_opinion_unavailable(
            dossier,
            actor=staff,
            reason="Le tuteur est en congé longue durée ; aucun autre interlocuteur.",
        )
        return
    rows = dossier.competences.select_related("competence").order_by("competence__number")
    items = []
    for row in rows:
        value = avis.get(row.competence.code, "favourable")
        comment = "" if value == "favourable" else "Pas encore autonome sur ce point au poste."
        items.append({"competence": row.competence_id, "value": value, "comment": comment})
    opinion = services.give_opinion(
        dossier,
        actor=rep,
        items=items,
        general_comment="Salarié investi ; avis établi avec son responsable d'équipe.",
        author_capacity="tutor",
    )
    services.sign_opinion(opinion, actor=rep)


def _seed_centre(context, key, centre, summary):
    if EvaluationSession.objects.filter(centre=centre, label__in=[LABEL_NOW, LABEL_NEXT]).exists():
        return
    staff = _people(context, key, centre, Role.STAFF) or _people(
        context, key, centre, Role.CENTRE_ADMIN
    )
    assessors = _people(context, key, centre, Role.ASSESSOR)
    if not staff or len(assessors) < 2:
        summary.append(f"Évaluations — {centre.name} : pas assez d'évaluateurs, rien créé.")
        return
    staff, pair = staff[0], assessors[:2]
    dossiers = _candidates(centre, vae=False)
    now = services.schedule_session(
        centre,
        actor=staff,
        label=LABEL_NOW,
        starts_at=_at(0, 9),
        ends_at=_at(0, 17),
        place="Atelier d'usinage",
        town=centre.city,
        modality=SessionModality.REAL_WORK,
        notes=ACCOMMODATION_NOTE,
    )
    for user in pair:
        services.add_member(now, user, actor=staff)
    for dossier in dossiers:
        services.add_dossier(now, dossier, actor=staff)
        _declare(now, dossier, pair)
    if dossiers:
        services.start_session(now, actor=staff)
    reps = context.get("representatives") or {}
    for index, dossier in enumerate(dossiers):
        grids = list(
            Grid.objects.filter(session=now, dossier=dossier).order_by("competence__number")
        )
        rep = reps.get(dossier.company_id) or next(
            (
                m.user
                for m in Membership.objects.filter(
                    company_id=dossier.company_id, role=Role.COMPANY_REP, is_active=True
                ).select_related("user")
            ),
            None,
        )
        if index == 0:  # being evaluated: the first grid half scored, the avis in draft
            if grids:
                _score(grids[0], pair[0], limit=max(1, grids[0].scores.count() // 2))
            if rep:
                services.give_opinion(
                    dossier,
                    actor=rep,
                    items=_items(dossier, ["favourable"])[:1],
                    author_capacity="tutor",
                )
        elif index == 1:  # every grid signed, the avis signed (disagreeing on one competence)
            for number, grid in enumerate(grids):
                _score(grid, pair[number % 2], proposal="non_acquise" if number == 1 else "acquise")
                _sign(grid, pair)
            if rep:
                opinion = services.give_opinion(
                    dossier,
                    actor=rep,
                    items=_items(dossier, ["favourable", "favourable", "reserved"]),
                    general_comment="Candidat impliqué, à l'écoute de son équipe.",
                    author_capacity="manager",
                )
                services.sign_opinion(opinion, actor=rep)
        else:  # a grid signed then reopened by the centre; no avis could be obtained
            if grids:
                _score(grids[0], pair[1])
                _sign(grids[0], pair)
                services.reopen_grid(
                    grids[0],
                    actor=staff,
                    reason="Un critère a été saisi sur la mauvaise ligne : à corriger.",
                )
            services.mark_opinion_unavailable(
                dossier,
                actor=staff,
                reason="Le tuteur a quitté l'entreprise ; aucun autre interlocuteur.",
            )
    upcoming = services.schedule_session(
        centre,
        actor=staff,
        label=LABEL_NEXT,
        starts_at=_at(7, 9),
        place="Centre de certification",
        town=centre.city,
        modality=SessionModality.REAL_WORK,
    )
    for user in assessors[-2:]:
        services.add_member(upcoming, user, actor=staff)
    for dossier in _candidates(centre, vae=True) + _candidates(centre, vae=False)[:1]:
        services.add_dossier(upcoming, dossier, actor=staff)
    summary.append(
        f"Évaluations — {centre.name} : 2 sessions, {len(dossiers)} dossier(s) évalué(s), "
        f"{Grid.objects.filter(centre=centre).count()} grille(s), "
        f"{CompanyOpinion.objects.filter(centre=centre).count()} avis."
    )


def seed(context: dict) -> None:
    summary = context.setdefault("summary", [])
    for key, centre in _centres(context):
        _seed_centre(context, key, centre, summary)
