"""The PDFs this app plugs into the documents registry: convocation, signed grid, avis."""

import pytest
from django.utils import translation

from candidates.models import Accommodation
from documents.models import GeneratedDocument
from documents.rendering import render_html
from documents.services import get_renderer
from evaluations import pdf, services
from evaluations.models import SessionDossier

from .factories import agreed_dossier, complete, referential, seated_session, sign_by_all


def _document(kind, subject):
    meta = subject._meta
    return GeneratedDocument(
        kind=kind, subject_type=f"{meta.app_label}.{meta.model_name}", subject_id=str(subject.pk)
    )


def test_renderers_are_registered():
    for kind in ("convocation", "evaluation_grid", "company_opinion"):
        assert get_renderer(kind) is not None


def test_convocation_carries_the_accommodation_to_apply_only(world, session, dossier):
    Accommodation.objects.create(
        centre=world.centre_a, dossier=dossier, needs="Dossier médical", to_apply="Tiers-temps"
    )
    slot = SessionDossier.objects.get(session=session, dossier=dossier)
    template, ctx = pdf.build_convocation(_document("convocation", slot))
    html = render_html(template, ctx)
    assert "Atelier 3" in html and "Tiers-temps" in html and "médical" not in html
    assert [item.competence.code for item in ctx.items] == ["C1", "C2"]


def test_signed_grid_document_is_requested_and_built(
    world, session, dossier, assessors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for grid in dossier.grids.all():
            complete(grid, assessors[0])
            sign_by_all(grid, assessors)
    document = GeneratedDocument.objects.get(kind="evaluation_grid")
    assert document.subject_type == "evaluations.sessiondossier"
    template, ctx = pdf.build_grid(document)
    assert [c.proposal for c in ctx.competences] == ["Acquise", "Acquise"]
    assert len(ctx.assessors) == 2 and all(a.signed_at for a in ctx.assessors)
    html = render_html(template, ctx)
    assert "Méthodes utilisées" in html and "Satisfait" in html


@pytest.mark.parametrize("criteria", [10, 30])
def test_grid_context_costs_the_same_for_10_and_30_criteria(
    world, assessors, criteria, django_assert_num_queries
):
    version = referential(criteria=criteria, competences=2)
    dossier = agreed_dossier(world.centre_a, version, company=world.company_a)
    session = seated_session(world, [dossier], assessors=assessors)
    slot = SessionDossier.objects.select_related(
        "session__centre",
        "dossier__candidate",
        "dossier__company",
        "dossier__referential_version__qualification",
    ).get(session=session)
    with django_assert_num_queries(6):
        ctx = pdf.grid_context(slot)
    assert sum(len(g.criteria) for c in ctx.competences for g in c.groups) == criteria * 2


def test_signed_avis_document(world, dossier, django_capture_on_commit_callbacks):
    rep = world.user("company_rep")
    items = [
        {"competence": row.competence_id, "value": "reserved", "comment": "À suivre"}
        for row in dossier.competences.all()
    ]
    with django_capture_on_commit_callbacks(execute=True):
        opinion = services.give_opinion(dossier, actor=rep, items=items)
        services.sign_opinion(opinion, actor=rep)
    document = GeneratedDocument.objects.get(kind="company_opinion")
    template, ctx = pdf.build_opinion(document)
    assert [line.opinion for line in ctx.lines] == ["Réservé", "Réservé"]
    assert ctx.author.name == rep.get_full_name()
    assert "Réservé" in render_html(template, ctx)


def test_staff_produce_the_convocations_of_a_session(client, world, session, dossier):
    from django.urls import reverse

    client.force_login(world.user("staff"))
    response = client.post(reverse("evaluations:session_convocations", args=[session.pk]))
    document = GeneratedDocument.objects.get(kind="convocation")
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:batch", args=[document.batch_id])
    assert document.subject_type == "evaluations.sessiondossier"
    assert dossier.candidate.full_name in document.label


def test_contexts_built_in_english_render_in_french(
    world, session, dossier, assessors, django_capture_on_commit_callbacks
):
    """Built during an English request, the grid and avis contexts keep lazy labels: the PDFs
    (rendered in French by documents.rendering) show them in French."""
    rep = world.user("company_rep")
    items = [
        {"competence": row.competence_id, "value": "reserved", "comment": ""}
        for row in dossier.competences.all()
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for grid in dossier.grids.all():
            complete(grid, assessors[0])
            sign_by_all(grid, assessors)
        opinion = services.give_opinion(dossier, actor=rep, items=items, author_capacity="tutor")
        services.sign_opinion(opinion, actor=rep)
    try:
        translation.activate("en")
        template, ctx = pdf.build_grid(GeneratedDocument.objects.get(kind="evaluation_grid"))
        grid_html = render_html(template, ctx)
        template, ctx = pdf.build_opinion(GeneratedDocument.objects.get(kind="company_opinion"))
        opinion_html = render_html(template, ctx)
    finally:
        translation.deactivate()
    assert "Acquise" in grid_html and "Satisfait" in grid_html
    assert "Acquired" not in grid_html and ">Met<" not in grid_html
    assert "Réservé" in opinion_html and "(Tuteur)" in opinion_html
    assert "Reserved" not in opinion_html and "Tutor" not in opinion_html


def test_convocation_greets_by_sex_and_keeps_notes_out_of_the_contact_line(world, session, dossier):
    from documents.rendering import render_pdf
    from evaluations.models import EvaluationSession
    from tests.juries.test_document_wording import pdf_text

    EvaluationSession.objects.filter(pk=session.pk).update(
        notes="Badge à retirer à l'accueil.", town="Lyon"
    )
    slot = SessionDossier.objects.get(session=session, dossier=dossier)
    template, ctx = pdf.build_convocation(_document("convocation", slot))
    text = pdf_text(render_pdf(template, ctx))
    assert "Madame," in text and "Madame, Monsieur" not in text  # Claire Martin
    assert "Vous êtes convoquée" in text
    assert "Informations pratiques Badge à retirer à l'accueil." in text
    assert "Pour toute question : Badge" not in text
    assert "Atelier 3, Lyon" in text
