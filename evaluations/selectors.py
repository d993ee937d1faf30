"""Reads shared by the pages, the API and the PDF builders, each at a fixed number of
queries whatever the number of criteria (asserted by the tests)."""

from dataclasses import dataclass, field

from candidates.access import accommodation_to_apply
from candidates.models import DossierCompetence
from core.listing import SortColumns
from core.search import french
from cqpm.models import Criterion
from cqpm.selectors import competence_texts
from evaluations.models import (
    CommissionMember,
    ConflictDeclaration,
    CriterionScore,
    GridSignature,
    Proposal,
)

# The columns the session lists sort by (pages ``?sort=``, API ``?ordering=``).
SESSION_SORT = SortColumns(
    "-date",
    date="starts_at",
    label=french("label"),
    place=(french("place"), "starts_at"),
    modality=("modality", "starts_at"),
    status=("status", "starts_at"),
)


@dataclass
class CriteriaHeading:
    code: str
    label: str
    scores: list = field(default_factory=list)


@dataclass
class GridView:
    grid: object
    headings: list
    scores: list
    conditions: list
    expected_results: list
    signatures: list
    signers: list
    modality: str
    accommodation: str

    @property
    def missing(self) -> int:
        return sum(1 for s in self.scores if not s.state)

    @property
    def complete(self) -> bool:
        return not self.missing and bool(self.grid.proposal)

    @property
    def signed_member_ids(self) -> set:
        return {s.member_id for s in self.signatures}


def grid_scores(grid) -> list[CriterionScore]:
    """The grid's scores in the referential's order, each with its criterion (from the
    referential's per-process copy: no join) and its last author."""
    criteria = competence_texts(grid.competence_id).criteria
    scores = list(CriterionScore.objects.filter(grid=grid).select_related("updated_by"))
    for score in scores:
        criterion = criteria.get(score.criterion_id)
        if criterion is not None:
            score.criterion = criterion
    scores.sort(key=lambda s: (s.criterion.order, s.criterion_id))
    return scores


def grid_view(grid, *, with_accommodation=True) -> GridView:
    """Everything the grid page shows (5 queries, and 3 more the first time a worker meets
    a draft competence: its texts; the grid itself comes with its session, dossier, candidate
    and competence already joined)."""
    scores = grid_scores(grid)
    by_category = {}
    for score in scores:
        by_category.setdefault(score.criterion.category, []).append(score)
    headings = [
        CriteriaHeading(code, label, by_category[code])
        for code, label in Criterion.Category.choices
        if code in by_category
    ]
    signers = list(
        CommissionMember.objects.filter(
            session_id=grid.session_id,
            present=True,
            declarations__dossier_id=grid.dossier_id,
            declarations__accepted=True,
        )
        .select_related("user")
        .order_by(french("user__last_name"), "id")
    )
    modality = (
        DossierCompetence.objects.filter(
            dossier_id=grid.dossier_id, competence_id=grid.competence_id
        )
        .values_list("modality__label", flat=True)
        .first()
    )
    texts = competence_texts(grid.competence_id)
    return GridView(
        grid=grid,
        headings=headings,
        scores=scores,
        conditions=list(texts.conditions),
        expected_results=list(texts.expected_results),
        signatures=list(
            GridSignature.objects.filter(grid=grid).select_related("member__user").order_by("id")
        ),
        signers=signers,
        modality=modality or "",
        accommodation=accommodation_to_apply(grid.dossier) if with_accommodation else "",
    )


def declaration_for(member, dossier_id):
    if member is None:
        return None
    return ConflictDeclaration.objects.filter(member=member, dossier_id=dossier_id).first()


def agreement(proposal: str, value: str) -> str:
    """How the commission's proposal and the company's avis compare on a competence:
    ``disagree`` (acquise/défavorable, non acquise/favorable), ``reserved`` (a reserved avis
    on an acquired competence), ``agree``, or "" when one is missing."""
    if not proposal or not value:
        return ""
    if (proposal, value) in {
        (Proposal.ACQUIRED, "unfavourable"),
        (Proposal.NOT_ACQUIRED, "favourable"),
    }:
        return "disagree"
    if value == "reserved":
        return "reserved"
    return "agree"
