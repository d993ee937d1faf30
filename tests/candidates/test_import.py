import datetime
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from candidates import importing
from candidates.errors import DossierError
from candidates.models import Candidate, CandidateIdentity, CandidateImport
from candidates.nir import nir_key

from .factories import CandidateFactory

HEADER = "nom_naissance;nom_usage;prenoms;sexe;date_naissance;commune_naissance;email;statut;nir"


def csv_bytes(*rows, header=HEADER, encoding="utf-8"):
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


def create(actor, content, name="candidats.csv", encoding="utf-8"):
    """Upload, then run the parse job sent after commit (in process, as in the embedded set-up)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = importing.create_import(actor, SimpleUploadedFile(name, content), encoding)
    batch.refresh_from_db()
    return batch


def upload(actor, content, name="candidats.csv", encoding="utf-8"):
    batch = create(actor, content, name, encoding)
    sheet = importing.load(batch)
    importing.set_mapping(actor, batch, importing.guess_mapping(sheet.headers), encoding)
    return batch


def _errors(batch):
    return {r.line: r.errors for r in importing.preview(batch) if r.errors}


GOOD = [
    "Martin;;Claire;F;14/03/1988;Lyon;claire@example.org;salarié;",
    "Bernard;Dupont;Luc;M;1975-11-02;Brest;;demandeur d'emploi;",
    "Petit;;Émile;H;01.01.2000;;;apprenti;",
]


def test_import_creates_candidates_and_is_idempotent(staff, world):
    body = "2880375056004"
    nir = f"{body}{nir_key(body):02d}"
    rows = [*GOOD, f"Roux;;Anne;F;02/02/1988;;;VAE;{nir}"]
    batch = upload(staff, csv_bytes(*rows))
    assert _errors(batch) == {}
    assert importing.run_import(staff, batch) == (4, 0)
    assert Candidate.objects.filter(centre=world.centre_a).count() == 4
    luc = Candidate.objects.get(first_names="Luc")
    assert luc.usage_name == "Dupont" and luc.birth_date == datetime.date(1975, 11, 2)
    assert luc.access_status == "demandeur_emploi" and luc.sex == "M"
    assert CandidateIdentity.objects.get().nir == nir
    # The same file again: nothing new.
    again = upload(staff, csv_bytes(*rows))
    preview = importing.preview(again)
    assert all(r.ok and r.existing for r in preview)
    assert importing.run_import(staff, again) == (0, 4)
    assert Candidate.objects.count() == 4
    # Running an imported batch twice does nothing either.
    assert importing.run_import(staff, again) == (0, 4)


def test_bad_dates_reported_with_line_numbers(staff):
    batch = upload(
        staff,
        csv_bytes(
            GOOD[0],
            "Faux;;Jour;F;31/02/1990;;;;",
            "Futur;;Né;M;01/01/2999;;;;",
            "Vide;;Date;M;;;;;",
            "Texte;;Date;M;hier;;;;",
        ),
    )
    errors = _errors(batch)
    assert set(errors) == {3, 4, 5, 6}
    assert "invalide" in errors[3][0] and "31/02/1990" in errors[3][0]
    assert "futur" in errors[4][0]
    assert "manquante" in errors[5][0]
    with pytest.raises(DossierError) as exc:
        importing.run_import(staff, batch)
    assert exc.value.code == "import_errors"
    assert not Candidate.objects.exists()  # all or nothing


def test_duplicates_in_file(staff):
    batch = upload(staff, csv_bytes(GOOD[0], GOOD[1], "MARTIN;;claire;F;14/03/1988;;;;"))
    errors = _errors(batch)
    assert list(errors) == [4]
    assert "Doublon de la ligne 2" in errors[4][0]


def test_existing_in_database_is_flagged_and_skipped(staff, world):
    CandidateFactory(
        centre=world.centre_a,
        birth_name="Martin",
        first_names="Claire",
        birth_date=datetime.date(1988, 3, 14),
    )
    CandidateFactory(
        centre=world.centre_b,
        birth_name="Bernard",
        first_names="Luc",
        birth_date=datetime.date(1975, 11, 2),
    )
    batch = upload(staff, csv_bytes(*GOOD))
    results = importing.preview(batch)
    assert [r.existing for r in results] == [True, False, False]
    assert importing.run_import(staff, batch) == (2, 1)


def test_bad_encoding_reported(staff):
    content = csv_bytes(GOOD[0]) + "Lefèvre;;Zoé;F;01/01/1990;;;;\n".encode("cp1252")
    batch = upload(staff, content)
    errors = _errors(batch)
    assert list(errors) == [3]
    assert "encodage" in errors[3][0]
    # Declared as Windows-1252, the same file reads fine.
    latin = upload(
        staff, csv_bytes("Lefèvre;;Zoé;F;01/01/1990;;;;", encoding="cp1252"), encoding="cp1252"
    )
    assert _errors(latin) == {}
    importing.run_import(staff, latin)
    assert Candidate.objects.get().birth_name == "Lefèvre"


def test_missing_column(staff):
    content = csv_bytes("Martin;Claire;F", header="nom_naissance;prenoms;sexe")
    batch = create(staff, content, "c.csv")
    sheet = importing.load(batch)
    mapping = importing.guess_mapping(sheet.headers)
    assert importing.missing_columns(mapping) == ["Date de naissance"]
    with pytest.raises(DossierError) as exc:
        importing.set_mapping(staff, batch, mapping, "utf-8")
    assert exc.value.code == "import_missing_column"


def test_other_errors(staff):
    batch = upload(
        staff,
        csv_bytes(
            ";;Sans;F;01/01/1990;;;;",
            "Sexe;;Faux;X;01/01/1990;;;;",
            "Mail;;Faux;F;01/01/1990;;pas-un-mail;;",
            "Statut;;Faux;F;01/01/1990;;;astronaute;",
            "Nir;;Faux;F;01/01/1990;;;;123456789012345",
        ),
    )
    errors = _errors(batch)
    assert "Nom de naissance manquant" in errors[2][0]
    assert "Sexe" in errors[3][0]
    assert "Courriel" in errors[4][0]
    assert "Statut" in errors[5][0]
    assert "sécurité sociale" in errors[6][0]


def test_xlsx_import_with_real_dates(staff):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nom de naissance", "Prénoms", "Sexe", "Date de naissance", "Téléphone"])
    sheet.append(["Garcia", "Inès", "F", datetime.datetime(1991, 4, 5), 612345678])
    sheet.append(["Moreau", "Paul", "M", "05/06/1985", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = upload(staff, buffer.getvalue(), name="liste.xlsx")
    assert batch.file_format == "xlsx"
    assert _errors(batch) == {}
    assert importing.run_import(staff, batch) == (2, 0)
    assert Candidate.objects.get(birth_name="Garcia").birth_date == datetime.date(1991, 4, 5)


def test_not_a_spreadsheet_refused(staff):
    with pytest.raises(DossierError):
        importing.create_import(staff, SimpleUploadedFile("x.csv", b"\x00\x01binary\x00"))


def test_templates_are_importable(staff):
    csv_batch = upload(staff, importing.template_csv())
    assert _errors(csv_batch) == {}
    xlsx = importing.template_xlsx()
    assert load_workbook(io.BytesIO(xlsx)).active["A1"].value == "nom_naissance"
    xlsx_batch = upload(staff, xlsx, name="modele.xlsx")
    assert _errors(xlsx_batch) == {}


def test_five_thousand_rows_in_a_few_seconds(staff, world):
    rows = [
        f"Nom{i};;Prénom{i};{'F' if i % 2 else 'M'};{1 + i % 28:02d}/{1 + i % 12:02d}/"
        f"{1960 + i % 40};Ville{i};c{i}@example.org;salarié;"
        for i in range(5000)
    ]
    CandidateFactory(
        centre=world.centre_a,
        birth_name="Nom7",
        first_names="Prénom7",
        birth_date=datetime.date(1967, 8, 8),
    )
    start = time.monotonic()
    batch = upload(staff, csv_bytes(*rows))
    assert _errors(batch) == {}
    assert importing.run_import(staff, batch) == (4999, 1)
    elapsed = time.monotonic() - start
    assert Candidate.objects.filter(centre=world.centre_a).count() == 5000
    assert elapsed < 10, elapsed


def test_import_pages_flow(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.user("staff"))
    content = csv_bytes(*GOOD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("candidates:import_upload"),
            {"file": SimpleUploadedFile("c.csv", content), "encoding": "utf-8"},
        )
    assert response.status_code == 302
    batch = CandidateImport.objects.get()
    mapping_page = client.get(response["Location"])
    assert "3 lignes de données" in mapping_page.content.decode()
    data = {
        k: "" if v is None else v
        for k, v in importing.guess_mapping(importing.load(batch).headers).items()
    }
    response = client.post(reverse("candidates:import_mapping", args=[batch.pk]), data)
    assert response.status_code == 302
    preview = client.get(reverse("candidates:import_preview", args=[batch.pk]))
    assert "3 à inscrire" in preview.content.decode()
    response = client.post(reverse("candidates:import_preview", args=[batch.pk]))
    assert response.status_code == 302
    assert Candidate.objects.count() == 3


def test_import_page_shows_row_errors(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.user("staff"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("candidates:import_upload"),
            {
                "file": SimpleUploadedFile("c.csv", csv_bytes("X;;Y;F;32/01/1990;;;;")),
                "encoding": "utf-8",
            },
        )
    batch = CandidateImport.objects.get()
    data = {
        k: "" if v is None else v
        for k, v in importing.guess_mapping(importing.load(batch).headers).items()
    }
    client.post(reverse("candidates:import_mapping", args=[batch.pk]), data)
    page = client.get(reverse("candidates:import_preview", args=[batch.pk])).content.decode()
    assert "Ligne 2" in page and "32/01/1990" in page
    client.post(reverse("candidates:import_preview", args=[batch.pk]))
    assert not Candidate.objects.exists()


def test_multiline_quoted_address_keeps_line_numbers(staff):
    header = "nom_naissance;prenoms;sexe;date_naissance;adresse"
    content = csv_bytes(
        'Martin;Claire;F;14/03/1988;"1 rue de la Paix\n42000 Saint-Étienne"',
        "Bad;Date;F;99/99/1999;",
        header=header,
    )
    batch = upload(staff, content)
    results = importing.preview(batch)
    assert [r.line for r in results] == [2, 4]
    assert results[0].ok and results[0].values["address"].endswith("Saint-Étienne")
    assert not results[1].ok


def test_legacy_xls_refused(staff):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(DossierError) as exc:
        importing.create_import(staff, SimpleUploadedFile("vieux.xls", ole))
    assert ".xlsx" in str(exc.value.message)
