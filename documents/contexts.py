"""What each PDF template receives: one documented dataclass per document kind.

A renderer registered with :func:`documents.services.register_renderer` returns
``(template_name, context)`` where ``context`` is one of these dataclasses; the template sees
it as ``ctx``. The apps that own the data (candidates, evaluations, juries) fill them from
their models, with ``select_related``/``prefetch_related`` so that building a context costs
a fixed number of queries whatever the number of rows (asserted by their tests).

Conventions: plain strings already in French (labels, not codes) so templates stay dumb;
dates as ``date``/``datetime`` (the templates format them the French way); an empty string
or ``None`` prints "à renseigner" wherever the document must carry the mention (RNCP number,
levels, certifier…): never invent a value that is not known.
"""

import base64
import mimetypes
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cqpm.mentions import specimen_mode

# --- shared pieces ------------------------------------------------------------------------


@dataclass(kw_only=True)
class CentreHeader:
    """The centre printed in every page header. ``logo_data_uri`` is a ``data:`` URI (the
    URL fetcher serves nothing outside the static files, so the logo is inlined)."""

    name: str
    address: str = ""
    city: str = ""
    logo_data_uri: str = ""

    LOGO_MAX_BYTES = 512 * 1024
    LOGO_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/gif")

    @classmethod
    def from_centre(cls, centre) -> "CentreHeader":
        return cls(
            name=centre.name,
            address=centre.address,
            city=centre.city,
            logo_data_uri=cls._logo_uri(centre),
        )

    @classmethod
    def _logo_uri(cls, centre) -> str:
        logo = getattr(centre, "logo", None)
        if not logo:
            return ""
        mime = mimetypes.guess_type(logo.name)[0]
        if mime not in cls.LOGO_TYPES:
            return ""
        try:
            with logo.open("rb") as handle:
                data = handle.read(cls.LOGO_MAX_BYTES + 1)
        except OSError:
            return ""  # a missing logo file must not stop a certificate
        if len(data) > cls.LOGO_MAX_BYTES:
            return ""
        return f"data:{mime};base64,{base64.b64encode(data).decode()}"


@dataclass(kw_only=True)
class Person:
    """A candidate or holder. ``address_lines`` only for letters sent by post."""

    first_name: str
    last_name: str
    birth_date: date | None = None
    birth_place: str = ""
    address_lines: list[str] = field(default_factory=list)
    # "F", "M" or "" (unknown): "Madame", "née le"…; "né(e)" and "Madame, Monsieur" only
    # when it is unknown.
    sex: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}".strip()


@dataclass(kw_only=True)
class Signature:
    """A signature block: name, capacity, and when it was signed (``None``: blank box)."""

    name: str
    capacity: str = ""
    signed_at: datetime | None = None


@dataclass(kw_only=True)
class CodeTitle:
    code: str
    title: str


@dataclass(kw_only=True)
class BlocLine:
    code: str
    title: str
    competences: list[CodeTitle] = field(default_factory=list)


@dataclass(kw_only=True)
class Qualification:
    """The CQPM as the documents name it. Unknown codes stay empty ("à renseigner")."""

    title: str
    code: str = ""
    referential_version: str = ""
    rncp_number: str = ""


@dataclass(kw_only=True)
class PdfContext:
    """Base of every context: the centre header and the reference printed in the footer."""

    centre: CentreHeader
    reference: str = ""
    generated_on: date = field(default_factory=timezone.localdate)
    # « SPÉCIMEN » across every page: set on the documents a jury issues (PV, letter,
    # parchemin, attestation) when the deployment issues specimens (cqpm.mentions).
    specimen: bool = False

    # The document's title (class attribute, overridden per kind): lazy, so it follows the
    # language the template is rendered in (documents.rendering renders PDFs in French).
    title = ""


# --- convocation --------------------------------------------------------------------------


