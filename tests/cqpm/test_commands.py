"""``load_referential`` and ``export_referential`` management commands."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from cqpm.loader import load_referential
from cqpm.models import Criterion, Qualification

from .factories import SEED_PATH, seed_text, small_document

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_load_then_reload_the_seed():
    out = run("load_referential", str(SEED_PATH))
    assert "Référentiel « Manager de secteur d'activités v1 » chargé, publiée" in out
    assert "3 blocs, 8 compétences, 26 conditions de réalisation, 103 critères" in out
    assert "(dont 10 conditionnels), 17 résultats attendus, 54 connaissances" in out
    assert "déjà chargé à l'identique : rien à faire" in run("load_referential", str(SEED_PATH))
    assert Criterion.objects.count() == 103


def test_load_from_stdin(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(small_document())))
    assert "chargé" in run("load_referential", "-")
    assert Qualification.objects.filter(slug="cqpm-essai").exists()


def test_a_bad_file_is_a_command_error_and_loads_nothing(tmp_path):
    document = json.loads(seed_text())
    document["blocs"][1]["competences"][0]["criteria"][3]["category"] = "foo"
    bad = tmp_path / "mauvais.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        run("load_referential", str(bad))
    message = str(excinfo.value)
    assert message.startswith(f"{bad} : Référentiel invalide, rien n'a été chargé :")
    assert (
        "blocs[1].competences[0].criteria[3].category: valeur « foo » inconnue "
        "(attendu : methods, means, relations, constraints)"
    ) in message
    assert not Qualification.objects.exists()


def test_invalid_json_and_missing_file(tmp_path):
    broken = tmp_path / "casse.json"
    broken.write_text('{"version": 1,', encoding="utf-8")
    with pytest.raises(CommandError, match="JSON invalide, ligne 1"):
        run("load_referential", str(broken))
    with pytest.raises(CommandError, match="Impossible de lire le fichier"):
        run("load_referential", str(tmp_path / "absent.json"))


def test_export_prints_the_data_file(referential):
    assert run("export_referential", "manager-secteur-activites") == seed_text()
    assert run("export_referential", "manager-secteur-activites", "--version", "1") == seed_text()


def test_export_defaults_to_the_latest_published_version(referential):
    load_referential(small_document(slug="manager-secteur-activites", version=2, status="draft"))
    assert json.loads(run("export_referential", "manager-secteur-activites"))["version"] == 1
    exported = json.loads(run("export_referential", "manager-secteur-activites", "--version", "2"))
    assert exported["status"] == "draft"


def test_export_of_an_unknown_referential(referential):
    with pytest.raises(CommandError, match="Aucun référentiel « inconnu »"):
        run("export_referential", "inconnu")
    with pytest.raises(CommandError, match="v7"):
        run("export_referential", "manager-secteur-activites", "--version", "7")
