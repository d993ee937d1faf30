"""The referential loader: validation, all-or-nothing, idempotence, round trip, immutability."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from centres.models import AuditEntry
from cqpm.errors import ReferentialError
from cqpm.loader import (
    dumps,
    export_referential,
    load_referential,
    parse_referential_text,
    read_referential_file,
)
from cqpm.models import (
    Bloc,
    Competence,
    Condition,
    Criterion,
    EvaluationModality,
    ExpectedResult,
    Knowledge,
    Qualification,
    ReferentialVersion,
)
from cqpm.validation import ReferentialValidationError

from .factories import SEED_PATH, clone, seed_text, small_document

pytestmark = pytest.mark.django_db

MODELS = [
    Qualification,
    ReferentialVersion,
    EvaluationModality,
    Bloc,
    Competence,
    Condition,
    Criterion,
    ExpectedResult,
    Knowledge,
]


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def nothing_written():
    return all(count == 0 for count in row_counts().values())


def test_the_seed_file_loads_with_exact_counts(document):
    result = load_referential(document)

    version = result.version
    assert result.action == "created"
    assert version.status == ReferentialVersion.Status.PUBLISHED
    assert version.published_at is not None
    assert (version.competence_credit_months, version.bloc_credit_months) == (24, 60)
    assert row_counts() == {
        "Qualification": 1,
        "ReferentialVersion": 1,
        "EvaluationModality": 2,
        "Bloc": 3,
        "Competence": 8,
        "Condition": 26,
        "Criterion": 103,
        "ExpectedResult": 17,
        "Knowledge": 54,
    }
    assert Criterion.objects.exclude(conditional="").count() == 10
    assert set(Criterion.objects.exclude(conditional="").values_list("conditional", flat=True)) == {
        "handicap"
    }
    assert result.counts["criteria"] == 103 and result.counts["conditional"] == 10
    membership = {
        bloc.code: list(bloc.competences.order_by("number").values_list("code", flat=True))
        for bloc in Bloc.objects.order_by("order")
    }
    assert membership == {"B1": ["C1", "C2", "C3"], "B2": ["C4", "C5"], "B3": ["C6", "C7", "C8"]}
    c2 = Competence.objects.get(code="C2")
    assert c2.title == "Optimiser le fonctionnement du secteur face aux aléas et aux événements"
    assert (
        c2.short_title == "Optimiser le fonctionnement de son secteur face aux aléas et événements"
    )
    first = Criterion.objects.filter(competence__code="C1").order_by("order").first()
    assert first.category == "methods"
    assert first.search_text.startswith("la charge de travail du secteur et des equipes")
    qualification = version.qualification
    assert qualification.slug == "manager-secteur-activites"
    assert (qualification.code, qualification.rncp_code, qualification.level) == ("", "", "")
    assert qualification.rncp_registered is True
    assert EvaluationModality.objects.get(code="project_presentation").requires_report is True
    audit = AuditEntry.objects.get(action="referential.load")
    assert audit.centre_id is None and audit.actor_id is None
    assert audit.subject_id == str(version.pk)


def test_export_of_the_loaded_seed_is_the_data_file_byte_for_byte(document):
    version = load_referential(document).version
    assert dumps(export_referential(version)) == seed_text()


def test_round_trip_export_load_into_empty_database_export(document):
    first = dumps(export_referential(load_referential(document).version))
    # Empty the database (queryset deletes bypass the published-version guard).
    ReferentialVersion.objects.all().delete()
    Qualification.objects.all().delete()
    assert nothing_written()

    again = load_referential(json.loads(first)).version
    assert dumps(export_referential(again)) == first


def test_round_trip_keeps_every_optional_field():
    document = small_document(status="draft")
    document["qualification"].update(
        code="MQ 2020 01",
        rncp_code="RNCP35000",
        level="5",
        european_level="5",
        rncp_registered=True,
        registration_decision_date="2021-03-04",
        description="Mission.\n\nDeuxième paragraphe.",
    )
    document["blocs"][0].update(rncp_code="RNCP35000BC01", description="Activité du bloc.")
    document["modalities"][0]["description"] = "Observation.\n1. un point"
    document["credit_validity_months"] = {"competence": 12, "bloc": 48}
    version = load_referential(clone(document)).version
    exported = export_referential(version)
    assert exported == document
    ReferentialVersion.objects.all().delete()
    Qualification.objects.all().delete()
    assert export_referential(load_referential(exported).version) == document


def test_canonical_form_strips_text_and_fills_defaults():
    document = small_document()
    del document["status"], document["credit_validity_months"], document["format"]
    competence = document["blocs"][0]["competences"][0]
    competence["title"] = "  Titre avec espaces  "
    del competence["short_title"], competence["knowledge"]
    del competence["criteria"][0]["conditional"]
    version = load_referential(document).version
    exported = export_referential(version)
    assert exported["status"] == "draft"
    assert exported["credit_validity_months"] == {"competence": 24, "bloc": 60}
    first = exported["blocs"][0]["competences"][0]
    assert first["title"] == first["short_title"] == "Titre avec espaces"
    assert first["knowledge"] == []
    assert first["criteria"][0]["conditional"] is None


def test_loading_the_same_version_twice_changes_nothing(document):
    first = load_referential(clone(document))
    before = row_counts()
    pks = sorted(Criterion.objects.values_list("pk", flat=True))
    audits = AuditEntry.objects.count()
    published_at = first.version.published_at

    with CaptureQueriesContext(connection) as ctx:
        second = load_referential(clone(document))

    assert second.action == "unchanged" and not second.changed
    assert second.version.pk == first.version.pk
    assert row_counts() == before
    assert sorted(Criterion.objects.values_list("pk", flat=True)) == pks
    assert AuditEntry.objects.count() == audits
    second.version.refresh_from_db()
    assert second.version.published_at == published_at
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


def test_a_published_version_with_different_content_is_refused(document, referential):
    changed = clone(document)
    changed["blocs"][0]["competences"][0]["criteria"][0]["text"] = "Texte modifié."
    before = row_counts()

    with pytest.raises(ReferentialError) as excinfo:
        load_referential(changed)

    assert excinfo.value.code == "published_immutable"
    assert "version publiée immuable" in str(excinfo.value)
    assert "manager-secteur-activites v1" in str(excinfo.value)
    assert row_counts() == before
    assert not Criterion.objects.filter(text="Texte modifié.").exists()


def test_an_archived_version_is_immutable_too(document, referential):
    ReferentialVersion.objects.filter(pk=referential.pk).update(status="archived")
    changed = clone(document)
    changed["credit_validity_months"]["bloc"] = 61
    with pytest.raises(ReferentialError, match="version archivée immuable"):
        load_referential(changed)


def test_a_draft_is_replaced_by_a_new_load():
    load_referential(small_document(status="draft", criteria_per_competence=4))
    result = load_referential(small_document(status="draft", criteria_per_competence=2))
    assert result.action == "replaced"
    assert Criterion.objects.count() == 4  # 2 competences × 2 criteria
    assert AuditEntry.objects.filter(action="referential.replace_draft").count() == 1


def test_a_draft_file_loaded_as_published_is_published():
    load_referential(small_document(status="draft", criteria_per_competence=4))
    result = load_referential(small_document(status="published", criteria_per_competence=3))
    assert result.action == "replaced"
    assert result.version.status == "published" and result.version.published_at is not None


def test_same_content_with_another_status_keeps_the_stored_status():
    load_referential(small_document(status="draft"))
    result = load_referential(small_document(status="published"))
    assert result.action == "unchanged"
    assert result.version.status == "draft"
    assert "statut conservé" in result.notes[0]


def test_qualification_metadata_are_only_filled_never_overwritten(document, referential):
    qualification = referential.qualification
    qualification.code = "MQ 2019 07 69 0340"
    qualification.save()

    assert load_referential(clone(document)).action == "unchanged"
    qualification.refresh_from_db()
    assert qualification.code == "MQ 2019 07 69 0340"

    newer = clone(document)
    newer["qualification"].update(code="AUTRE", rncp_code="RNCP34567", title="Autre titre")
    result = load_referential(newer)
    qualification.refresh_from_db()
    assert result.qualification_filled == ["rncp_code"]
    assert qualification.code == "MQ 2019 07 69 0340"
    assert qualification.rncp_code == "RNCP34567"
    assert qualification.title == "Manager de secteur d'activités"
    assert AuditEntry.objects.filter(action="referential.qualification_fill").count() == 1


def test_a_new_version_of_an_existing_qualification_is_added(document, referential):
    v2 = clone(document)
    v2["version"] = 2
    v2["status"] = "draft"
    result = load_referential(v2)
    assert result.action == "created"
    assert result.version.number == 2 and result.version.status == "draft"
    assert ReferentialVersion.objects.count() == 2
    assert Criterion.objects.count() == 206


# --- Bad files -----------------------------------------------------------------------------


def _set(path_value):
    """A mutation setting ``document[path] = value`` (path as a list of keys/indexes)."""
    *path, value = path_value

    def mutate(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _delete(*path):
    def mutate(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


def _competence_in_two_blocs(doc):
    doc["blocs"][1]["competences"].append(clone(doc["blocs"][0]["competences"][0]))


BAD_FILES = {
    "missing key": (
        _delete("blocs", 0, "competences", 1, "title"),
        "blocs[0].competences[1].title: clé obligatoire manquante",
    ),
    "missing top-level key": (_delete("qualification"), "qualification: clé obligatoire manquante"),
    "wrong type (number as text)": (
        _set(("blocs", 0, "competences", 1, "number", "2")),
        "blocs[0].competences[1].number: type incorrect : entier attendu, reçu texte",
    ),
    "wrong type (list expected)": (
        _set(("blocs", 2, "competences", 0, "conditions", "une condition")),
        "blocs[2].competences[0].conditions: type incorrect : liste attendu, reçu texte",
    ),
    "wrong type (boolean)": (
        _set(("qualification", "rncp_registered", "oui")),
        "qualification.rncp_registered: type incorrect : booléen (true ou false) attendu",
    ),
    "unknown category": (
        _set(("blocs", 1, "competences", 0, "criteria", 3, "category", "foo")),
        "blocs[1].competences[0].criteria[3].category: valeur « foo » inconnue "
        "(attendu : methods, means, relations, constraints)",
    ),
    "duplicate competence code": (
        _set(("blocs", 0, "competences", 1, "code", "C1")),
        "blocs[0].competences[1].code: code « C1 » déjà utilisé par blocs[0].competences[0]",
    ),
    "duplicate competence number": (
        _set(("blocs", 2, "competences", 2, "number", 4)),
        "blocs[2].competences[2].number: numéro 4 déjà utilisé par blocs[1].competences[0]",
    ),
    "competence in two blocs": (
        _competence_in_two_blocs,
        "blocs[1].competences[2].code: la compétence « C1 » figure déjà dans le bloc « B1 » "
        "(blocs[0].competences[0]) : une compétence n'appartient qu'à un seul bloc",
    ),
    "bad conditional value": (
        _set(("blocs", 0, "competences", 0, "criteria", 15, "conditional", "oui")),
        "blocs[0].competences[0].criteria[15].conditional: valeur « oui » inconnue "
        "(attendu : null, handicap)",
    ),
    "bad conditional type": (
        _set(("blocs", 0, "competences", 0, "criteria", 15, "conditional", True)),
        "blocs[0].competences[0].criteria[15].conditional: type incorrect : texte ou null "
        "attendu, reçu booléen",
    ),
    "unknown key": (
        _set(("blocs", 0, "competences", 0, "critera", [])),
        "blocs[0].competences[0]: clé inconnue « critera »",
    ),
    "empty text": (
        _set(("blocs", 0, "competences", 0, "expected_results", 1, "   ")),
        "blocs[0].competences[0].expected_results[1]: texte vide",
    ),
    "empty criteria": (
        _set(("blocs", 0, "competences", 0, "criteria", [])),
        "blocs[0].competences[0].criteria: liste vide",
    ),
    "unknown status": (_set(("status", "publiée")), "status: valeur « publiée » inconnue"),
    "version not positive": (_set(("version", 0)), "version: valeur 0 hors limites"),
    "bad slug": (
        _set(("qualification", "slug", "Manager Secteur")),
        "qualification.slug: identifiant invalide « Manager Secteur »",
    ),
    "bad date": (
        _set(("qualification", "registration_decision_date", "2021-13-01")),
        "qualification.registration_decision_date: date invalide « 2021-13-01 »",
    ),
    "title too long": (
        _set(("blocs", 0, "title", "x" * 300)),
        "blocs[0].title: trop long (300 caractères, 255 au maximum)",
    ),
    "duplicate modality": (
        _set(("modalities", 1, "code", "real_work")),
        "modalities[1].code: code « real_work » déjà utilisé par modalities[0]",
    ),
    "unsupported format": (_set(("format", 2)), "format: version de format « 2 » non prise"),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_each_kind_of_bad_file_is_refused_naming_the_place_and_nothing_is_written(case, document):
    mutate, expected = BAD_FILES[case]
    mutate(document)

    with pytest.raises(ReferentialValidationError) as excinfo:
        load_referential(document)

    message = str(excinfo.value)
    assert message.startswith("Référentiel invalide, rien n'a été chargé :")
    assert expected in message, message
    assert excinfo.value.code == "invalid_referential"
    assert nothing_written()


def test_every_error_is_reported_at_once(document):
    document["blocs"][0]["competences"][0]["criteria"][0]["category"] = "foo"
    del document["blocs"][2]["competences"][1]["number"]
    with pytest.raises(ReferentialValidationError) as excinfo:
        load_referential(document)
    assert len(excinfo.value.errors) == 2
    assert excinfo.value.errors[1] == "blocs[2].competences[1].number: clé obligatoire manquante"


def test_a_document_that_is_not_an_object_is_refused():
    with pytest.raises(ReferentialValidationError, match="document: type incorrect : objet"):
        load_referential([1, 2])


def test_invalid_json_names_line_and_column():
    with pytest.raises(ReferentialValidationError) as excinfo:
        parse_referential_text('{\n  "version": 1,\n  "blocs": [\n}')
    assert "JSON invalide, ligne 4, colonne 1" in str(excinfo.value)
    assert nothing_written()


def test_unreadable_and_non_utf8_files(tmp_path):
    with pytest.raises(ReferentialError, match="Impossible de lire le fichier"):
        read_referential_file(tmp_path / "absent.json")
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"title": "Référentiel"}'.encode("latin-1"))
    with pytest.raises(ReferentialValidationError, match="pas encodé en UTF-8"):
        read_referential_file(latin1)
    assert read_referential_file(SEED_PATH)["version"] == 1


def test_a_database_failure_midway_rolls_everything_back(document, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(Knowledge.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        load_referential(document)
    assert nothing_written()
    assert not AuditEntry.objects.exists()