@dataclass(kw_only=True)
class ConvocationItem:
    competence: CodeTitle
    modality: str  # "Évaluation en situation professionnelle réelle", …


@dataclass(kw_only=True)
class ConvocationContext(PdfContext):
    """Convocation of a candidate to an evaluation (filled by ``evaluations``)."""

    title = _("Convocation à l'évaluation")
    candidate: Person
    qualification: Qualification
    starts_at: datetime
    ends_at: datetime | None = None
    place: str
    company_name: str = ""
    # The session's practical information (room, badge…), printed under its own heading.
    practical_notes: str = ""
    items: list[ConvocationItem] = field(default_factory=list)
    report_deadline: date | None = None  # "présentation de projets": report due before
    things_to_bring: list[str] = field(default_factory=list)
    # Only the accommodation the candidate will receive, never the underlying health data.
    accommodation: str = ""
    contact: str = ""
    signatory: Signature | None = None


# --- evaluation grid ----------------------------------------------------------------------


@dataclass(kw_only=True)
class GridCriterion:
    label: str
    result: str  # "Satisfait", "Non satisfait", "Non applicable"
    conditional: bool = False  # applies only with a declared handicap
    comment: str = ""


@dataclass(kw_only=True)
class CriteriaGroup:
    heading: str  # one of the 4 headings of the referential
    criteria: list[GridCriterion] = field(default_factory=list)


@dataclass(kw_only=True)
class GridCompetence:
    code: str
    title: str
    modality: str = ""
    conditions: str = ""
    groups: list[CriteriaGroup] = field(default_factory=list)
    expected_results: list[str] = field(default_factory=list)
    proposal: str = ""  # "Acquis" / "Non acquis": the commission's proposal
    comment: str = ""


@dataclass(kw_only=True)
class EvaluationGridContext(PdfContext):
    """The signed evaluation grid of a dossier (filled by ``evaluations``)."""

    title = _("Grille d'évaluation")
    candidate: Person
    qualification: Qualification
    dossier_reference: str = ""
    company_name: str = ""
    evaluated_on: date | None = None
    place: str = ""
    competences: list[GridCompetence] = field(default_factory=list)
    general_comment: str = ""
    assessors: list[Signature] = field(default_factory=list)


# --- company opinion ----------------------------------------------------------------------


@dataclass(kw_only=True)
class OpinionLine:
    competence: CodeTitle
    opinion: str  # "Favorable", "Réservé", "Défavorable"…
    comment: str = ""


@dataclass(kw_only=True)
class CompanyOpinionContext(PdfContext):
    """The company's avis on a candidate (filled by ``evaluations``; never for VAE)."""

    title = _("Avis de l'entreprise")
    candidate: Person
    qualification: Qualification
    company_name: str
    author: Signature  # tutor or manager, with their capacity
    given_on: date | None = None
    lines: list[OpinionLine] = field(default_factory=list)
    general_comment: str = ""


# --- jury minutes -------------------------------------------------------------------------


@dataclass(kw_only=True)
class JuryMember:
    name: str
    college: str  # "Collège employeurs" / "Collège salariés"
    organisation: str = ""  # printed only when the builder decides the PV must carry it
    is_president: bool = False
    present: bool = True
    signed_at: datetime | None = None
    sex: str = ""  # "F", "M" or "" (unknown): "Présidente", "Présente"…


@dataclass(kw_only=True)
class CandidateDecision:
    candidate: Person
    dossier_reference: str = ""
    # competence code → "A" (acquise) / "NA" (non acquise) / "" (not assessed this time)
    competences: dict[str, str] = field(default_factory=dict)
    blocs_validated: list[str] = field(default_factory=list)
    outcome: str  # "CQPM délivré", "Validation partielle", "Non délivré"
    abstentions: list[str] = field(default_factory=list)  # members who abstained
    note: str = ""  # e.g. commission and company disagreed on C4


