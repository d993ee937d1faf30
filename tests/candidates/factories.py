"""Factories for the candidates tests, including a small published referential
(Qualification → published ReferentialVersion → 2 modalities → B1..B3 → C1..C8)."""

import datetime

import factory
from django.utils import timezone

from candidates.models import (
    AccessStatus,
    Candidate,
    Credit,
    Dossier,
    DossierCompetence,
    DossierDocument,
    Sex,
)
from cqpm.models import Bloc, Competence, EvaluationModality, Qualification, ReferentialVersion
from tests.factories import CentreFactory, CompanyFactory

BLOC_COMPETENCES = {"B1": (1, 2, 3), "B2": (4, 5), "B3": (6, 7, 8)}


def build_referential(
    *, slug="manager-secteur-activites", rncp_registered=True, number=1, published=True
):
    """A published version of a CQPM shaped like the seed (3 blocs, 8 competences)."""
    qualification, _ = Qualification.objects.get_or_create(
        slug=slug,
        defaults={
            "title": "Manager de secteur d'activités",
            "rncp_registered": rncp_registered,
            "certifier": "UIMM",
        },
    )
    version = ReferentialVersion.objects.create(
        qualification=qualification, number=number, status=ReferentialVersion.Status.DRAFT
    )
    EvaluationModality.objects.create(
        version=version,
        code="real_work",
        label="Évaluation en situation professionnelle réelle",
        requires_report=False,
        order=1,
    )
    EvaluationModality.objects.create(
        version=version,
        code="project_presentation",
        label="Présentation de projets ou activités réalisés en milieu professionnel",
        requires_report=True,
        order=2,
    )
    for order, (code, numbers) in enumerate(BLOC_COMPETENCES.items(), start=1):
        bloc = Bloc.objects.create(version=version, code=code, title=f"Bloc {code}", order=order)
        for number in numbers:
            Competence.objects.create(
                version=version,
                bloc=bloc,
                code=f"C{number}",
                number=number,
                title=f"Compétence {number}",
                short_title=f"Compétence {number} (bloc)",
                order=number,
            )
    if published:  # content first, then publish (a published version is immutable)
        version.status = ReferentialVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
    return version


def modality(version, code="real_work"):
    return version.modalities.get(code=code)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    centre = factory.SubFactory(CentreFactory)
    birth_name = factory.Sequence(lambda n: f"NOM{n}")
    first_names = factory.Sequence(lambda n: f"Prénom{n}")
    sex = Sex.FEMALE
    birth_date = datetime.date(1990, 5, 17)
    birth_commune = "Lyon"
    birth_department = "69"
    email = factory.Sequence(lambda n: f"candidat{n}@example.org")
    access_status = AccessStatus.EMPLOYEE


class DossierFactory(factory.django.DjangoModelFactory):
    """A draft dossier on ``referential_version`` (built when not given), with one
    ``DossierCompetence`` per competence (no modality yet) unless ``competences=False``."""

    class Meta:
        model = Dossier
        skip_postgeneration_save = True

    centre = factory.SubFactory(CentreFactory)
    candidate = factory.SubFactory(CandidateFactory, centre=factory.SelfAttribute("..centre"))
    referential_version = factory.LazyFunction(
        lambda: ReferentialVersion.objects.filter(status="published").first() or build_referential()
    )
    access_route = AccessStatus.EMPLOYEE
    company = factory.LazyAttribute(lambda d: CompanyFactory(centre=d.centre))
    tutor_name = "Jeanne Tutrice"

    @factory.post_generation
    def competences(obj, create, extracted, **kwargs):  # noqa: N805
        if not create or extracted is False:
            return
        modality_obj = extracted if isinstance(extracted, EvaluationModality) else None
        DossierCompetence.objects.bulk_create(
            DossierCompetence(dossier=obj, competence=c, modality=modality_obj)
            for c in obj.referential_version.competences.all()
        )


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credit

    centre = factory.SelfAttribute("candidate.centre")
    competence = None
    bloc = None
    jury_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    valid_until = factory.LazyAttribute(
        lambda c: c.jury_date + datetime.timedelta(days=730 if c.competence else 1825)
    )


class DossierDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DossierDocument

    file = factory.django.FileField(filename="rapport.pdf", data=b"%PDF-1.4\n%%EOF\n")
    original_name = "rapport.pdf"
    content_type = "application/pdf"
    size = 15
    sha256 = "0" * 64
