"""The PV, the result letters and the parchemin speak of people as they are: "Madame",
"née le", "Présidente" from the known sex ("né(e)" only when it is unknown), and the PV is
"Fait à Lyon" (the session's town), not "Fait à Salle du conseil — Lyon"."""

import io

import pytest
from django.utils.formats import date_format
from django.utils.timezone import localtime
from pypdf import PdfReader

from centres.access import build_actor
from documents.builders import build_certificate
from documents.models import CertificateRecord, DocumentKind, GeneratedDocument
from documents.rendering import render_pdf
from juries import paperwork, services
from juries.models import Decision, JuryMember, JurySession

from .factories import NA, A, all_codes, deliberating_session, ready_dossier, sign_all, vote_all

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def _closed(world, version, *, president_sex="F"):
    world.centre_a.city = "Villeurbanne"
    world.centre_a.save(update_fields=["city"])
    dossiers = [
        ready_dossier(world.centre_a, version, birth_name="Aubert", first_names="Lucie", sex="F"),
        ready_dossier(world.centre_a, version, birth_name="Bastide", first_names="Marc", sex="M"),
    ]
    session, members, items = deliberating_session(world, version, dossiers)
    JurySession.objects.filter(pk=session.pk).update(town="Lyon")
    JuryMember.objects.filter(session=session, is_president=True).update(sex=president_sex)
    JuryMember.objects.filter(session=session, is_president=False).update(sex="M")
    for index, item in enumerate(items):
        vote_all(item, members, {c: (NA if c == "C8" and index else A) for c in all_codes(item)})
    services.close_session(session, actor=build_actor(world.user("staff")))
    # the parchemins and letters are issued once every present member signed the PV
    sign_all(session, JuryMember.objects.filter(session=session))
    return session, items


def _render(builder, document):
    template, context = builder(document)
    return pdf_text(render_pdf(template, context))


def test_the_minutes_are_done_in_the_town_with_sexed_wording(world, version):
    _closed(world, version)
    text = _render(
        paperwork.build_minutes,
        GeneratedDocument.objects.filter(kind="jury_minutes").earliest("pk"),
    )
    assert "Fait à Lyon, le" in text
    assert "Fait à Salle" not in text and "Salle du conseil, Lyon" in text
    assert "née le" in text and "né le" in text and "né(e)" not in text
    assert "Présidente du jury, voix prépondérante" in text and "Président(e)" not in text
    assert "Présent(e)" not in text and "Présente" in text


def test_a_president_of_unknown_sex_stays_president_e(world, version):
    _closed(world, version, president_sex="")
    text = _render(
        paperwork.build_minutes,
        GeneratedDocument.objects.filter(kind="jury_minutes").earliest("pk"),
    )
    assert "Président(e) du jury, voix prépondérante" in text


def test_the_result_letter_greets_madame_and_is_signed_by_the_presidente(world, version):
    _session, items = _closed(world, version)
    decision = Decision.objects.get(item=items[0])
    letter = GeneratedDocument.objects.get(kind="result_letter", subject_id=str(decision.pk))
    text = _render(paperwork.build_result_letter, letter)
    assert "Madame," in text and "Madame, Monsieur" not in text
    assert "agréer, Madame, l'expression" in text
    assert "Présidente du jury paritaire de délibération" in text
    assert "Lyon, le" in text  # dated in the session's town
    # signed by the president's PV signature, not an empty "Signature :" box
    president = JuryMember.objects.get(session=_session, is_president=True)
    signed_on = date_format(localtime(president.signatures.get().signed_at), "j F Y")
    assert f"Signé électroniquement par {president.name}, le {signed_on}" in text
    assert "Signature :" not in text
    other = Decision.objects.get(item=items[1])
    letter = GeneratedDocument.objects.get(kind="result_letter", subject_id=str(other.pk))
    text = _render(paperwork.build_result_letter, letter)
    assert "Monsieur," in text and "Madame" not in text


def test_the_parchemin_says_nee_le_and_is_done_in_lyon(world, version):
    _closed(world, version)
    record = CertificateRecord.objects.get(kind="certificate")
    assert record.holder_sex == "F" and record.issued_place == "Lyon"
    assert record.signatory_title == "Présidente du jury paritaire de délibération"
    document = GeneratedDocument.objects.get(kind=DocumentKind.CERTIFICATE)
    text = _render(build_certificate, document)
    assert "née le" in text and "né(e)" not in text
    assert "Fait à Lyon" in text
    assert "Présidente du jury paritaire de délibération" in text


def test_a_holder_of_unknown_sex_is_ne_e(world, version):
    _closed(world, version)
    CertificateRecord.objects.filter(kind="certificate").update(holder_sex="")
    document = GeneratedDocument.objects.get(kind=DocumentKind.CERTIFICATE)
    assert "né(e) le" in _render(build_certificate, document)
