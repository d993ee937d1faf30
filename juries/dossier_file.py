"""The juror's view of a dossier: the one module that reads the evaluations app.

Per competence: the commission's proposal and the grid's detail, the company's avis with
disagreements flagged, or the credit that carries it; plus the documents, the
accommodation applied (the "to apply" text only, never the declared needs) and the
indicators the jury looks at when it checks that the evaluation followed the rules.
Costs a fixed number of queries whatever the size of the dossier.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from candidates.access import accommodation_to_apply
from candidates.models import AccessStatus, DossierCompetence, DossierDocument, DossierStatus
from candidates.services import covered_competence_codes
from cqpm.models import Competence, Criterion
from evaluations.models import (
    CompanyOpinion,
    CompanyOpinionItem,
    ConflictDeclaration,
    CriterionScore,
    Grid,
    GridSignature,
    GridStatus,
    OpinionStatus,
    OpinionValue,
    Proposal,
    ScoreState,
)

TO_DECIDE = "to_decide"
CREDIT = "credit"
NOT_TARGETED = "not_targeted"

# The company's avis contradicts the commission's proposal.
DISAGREEMENTS = {
    Proposal.ACQUIRED: {OpinionValue.UNFAVOURABLE, OpinionValue.RESERVED},
    Proposal.NOT_ACQUIRED: {OpinionValue.FAVOURABLE},
}
CATEGORY_LABELS = dict(Criterion.Category.choices)


@dataclass
class CriterionLine:
    text: str
    state: str
    state_label: str
    conditional: bool
    comment: str = ""


@dataclass
class CriteriaGroup:
    heading: str
    criteria: list[CriterionLine] = field(default_factory=list)


@dataclass
class CompetenceFile:
    competence: Competence
    status: str  # to_decide / credit / not_targeted
    modality: str = ""
    report_late: bool = False
    grid_status: str = ""
    grid_status_label: str = ""
    proposal: str = ""
    proposal_label: str = ""
    justification: str = ""
    groups: list[CriteriaGroup] = field(default_factory=list)
    signatories: list[str] = field(default_factory=list)
    unscored: int = 0
    opinion: str = ""
    opinion_label: str = ""
    opinion_comment: str = ""
    credit: object = None
    # Signed after the deliberation began: left out of the file, with this notice.
    signed_late: str = ""

    @property
    def disagreement(self) -> bool:
        return bool(self.proposal and self.opinion in DISAGREEMENTS.get(self.proposal, ()))

    @property
    def signed(self) -> bool:
        return self.grid_status == GridStatus.SIGNED


@dataclass
class Check:
    label: str
    ok: bool | None  # None: not applicable / for information
    detail: str = ""


@dataclass
class DossierFile:
    dossier: object
    competences: list[CompetenceFile]
    credits: list
    documents: list
    accommodation: str
    opinion_required: bool
    opinion_status: str = ""
    opinion_status_label: str = ""
    opinion_comment: str = ""
    opinion_author: str = ""
    checks: list[Check] = field(default_factory=list)
    late: list[str] = field(default_factory=list)  # grids and avis left out (signed late)

    @property
    def to_decide(self) -> list[CompetenceFile]:
        return [c for c in self.competences if c.status == TO_DECIDE]

    @property
    def others(self) -> list[CompetenceFile]:
        """Competences not decided in this session (credited or outside the target)."""
        return [c for c in self.competences if c.status != TO_DECIDE]

    @property
    def disagreements(self) -> list[CompetenceFile]:
        return [c for c in self.competences if c.disagreement]

    def for_competence(self, competence_id):
        return next((c for c in self.competences if c.competence.pk == competence_id), None)


def _groups(grid) -> tuple[list[CriteriaGroup], int]:
    groups: dict[str, CriteriaGroup] = {}
    unscored = 0
    for score in grid.scores.all():
        criterion = score.criterion
        heading = str(CATEGORY_LABELS.get(criterion.category, criterion.category))
        group = groups.setdefault(criterion.category, CriteriaGroup(heading=heading))
        if not score.state:
            unscored += 1
        group.criteria.append(
            CriterionLine(
                text=criterion.text,
                state=score.state,
                state_label=str(ScoreState(score.state).label) if score.state else _("Non évalué"),
                conditional=bool(criterion.conditional),
                comment=score.comment,
            )
        )
    order = [c for c, _label in Criterion.Category.choices]
    return [groups[c] for c in order if c in groups], unscored


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def late_signatures(session, dossier_ids) -> list[str]:
    """The grids and avis of ``dossier_ids`` signed after ``session``'s deliberation began
    (2 queries; none before it began): they are not part of the file it deliberates on."""
    cutoff = session.deliberation_started_at
    if cutoff is None or not dossier_ids:
        return []
    grids = (
        Grid.objects.filter(dossier_id__in=dossier_ids, status=GridStatus.SIGNED)
        .filter(locked_at__gt=cutoff)
        .select_related("dossier__candidate", "competence")
        .order_by("dossier_id", "competence__number")
    )
    late = [
        _("grille %(code)s de %(name)s signée le %(when)s")
        % {
            "code": g.competence.code,
            "name": g.dossier.candidate.full_name,
            "when": _moment(g.locked_at),
        }
        for g in grids
    ]
    opinions = (
        CompanyOpinion.objects.filter(dossier_id__in=dossier_ids, status=OpinionStatus.SIGNED)
        .filter(signed_at__gt=cutoff)
        .select_related("dossier__candidate")
        .order_by("dossier_id")
    )
    late += [
        _("avis de l'entreprise sur %(name)s signé le %(when)s")
        % {"name": o.dossier.candidate.full_name, "when": _moment(o.signed_at)}
        for o in opinions
    ]
    return late


def build_dossier_file(dossier, *, on=None, deliberation_started_at=None) -> DossierFile:
    """``on``: the jury date (credits still valid that day); ``deliberation_started_at``: the
    moment the session began to deliberate: a grid or an avis signed later is left out of
    the file, with a notice."""
    cutoff = deliberation_started_at
    version = dossier.referential_version
    competences = list(
        Competence.objects.filter(version=version).select_related("bloc").order_by("number")
    )
    rows = {
        r.competence_id: r
        for r in DossierCompetence.objects.filter(dossier=dossier).select_related("modality")
    }
    grids = {
        g.competence_id: g
        for g in Grid.objects.filter(dossier=dossier).prefetch_related(
            Prefetch(
                "scores",
                queryset=CriterionScore.objects.select_related("criterion").order_by(
                    "criterion__order", "criterion_id"
                ),
            ),
            Prefetch("signatures", queryset=GridSignature.objects.select_related("member__user")),
        )
    }
    opinion = (
        CompanyOpinion.objects.filter(dossier=dossier)
        .prefetch_related(Prefetch("items", queryset=CompanyOpinionItem.objects.all()))
        .first()
    )
    late: list[str] = []
    if (
        opinion is not None
        and cutoff is not None
        and opinion.status == OpinionStatus.SIGNED
        and opinion.signed_at
        and opinion.signed_at > cutoff
    ):
        late.append(
            _("Avis de l'entreprise signé le %(when)s, après le début de la délibération.")
            % {"when": _moment(opinion.signed_at)}
        )
        opinion = None
    opinion_items = {i.competence_id: i for i in opinion.items.all()} if opinion else {}
    covered = covered_competence_codes(dossier.candidate, version.qualification, on=on)
    files = []
    for competence in competences:
        row = rows.get(competence.pk)
        item = CompetenceFile(
            competence=competence,
            status=TO_DECIDE if row else (CREDIT if competence.code in covered else NOT_TARGETED),
            credit=covered.get(competence.code) if not row else None,
        )
        if row is not None:
            item.modality = row.modality.label if row.modality else ""
            item.report_late = row.report_is_late
            grid = grids.get(competence.pk)
            if (
                grid is not None
                and cutoff is not None
                and grid.locked_at
                and grid.locked_at > cutoff
            ):
                item.signed_late = _(
                    "Grille signée le %(when)s, après le début de la délibération : hors du "
                    "dossier du jury."
                ) % {"when": _moment(grid.locked_at)}
                late.append(f"{competence.code} : {item.signed_late}")
                grid = None
            if grid is not None:
                item.grid_status = grid.status
                item.grid_status_label = grid.get_status_display()
                item.proposal = grid.proposal
                item.proposal_label = grid.get_proposal_display() if grid.proposal else ""
                item.justification = grid.proposal_justification
                item.groups, item.unscored = _groups(grid)
                item.signatories = [
                    s.member.user.get_full_name() or s.member.user.username
                    for s in grid.signatures.all()
                ]
            opinion_item = opinion_items.get(competence.pk)
            if opinion_item is not None and opinion.status == OpinionStatus.SIGNED:
                item.opinion = opinion_item.value
                item.opinion_label = opinion_item.get_value_display() if opinion_item.value else ""
                item.opinion_comment = opinion_item.comment
        files.append(item)
    credits = sorted({id(c): c for c in covered.values()}.values(), key=lambda c: c.jury_date)
    documents = list(
        DossierDocument.objects.filter(dossier=dossier).order_by("-uploaded_at", "-id")
    )
    result = DossierFile(
        dossier=dossier,
        competences=files,
        credits=credits,
        documents=documents,
        accommodation=accommodation_to_apply(dossier),
        opinion_required=dossier.access_route != AccessStatus.VAE
        and dossier.company_id is not None,
        late=late,
    )
    if opinion is not None:
        result.opinion_status = opinion.status
        result.opinion_status_label = opinion.get_status_display()
        result.opinion_comment = (
            opinion.general_comment
            if opinion.status == OpinionStatus.SIGNED
            else opinion.unavailable_reason
        )
        result.opinion_author = opinion.get_author_capacity_display()
    result.checks = _checks(dossier, result)
    if cutoff is not None:
        result.checks.append(
            Check(
                _("Grilles et avis signés avant le début de la délibération"),
                not late,
                " ".join(late),
            )
        )
    return result


def _checks(dossier, file: DossierFile) -> list[Check]:
    """What the jury looks at before saying the evaluation followed the rules."""
    to_decide = file.to_decide
    checks = []
    signed = [c for c in to_decide if c.signed]
    checks.append(
        Check(
            _("Grilles d'évaluation signées par la commission"),
            bool(to_decide) and len(signed) == len(to_decide),
            _("%(signed)s sur %(total)s") % {"signed": len(signed), "total": len(to_decide)},
        )
    )
    unscored = sum(c.unscored for c in to_decide)
    checks.append(
        Check(
            _(
                "Chaque critère évalué (les critères conditionnels « non applicables » hors "
                "handicap déclaré)"
            ),
            unscored == 0 and all(c.grid_status for c in to_decide),
            ngettext("%(n)s critère sans évaluation", "%(n)s critères sans évaluation", unscored)
            % {"n": unscored}
            if unscored
            else "",
        )
    )
    missing = [c.competence.code for c in to_decide if not c.proposal]
    checks.append(
        Check(
            _("Proposition de la commission pour chaque compétence"),
            not missing,
            ", ".join(missing),
        )
    )
    refusals = list(
        ConflictDeclaration.objects.filter(dossier=dossier, accepted=False).select_related(
            "member__user"
        )
    )
    checks.append(
        Check(
            _("Déclarations d'absence de lien des évaluateurs"),
            not refusals,
            "; ".join(
                f"{r.member.user.get_full_name() or r.member.user.username} : {r.refusal_reason}"
                for r in refusals
            ),
        )
    )
    if file.opinion_required:
        ok = file.opinion_status in {OpinionStatus.SIGNED, OpinionStatus.UNAVAILABLE}
        checks.append(
            Check(
                _("Avis de l'entreprise"),
                ok,
                file.opinion_status_label or _("non recueilli"),
            )
        )
    else:
        checks.append(
            Check(_("Avis de l'entreprise"), None, _("sans objet (VAE ou sans entreprise)"))
        )
    late = [d.original_name for d in file.documents if d.late]
    checks.append(
        Check(
            _("Rapports remis dans les délais"),
            not late,
            ", ".join(late),
        )
    )
    checks.append(
        Check(
            _("Dossier prêt pour le jury"),
            dossier.status
            in {DossierStatus.READY_FOR_JURY, DossierStatus.DECIDED, DossierStatus.CLOSED},
            dossier.get_status_display(),
        )
    )
    return checks
