"""Sample contexts of every PDF template (tests, benchmark, template work).

They follow the CQPM "Manager de secteur d'activités" (3 blocs, 8 competences); the codes
that are not public (CQPM code, RNCP number, levels) stay empty and print "à renseigner".
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from documents.builders import qr_data_uri
from documents.contexts import (
    BlocLine,
    CandidateDecision,
    CentreHeader,
    CertificateContext,
    CodeTitle,
    CompanyOpinionContext,
    ConvocationContext,
    ConvocationItem,
    CriteriaGroup,
    EvaluationGridContext,
    GridCompetence,
    GridCriterion,
    JuryMember,
    JuryMinutesContext,
    OpinionLine,
    Person,
    Qualification,
    ResultLetterContext,
    Signature,
)

PARIS = ZoneInfo("Europe/Paris")
TITLE = "Manager de secteur d'activités"
BLOCS = [
    (
        "B1",
        "La construction de l'organisation de son secteur",
        [
            ("C1", "Définir l'organisation de l'activité de son secteur à court et moyen terme"),
            ("C2", "Optimiser le fonctionnement du secteur face aux aléas et aux événements"),
            ("C3", "Manager son secteur"),
        ],
    ),
    (
        "B2",
        "La conduite du changement de son secteur",
        [
            ("C4", "Mesurer la performance de son secteur"),
            ("C5", "Conduire des projets d'amélioration de la performance de son secteur"),
        ],
    ),
    (
        "B3",
        "Le management des compétences de son secteur",
        [
            ("C6", "Définir les besoins en compétences de son secteur"),
            ("C7", "Evaluer les compétences des membres de son équipe"),
            ("C8", "Assurer l'évolution des compétences des membres de son secteur"),
        ],
    ),
]
COMPETENCES = [CodeTitle(code=c, title=t) for _, _, comps in BLOCS for c, t in comps]
HEADINGS = [
    "Méthodes utilisées",
    "Moyens utilisés",
    "Liens professionnels / relationnels",
    "Contraintes liées au milieu et à l'environnement de travail",
]
FIRST_NAMES = ["Camille", "Léa", "Hugo", "Inès", "Lucas", "Chloé", "Nathan", "Manon", "Yanis"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand"]


def sample_centre() -> CentreHeader:
    return CentreHeader(name="UIMM Lyon-Rhône", address="60 rue Sainte-Jeanne-d'Arc", city="Lyon")


def sample_person(index: int = 0) -> Person:
    return Person(
        first_name=FIRST_NAMES[index % len(FIRST_NAMES)],
        last_name=f"{LAST_NAMES[index % len(LAST_NAMES)]}-{index + 1:03d}",
        birth_date=date(1990, 1, 1) + timedelta(days=97 * index),
        birth_place="Villeurbanne",
        address_lines=["12 rue de la République", "69002 Lyon"],
    )


def sample_qualification() -> Qualification:
    return Qualification(title=TITLE, referential_version="2024-1")


def blocs_lines(codes=("B1", "B2", "B3")) -> list[BlocLine]:
    return [
        BlocLine(code=code, title=title, competences=[CodeTitle(code=c, title=t) for c, t in comps])
        for code, title, comps in BLOCS
        if code in codes
    ]


def certificate(kind: str = "certificate", *, holder_index: int = 0) -> CertificateContext:
    code = "7K2QD-M9XAB"
    url = f"https://parchemin.example.org/verifier/{code}/"
    partial = kind == "attestation"
    return CertificateContext(
        centre=sample_centre(),
        reference="UIMM-LYON-2026-000123",
        kind=kind,
        number="UIMM-LYON-2026-000123",
        verification_code=code,
        verification_url=url,
        qr_data_uri=qr_data_uri(url),
        holder=sample_person(holder_index),
        qualification=sample_qualification(),
        certifier="",
        blocs=blocs_lines(("B1",) if partial else ("B1", "B2", "B3")),
        competences=COMPETENCES[:4] if partial else COMPETENCES,
        jury_date=date(2026, 6, 18),
        issued_on=date(2026, 6, 25),
        issued_place="Lyon",
        signatory=Signature(name="Anne Lefèvre", capacity="Présidente du jury paritaire"),
        signed_on=date(2026, 6, 19),
    )


def jury_minutes(candidates: int = 12) -> JuryMinutesContext:
    members = [
        JuryMember(name="Anne Lefèvre", college="Collège employeurs", is_president=True),
        JuryMember(name="Paul Garnier", college="Collège employeurs"),
        JuryMember(name="Olivier Faure", college="Collège employeurs", present=False),
        JuryMember(name="Sophie Morel", college="Collège salariés"),
        JuryMember(name="Karim Haddad", college="Collège salariés"),
        JuryMember(name="Julie Roux", college="Collège salariés"),
    ]
    codes = [c.code for c in COMPETENCES]
    decisions = []
    for index in range(candidates):
        failed = codes[index % 3 + 5] if index % 4 == 3 else None
        marks = {code: ("NA" if code == failed else "A") for code in codes}
        decisions.append(
            CandidateDecision(
                candidate=sample_person(index),
                dossier_reference=f"D-2026-{index + 1:04d}",
                competences=marks,
                blocs_validated=["B1", "B2"] if failed else ["B1", "B2", "B3"],
                outcome="Validation partielle" if failed else "CQPM délivré",
                abstentions=["Paul Garnier"] if index % 17 == 5 else [],
                note="Avis de l'entreprise divergent sur C4" if index % 23 == 7 else "",
            )
        )
    return JuryMinutesContext(
        centre=sample_centre(),
        reference="JS-2026-06",
        qualification=sample_qualification(),
        session_date=date(2026, 6, 18),
        place="Salle du conseil, Lyon",
        town="Lyon",
        session_reference="JS-2026-06",
        members=members,
        quorum=4,
        regularity_statement=(
            "Le jury a vérifié que les évaluations se sont déroulées conformément au "
            "référentiel et aux règles de la certification."
        ),
        competence_codes=codes,
        decisions=decisions,
        observations="Aucune observation.",
    )


def result_letter(outcome: str = "partial") -> ResultLetterContext:
    partial = outcome == "partial"
    return ResultLetterContext(
        centre=sample_centre(),
        reference="D-2026-0004",
        candidate=sample_person(3),
        qualification=sample_qualification(),
        jury_date=date(2026, 6, 18),
        outcome=outcome,
        validated_competences=COMPETENCES[:5] if partial else COMPETENCES,
        missing_competences=COMPETENCES[5:] if partial else [],
        validated_blocs=[CodeTitle(code=b[0], title=b[1]) for b in BLOCS[:2]],
        rncp_registered=True,
        competences_valid_until=date(2028, 6, 18) if partial else None,
        blocs_valid_until=date(2031, 6, 18) if partial else None,
        place="Lyon",
        letter_date=date(2026, 6, 20),
        signatory=Signature(
            name="Anne Lefèvre",
            capacity="Présidente du jury paritaire",
            signed_at=datetime(2026, 6, 18, 17, 40, tzinfo=UTC),
        ),
    )


def convocation() -> ConvocationContext:
    return ConvocationContext(
        centre=sample_centre(),
        reference="EV-2026-031",
        candidate=sample_person(1),
        qualification=sample_qualification(),
        starts_at=datetime(2026, 5, 12, 9, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 5, 12, 12, 30, tzinfo=PARIS),
        place="Société Alpha, atelier 3, 8 avenue des Forges, 38000 Grenoble",
        company_name="Société Alpha",
        items=[
            ConvocationItem(
                competence=c,
                modality="Évaluation en situation professionnelle réelle"
                if c.code in {"C1", "C2", "C3"}
                else "Présentation de projets ou activités réalisés en milieu professionnel",
            )
            for c in COMPETENCES
        ],
        report_deadline=date(2026, 4, 28),
        things_to_bring=["Une pièce d'identité", "Le rapport écrit (trois exemplaires)"],
        accommodation="Temps de présentation majoré d'un tiers.",
        contact="Service certification — 04 00 00 00 00",
        signatory=Signature(name="Marc Girard", capacity="Chargé de certification"),
    )


def evaluation_grid() -> EvaluationGridContext:
    competences = []
    for index, comp in enumerate(COMPETENCES):
        groups = [
            CriteriaGroup(
                heading=heading,
                criteria=[
                    GridCriterion(
                        label=f"Critère {h + 1}.{n + 1} de {comp.code}", result="Satisfait"
                    )
                    for n in range(2)
                ],
            )
            for h, heading in enumerate(HEADINGS)
        ]
        groups[2].criteria.append(
            GridCriterion(
                label="Adapte l'accueil en cas de handicap déclaré",
                result="Non applicable",
                conditional=True,
            )
        )
        competences.append(
            GridCompetence(
                code=comp.code,
                title=comp.title,
                modality="Évaluation en situation professionnelle réelle",
                conditions="Dans le cadre de l'activité de son secteur.",
                groups=groups,
                expected_results=["Les objectifs sont définis", "Les ressources sont affectées"],
                proposal="Non acquis" if index == 6 else "Acquis",
            )
        )
    return EvaluationGridContext(
        centre=sample_centre(),
        reference="D-2026-0002",
        candidate=sample_person(1),
        qualification=sample_qualification(),
        dossier_reference="D-2026-0002",
        company_name="Société Alpha",
        evaluated_on=date(2026, 5, 12),
        place="Grenoble",
        competences=competences,
        general_comment="Candidat bien préparé.",
        assessors=[
            Signature(
                name="Éric Blanc",
                capacity="Évaluateur",
                signed_at=datetime(2026, 5, 12, 17, 5, tzinfo=PARIS),
            ),
            Signature(
                name="Nadia Benali",
                capacity="Évaluatrice",
                signed_at=datetime(2026, 5, 12, 17, 9, tzinfo=PARIS),
            ),
        ],
    )


def company_opinion() -> CompanyOpinionContext:
    return CompanyOpinionContext(
        centre=sample_centre(),
        reference="D-2026-0002",
        candidate=sample_person(1),
        qualification=sample_qualification(),
        company_name="Société Alpha",
        author=Signature(
            name="Pierre Vidal",
            capacity="Tuteur",
            signed_at=datetime(2026, 5, 2, 10, 0, tzinfo=PARIS),
        ),
        given_on=date(2026, 5, 2),
        lines=[
            OpinionLine(
                competence=c,
                opinion="Réservé" if c.code == "C4" else "Favorable",
                comment="Indicateurs encore incomplets." if c.code == "C4" else "",
            )
            for c in COMPETENCES
        ],
        general_comment="Implication constante dans le secteur.",
    )


SAMPLES = {
    "certificate": lambda: ("documents/pdf/certificate.html", certificate("certificate")),
    "attestation": lambda: ("documents/pdf/attestation.html", certificate("attestation")),
    "jury_minutes": lambda: ("documents/pdf/jury_minutes.html", jury_minutes()),
    "result_letter": lambda: ("documents/pdf/result_letter.html", result_letter()),
    "convocation": lambda: ("documents/pdf/convocation.html", convocation()),
    "evaluation_grid": lambda: ("documents/pdf/evaluation_grid.html", evaluation_grid()),
    "company_opinion": lambda: ("documents/pdf/company_opinion.html", company_opinion()),
}
