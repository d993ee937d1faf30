"""The PDF documents this app owns, plugged into the documents app's renderer registry:
the candidate's convocation and the signed evaluation grid (subject: a session's dossier)
and the company's avis (subject: the avis). Each builder reads its rows at a fixed number
of queries whatever the number of criteria."""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from candidates.access import accommodation_to_apply
from candidates.models import DossierCompetence
from cqpm.models import Condition, Criterion, ExpectedResult
from documents.contexts import (
    CentreHeader,
    CodeTitle,
    CompanyOpinionContext,
    ConvocationContext,
    ConvocationItem,
    CriteriaGroup,
    EvaluationGridContext,
    GridCompetence,
    GridCriterion,
    OpinionLine,
    Person,
    Qualification,
    Signature,
)
from evaluations.models import (
    AuthorCapacity,
    CompanyOpinion,
    CriterionScore,
    Grid,
    GridSignature,
    SessionDossier,
)

SESSION_DOSSIER = "evaluations.sessiondossier"
COMPANY_OPINION = "evaluations.companyopinion"


def _person(candidate) -> Person:
    return Person(
        first_name=candidate.first_names,
        last_name=candidate.usage_name or candidate.birth_name,
        birth_date=candidate.birth_date,
        birth_place=candidate.birth_place,
        sex=candidate.sex,
        address_lines=[line for line in candidate.address.splitlines() if line.strip()],
    )


def _qualification(dossier) -> Qualification:
    version = dossier.referential_version
    return Qualification(
        title=version.qualification.title,
        code=version.qualification.code,
        referential_version=f"v{version.number}",
        rncp_number=version.qualification.rncp_code,
    )


def _label(instance, field_name):
    """The lazy label of a choice (``""`` when empty): translated when the PDF template prints
    it, in French (``get_FOO_display()`` would translate it now, in the request's language)."""
    value = getattr(instance, field_name)
    if not value:
        return ""
    return dict(instance._meta.get_field(field_name).flatchoices).get(value, value)


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _contact(user) -> str:
    """Who answers the candidate's questions: the staff member who scheduled the session."""
    if user is None:
        return ""
    name = user.get_full_name() or user.username
    return f"{name} — {user.email}" if user.email else name


def _slot(document) -> SessionDossier:
    return SessionDossier.objects.select_related(
        "session__centre",
        "session__created_by",
        "dossier__candidate",
        "dossier__company",
        "dossier__referential_version__qualification",
    ).get(pk=int(document.subject_id))


def convocation_context(slot) -> ConvocationContext:
    session, dossier = slot.session, slot.dossier
    rows = list(
        DossierCompetence.objects.filter(dossier=dossier, modality__code=session.modality)
        .select_related("competence", "modality")
        .order_by("competence__number")
    )
    deadlines = [r.report_deadline for r in rows if r.report_deadline]
    return ConvocationContext(
        centre=CentreHeader.from_centre(session.centre),
        reference=f"{session.reference}-{dossier.reference}",
        candidate=_person(dossier.candidate),
        qualification=_qualification(dossier),
        starts_at=timezone.localtime(session.starts_at),
        ends_at=timezone.localtime(session.ends_at) if session.ends_at else None,
        place=session.where,
        company_name=dossier.company.name if dossier.company else "",
        practical_notes=session.notes,
        items=[
            ConvocationItem(
                competence=CodeTitle(code=r.competence.code, title=r.competence.title),
                modality=r.modality.label,
            )
            for r in rows
        ],
        report_deadline=min(deadlines) if deadlines else None,
        accommodation=accommodation_to_apply(dossier),
        contact=_contact(session.created_by),
    )


