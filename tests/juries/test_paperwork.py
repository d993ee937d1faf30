"""The documents a closed session asks for: the PV and the result letters are built by
this app's renderers in a fixed number of queries, render to PDF with the decisions, and
the PV of their sessions is visible to the jurors who sat."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from centres.access import build_actor
from documents.access import documents_for
from documents.models import DocumentKind, GeneratedDocument
from documents.rendering import render_pdf
from juries import paperwork, services
from juries.models import Decision

from .factories import (
    NA,
    A,
    all_codes,
    deliberating_session,
    juror,
    ready_dossier,
    sign_all,
    vote_all,
)

pytestmark = pytest.mark.django_db


def closed_session(world, version, n=2, *, signed=True):
    dossiers = [
        ready_dossier(
            world.centre_a, version, birth_name=f"PV{index}", address="1 rue Haute\n69000 Lyon"
        )
        for index in range(n)
    ]
    session, members, items = deliberating_session(world, version, dossiers)
    for index, item in enumerate(items):
        vote_all(
            item, members, {c: (NA if c == "C8" and index % 2 else A) for c in all_codes(item)}
        )
    services.close_session(session, actor=build_actor(world.user("staff")))
    if signed:
        sign_all(session, members)  # the letters are issued once the PV is signed
    return session, members, items


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_minutes_builder_costs_the_same_for_any_size(world, version, django_assert_num_queries):
    session, members, items = closed_session(world, version, 1, signed=False)
    document = GeneratedDocument.objects.get(kind=DocumentKind.JURY_MINUTES)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        paperwork.build_minutes(document)
    session2, _members, _items = closed_session(world, version, 4, signed=False)
    document2 = GeneratedDocument.objects.filter(kind=DocumentKind.JURY_MINUTES).latest("id")
    with django_assert_num_queries(len(small.captured_queries)):
        template, context = paperwork.build_minutes(document2)
    assert len(context.decisions) == 4
    assert context.present_count == 4 and context.quorum_reached
    assert context.competence_codes == [f"C{n}" for n in range(1, 9)]
    pdf = pdf_text(render_pdf(template, context))
    assert "PV0" in pdf and "PV3" in pdf
    assert "partielle" in pdf and "délivré" in pdf
    assert members[0].name in " ".join(pdf.split())


def test_result_letter(world, version, django_assert_num_queries):
    session, members, items = closed_session(world, version, 2)
    partial = Decision.objects.get(item=items[1])
    letter = GeneratedDocument.objects.get(
        kind=DocumentKind.RESULT_LETTER, subject_id=str(partial.pk)
    )
    with django_assert_num_queries(4):
        template, context = paperwork.build_result_letter(letter)
    assert context.outcome == "partial"
    assert [c.code for c in context.missing_competences] == ["C8"]
    assert [b.code for b in context.validated_blocs] == ["B1", "B2"]
    assert context.candidate.address_lines == ["1 rue Haute", "69000 Lyon"]
    text = pdf_text(render_pdf(template, context))
    assert "Compétences restant à acquérir" in text and "C8" in text
    # The signature cell is narrow: a long name wraps onto the next line.
    assert members[0].name in " ".join(text.split())  # signed by the president


def test_jurors_see_the_minutes_of_their_sessions_only(client, world, version):
    session, members, items = closed_session(world, version, 1)
    minutes = set(
        GeneratedDocument.objects.filter(kind=DocumentKind.JURY_MINUTES).values_list(
            "pk", flat=True
        )
    )
    assert len(minutes) == 2  # the PV signed, then the signed PV
    letter = GeneratedDocument.objects.get(kind=DocumentKind.RESULT_LETTER)
    visible = set(documents_for(build_actor(members[1].user)).values_list("pk", flat=True))
    assert visible == minutes
    stranger = juror(world.centre_a, "juror_stranger")
    assert not documents_for(build_actor(stranger)).exists()
    client.force_login(members[1].user)
    assert client.get(reverse("documents:detail", args=[letter.pk])).status_code == 404