@dataclass(kw_only=True)
class JuryMinutesContext(PdfContext):
    """The PV of a jury session (filled by ``juries``). Must stay legible for hundreds of
    decisions: the decisions table repeats its header on every page."""

    title = _("Procès-verbal de délibération du jury paritaire")
    qualification: Qualification
    session_date: date
    place: str  # where the jury met (room, address, town)
    town: str = ""  # "Fait à Lyon": the town only (``place`` when empty)
    session_reference: str = ""
    members: list[JuryMember] = field(default_factory=list)
    quorum: int = 0
    regularity_statement: str = ""
    competence_codes: list[str] = field(default_factory=list)
    decisions: list[CandidateDecision] = field(default_factory=list)
    observations: str = ""
    specimen: bool = field(default_factory=specimen_mode)
    # Issue 15: why the unions were invited late (a reason from the list, and its text), and
    # why the jury deliberated with the present members unbalanced between the colleges.
    late_invitation_reason: str = ""
    late_invitation_justification: str = ""
    invitations_sent_on: date | None = None
    imbalance_reason: str = ""

    def members_of(self, college: str) -> list[JuryMember]:
        return [m for m in self.members if m.college == college]

    @property
    def colleges(self) -> list[tuple[str, list[JuryMember]]]:
        names = list(dict.fromkeys(m.college for m in self.members))
        return [(name, self.members_of(name)) for name in names]

    @property
    def present_count(self) -> int:
        return sum(1 for m in self.members if m.present)

    @property
    def quorum_reached(self) -> bool:
        return self.present_count >= self.quorum

    @property
    def signatories(self) -> list[JuryMember]:
        return [m for m in self.members if m.present]


# --- result letter ------------------------------------------------------------------------


@dataclass(kw_only=True)
class ResultLetterContext(PdfContext):
    """The letter telling the candidate the jury's decision (filled by ``juries``).

    ``outcome`` is "awarded", "partial" or "refused". Blocs are listed only when the CQPM is
    RNCP-registered (``rncp_registered``); the validity dates come from the referential's
    settings (24 months for competences, 5 years for blocs by default)."""

    title = _("Notification de la décision du jury")
    candidate: Person
    qualification: Qualification
    jury_date: date
    outcome: str
    validated_competences: list[CodeTitle] = field(default_factory=list)
    missing_competences: list[CodeTitle] = field(default_factory=list)
    validated_blocs: list[CodeTitle] = field(default_factory=list)
    rncp_registered: bool = False
    competences_valid_until: date | None = None
    blocs_valid_until: date | None = None
    place: str = ""
    letter_date: date = field(default_factory=timezone.localdate)
    signatory: Signature | None = None
    specimen: bool = field(default_factory=specimen_mode)


# --- parchemin and attestation ------------------------------------------------------------


@dataclass(kw_only=True)
class CertificateContext(PdfContext):
    """A parchemin (``kind="certificate"``) or an attestation (``kind="attestation"``), built
    from a :class:`documents.models.CertificateRecord` by :mod:`documents.builders`."""

    kind: str
    number: str
    verification_code: str  # display form, e.g. "7K2QD-M9XAB"
    verification_url: str
    qr_data_uri: str
    holder: Person
    qualification: Qualification
    certifier: str = ""
    france_competences_decision_date: date | None = None
    level_national: str = ""
    level_european: str = ""
    blocs: list[BlocLine] = field(default_factory=list)
    competences: list[CodeTitle] = field(default_factory=list)
    jury_date: date
    issued_on: date
    issued_place: str
    signatory: Signature | None = None
    # The day of the electronic signature ("Signé électroniquement par…, le …").
    signed_on: date | None = None
    revoked: bool = False
    specimen: bool = field(default_factory=specimen_mode)

    @property
    def title(self) -> str:  # type: ignore[override]
        if self.kind == "attestation":
            return _("Attestation de validation partielle")
        return _("Certificat de qualification paritaire de la métallurgie")