def grid_context(slot) -> EvaluationGridContext:
    session, dossier = slot.session, slot.dossier
    grids = list(
        Grid.objects.filter(session=session, dossier=dossier)
        .select_related("competence")
        .order_by("competence__number")
    )
    competence_ids = [g.competence_id for g in grids]
    scores = {}
    for score in CriterionScore.objects.filter(grid__in=grids).select_related("criterion"):
        scores.setdefault(score.grid_id, []).append(score)
    conditions, expected = {}, {}
    for c in Condition.objects.filter(competence_id__in=competence_ids):
        conditions.setdefault(c.competence_id, []).append(c.text)
    for r in ExpectedResult.objects.filter(competence_id__in=competence_ids):
        expected.setdefault(r.competence_id, []).append(r.text)
    modalities = dict(
        DossierCompetence.objects.filter(dossier=dossier).values_list(
            "competence_id", "modality__label"
        )
    )
    signatures = {}
    for s in GridSignature.objects.filter(grid__in=grids).select_related("member__user"):
        signatures.setdefault(s.member.user_id, (s.member.user, s.signed_at))
    headings = dict(Criterion.Category.choices)
    competences = []
    for grid in grids:
        groups = {}
        for score in sorted(scores.get(grid.pk, []), key=lambda s: s.criterion.order):
            groups.setdefault(score.criterion.category, []).append(
                GridCriterion(
                    label=score.criterion.text,
                    result=_label(score, "state"),
                    conditional=score.criterion.is_conditional,
                    comment=" — ".join(x for x in (score.comment, score.justification) if x),
                )
            )
        competences.append(
            GridCompetence(
                code=grid.competence.code,
                title=grid.competence.title,
                modality=modalities.get(grid.competence_id) or "",
                conditions=" ".join(conditions.get(grid.competence_id, [])),
                groups=[
                    CriteriaGroup(heading=headings[code], criteria=groups[code])
                    for code in headings
                    if code in groups
                ],
                expected_results=expected.get(grid.competence_id, []),
                proposal=_label(grid, "proposal"),
                comment=grid.proposal_justification,
            )
        )
    return EvaluationGridContext(
        centre=CentreHeader.from_centre(session.centre),
        reference=f"{session.reference}-{dossier.reference}",
        candidate=_person(dossier.candidate),
        qualification=_qualification(dossier),
        dossier_reference=dossier.reference,
        company_name=dossier.company.name if dossier.company else "",
        evaluated_on=timezone.localtime(session.starts_at).date(),
        place=session.where,
        competences=competences,
        assessors=[
            # Lazy: translated when the template is rendered (documents.rendering: French).
            Signature(name=_name(user), capacity=gettext_lazy("Évaluateur"), signed_at=signed_at)
            for user, signed_at in signatures.values()
        ],
    )


def opinion_context(opinion) -> CompanyOpinionContext:
    dossier = opinion.dossier
    capacity = AuthorCapacity(opinion.author_capacity).label  # lazy: French in the PDF
    return CompanyOpinionContext(
        centre=CentreHeader.from_centre(opinion.centre),
        reference=dossier.reference,
        candidate=_person(dossier.candidate),
        qualification=_qualification(dossier),
        company_name=opinion.company.name,
        author=Signature(
            name=_name(opinion.signed_by), capacity=capacity, signed_at=opinion.signed_at
        ),
        given_on=timezone.localtime(opinion.signed_at).date() if opinion.signed_at else None,
        lines=[
            OpinionLine(
                competence=CodeTitle(code=i.competence.code, title=i.competence.title),
                opinion=_label(i, "value"),
                comment=i.comment,
            )
            for i in opinion.items.select_related("competence").order_by("competence__number")
        ],
        general_comment=opinion.general_comment,
    )


def build_convocation(document):
    return "documents/pdf/convocation.html", convocation_context(_slot(document))


def build_grid(document):
    return "documents/pdf/evaluation_grid.html", grid_context(_slot(document))


def build_opinion(document):
    opinion = CompanyOpinion.objects.select_related(
        "centre",
        "company",
        "signed_by",
        "dossier__candidate",
        "dossier__referential_version__qualification",
    ).get(pk=int(document.subject_id))
    return "documents/pdf/company_opinion.html", opinion_context(opinion)


def register() -> None:
    try:
        from documents.services import register_renderer
    except ImportError:  # pragma: no cover - the documents app is always installed
        return
    register_renderer("convocation", build_convocation)
    register_renderer("evaluation_grid", build_grid)
    register_renderer("company_opinion", build_opinion)
