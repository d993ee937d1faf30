"""Anonymisation also removes the PDFs that name the candidate, and keeps the legal records."""

from candidates import privacy
from centres.access import build_actor
from documents.models import GeneratedDocument
from tests.documents.factories import make_document

from .privacy_helpers import expired_candidate


def test_anonymisation_deletes_the_candidates_pdfs_but_keeps_legal_records(
    world, django_capture_on_commit_callbacks
):
    candidate, dossier = expired_candidate(world.centre_a)
    other_candidate, other_dossier = expired_candidate(world.centre_a, birth_name="AUTRE")
    grid = make_document(
        world.centre_a,
        kind="evaluation_grid",
        subject=("candidates.dossier", str(dossier.pk)),
        with_file=True,
    )
    letter = make_document(
        world.centre_a,
        kind="result_letter",
        subject=("candidates.dossier", str(dossier.pk)),
        with_file=True,
    )
    certificate = make_document(
        world.centre_a, kind="certificate", subject=("candidates.dossier", str(dossier.pk))
    )
    minutes = make_document(
        world.centre_a, kind="jury_minutes", subject=("juries.jurysession", "1")
    )
    someone_else = make_document(
        world.centre_a,
        kind="evaluation_grid",
        subject=("candidates.dossier", str(other_dossier.pk)),
    )
    storage, name = grid.file.storage, grid.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        privacy.anonymise_candidate(candidate, actor=build_actor(world.user("centre_admin")))

    remaining = set(GeneratedDocument.objects.values_list("pk", flat=True))
    assert grid.pk not in remaining and letter.pk not in remaining
    assert {certificate.pk, minutes.pk, someone_else.pk} <= remaining
    assert not storage.exists(name)
