"""The birth place with its official codes: the reference tables and their loader
(``manage.py load_communes``), the rules on a candidate's codes, the form, the API, the
commune picker's search and, in a browser, picking a commune."""

import html as htmllib
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidates import importing, services
from candidates.management.commands.load_communes import COUNTRIES, SAMPLE
from candidates.models import Candidate, Commune, Country
from candidates.privacy import anonymise_candidate
from candidates.selectors import search_communes
from centres.roles import Role
from tests.conftest import browser_login
from tests.factories import DEFAULT_PASSWORD, CentreFactory, user_with_role
from tests.security.privacy_helpers import expired_candidate

from .factories import CandidateFactory

# Four entries of ``data/communes.json`` of @etalab/decoupage-administratif, as published.
ETALAB = [
    {
        "code": "01015",
        "nom": "Arboys en Bugey",
        "typeLiaison": 1,
        "zone": "metro",
        "arrondissement": "011",
        "departement": "01",
        "region": "84",
        "type": "commune-actuelle",
        "rangChefLieu": 0,
        "anciensCodes": ["01340"],
        "siren": "200053668",
        "codesPostaux": ["01300"],
        "population": 710,
    },
    {
        "code": "01015",
        "nom": "Arbignieu",
        "typeLiaison": 1,
        "zone": "metro",
        "type": "commune-deleguee",
        "chefLieu": "01015",
        "arrondissement": "011",
        "departement": "01",
        "region": "84",
    },
    {
        "code": "42080",
        "nom": "La Cula",
        "zone": "metro",
        "type": "commune-associee",
        "chefLieu": "42080",
        "departement": "42",
        "region": "84",
    },
    {
        "code": "75113",
        "nom": "Paris 13e Arrondissement",
        "zone": "metro",
        "type": "arrondissement-municipal",
        "commune": "75056",
        "departement": "75",
        "region": "11",
        "codesPostaux": ["75013"],
        "population": 177833,
    },
    {"code": "99999", "nom": "Pas une commune", "departement": "99", "type": "epci"},
]


def _load(*args):
    out = StringIO()
    call_command("load_communes", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def communes(db):
    _load()


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.user("staff"))
    return client


@pytest.fixture
def api(api_client, world):
    api_client.force_login(world.user("staff"))
    return api_client


def _text(response):
    return htmllib.unescape(response.content.decode())


# --- the loader ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_shipped_sample_and_countries_load():
    output = _load()
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert Commune.objects.count() == len(sample) >= 50
    for code, name in [
        ("69123", "Lyon"),
        ("75056", "Paris"),
        ("13055", "Marseille"),
        ("42218", "Saint-Étienne"),
        ("69266", "Villeurbanne"),
    ]:
        commune = Commune.objects.get(code=code, kind=Commune.Kind.CURRENT)
        assert commune.name == name
    lyon = Commune.objects.get(code="69123")
    assert (lyon.department, lyon.label, lyon.search_name) == ("69", "Lyon (69)", "lyon")
    assert Commune.objects.get(code="42218").search_name == "saint etienne"
    assert Commune.objects.get(code="2A004").department == "2A"
    countries = json.loads(COUNTRIES.read_text(encoding="utf-8"))["countries"]
    assert Country.objects.count() == len(countries) >= 200
    assert Country.objects.get(code="99100").name == "France"
    assert Country.objects.get(code="99350").name == "Maroc"
    assert all(len(c.code) == 5 and c.code.startswith("99") for c in Country.objects.all())
    assert f"Communes : {len(sample)} ajoutée(s)" in output


@pytest.mark.django_db
def test_the_etalab_format_loads_current_and_former_communes(tmp_path):
    path = tmp_path / "communes.json"
    path.write_text(json.dumps(ETALAB), encoding="utf-8")
    _load(str(path))
    rows = {(c.code, c.kind): c for c in Commune.objects.all()}
    assert set(rows) == {
        ("01015", "commune-actuelle"),
        ("01015", "commune-deleguee"),
        ("42080", "commune-associee"),
        ("75113", "arrondissement-municipal"),
    }  # the "epci" entry is not a commune
    current = rows[("01015", "commune-actuelle")]
    assert (current.name, current.department, current.population) == ("Arboys en Bugey", "01", 710)
    assert rows[("01015", "commune-deleguee")].name == "Arbignieu"
    assert rows[("01015", "commune-deleguee")].population is None


@pytest.mark.django_db
def test_a_second_run_changes_nothing_then_updates_in_place(tmp_path):
    path = tmp_path / "communes.json"
    path.write_text(json.dumps(ETALAB), encoding="utf-8")
    _load(str(path))
    ids = dict(Commune.objects.values_list("name", "pk"))
    output = _load(str(path))
    assert "Communes : 0 ajoutée(s), 0 mise(s) à jour." in output
    assert "Pays : 0 ajouté(s), 0 mis à jour." in output
    renamed = [dict(row) for row in ETALAB]
    renamed[0]["nom"] = "Arboys-en-Bugey"
    path.write_text(json.dumps(renamed), encoding="utf-8")
    assert "Communes : 0 ajoutée(s), 1 mise(s) à jour." in _load(str(path))
    commune = Commune.objects.get(code="01015", kind=Commune.Kind.CURRENT)
    assert commune.pk == ids["Arboys en Bugey"]
    assert commune.search_name == "arboys en bugey"
    assert Commune.objects.count() == 4


@pytest.mark.django_db
def test_an_unreadable_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Lecture impossible"):
        _load(str(tmp_path / "absent.json"))
    path = tmp_path / "communes.json"
    path.write_text('{"code": "69123"}', encoding="utf-8")
    with pytest.raises(CommandError, match="une liste"):
        _load(str(path))
    assert not Commune.objects.exists()


# --- the rules ----------------------------------------------------------------------------


def _data(**overrides):
    data = {
        "birth_name": "Durand",
        "usage_name": "",
        "first_names": "Sophie",
        "sex": "F",
        "birth_date": "1992-07-01",
        "birth_commune": "",
        "birth_department": "",
        "email": "",
        "phone": "",
        "address": "",
        "access_status": "salarie",
        "birth_commune_code": "",
        "birth_country_code": "",
    }
    data.update(overrides)
    return data


def _register(actor, **overrides):
    import datetime

    data = _data(**overrides)
    data["birth_date"] = datetime.date.fromisoformat(data["birth_date"])
    return services.register_candidate(actor=actor, data=data)


def _refused(actor, field, words, **overrides):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        _register(actor, **overrides)
    messages = caught.value.message_dict[field]
    assert any(words in m for m in messages), messages


def test_born_in_france_the_code_fills_the_printed_fields(staff, communes):
    candidate = _register(staff, birth_commune_code="42218", birth_country_code="99100")
    candidate.refresh_from_db()
    assert (candidate.birth_commune, candidate.birth_department, candidate.birth_country) == (
        "Saint-Étienne",
        "42",
        "France",
    )
    assert candidate.birth_place == "Saint-Étienne (42)"
    # a commune code alone means France
    alone = _register(staff, birth_name="Autre", birth_commune_code="2a004")
    assert (alone.birth_commune_code, alone.birth_country_code) == ("2A004", "99100")
    assert alone.birth_department == "2A"


def test_a_former_commune_keeps_its_name_under_the_shared_code(staff, communes):
    former = _register(staff, birth_commune="Oullins", birth_commune_code="69149")
    assert former.birth_commune == "Oullins"
    current = _register(staff, birth_name="Autre", birth_commune_code="69149")
    assert current.birth_commune == "Oullins-Pierre-Bénite"


def test_born_abroad_the_country_is_named_and_no_department(staff, communes):
    candidate = _register(
        staff,
        birth_commune="Casablanca",
        birth_department="69",
        birth_country_code="99350",
    )
    candidate.refresh_from_db()
    assert (candidate.birth_country, candidate.birth_department) == ("Maroc", "")
    assert candidate.birth_commune == "Casablanca" and candidate.birth_commune_code == ""
    assert candidate.birth_place == "Casablanca — Maroc"


def test_the_birth_place_rules_speak_french(staff, communes):
    _refused(
        staff,
        "birth_commune_code",
        "Aucune commune ne porte le code INSEE « 69999 »",
        birth_commune_code="69999",
        birth_country_code="99100",
    )
    _refused(
        staff,
        "birth_commune_code",
        "Né(e) en France : choisissez la commune de naissance.",
        birth_commune="Lyon",
        birth_country_code="99100",
    )
    _refused(
        staff,
        "birth_commune_code",
        "Le code commune INSEE a 5 caractères",
        birth_commune_code="LYON",
    )
    _refused(
        staff,
        "birth_commune_code",
        "Né(e) à l'étranger : ne choisissez pas de commune française.",
        birth_commune_code="69123",
        birth_country_code="99350",
    )
    _refused(
        staff,
        "birth_country_code",
        "Aucun pays ne porte le code INSEE « 99998 »",
        birth_country_code="99998",
    )
    _refused(
        staff,
        "birth_country_code",
        "Le code pays INSEE a 5 chiffres et commence par 99.",
        birth_country_code="FR",
    )
    assert not Candidate.objects.exists()


def test_without_the_reference_table_a_code_is_checked_for_its_shape_only(staff, db):
    candidate = _register(staff, birth_commune="Lyon", birth_commune_code="69123")
    assert (candidate.birth_commune, candidate.birth_country_code) == ("Lyon", "99100")
    legacy = _register(staff, birth_name="Ancien", birth_commune="Lyon", birth_department="69")
    assert (legacy.birth_commune_code, legacy.birth_country_code) == ("", "")


def test_an_update_writes_the_filled_fields_and_the_audit(staff, world, communes):
    from centres.models import AuditEntry

    candidate = CandidateFactory(centre=world.centre_a, birth_commune="Lyon")
    services.update_candidate(
        candidate, actor=staff, data={"birth_commune_code": "42218", "birth_country_code": "99100"}
    )
    candidate.refresh_from_db()
    assert (candidate.birth_commune, candidate.birth_department) == ("Saint-Étienne", "42")
    entry = AuditEntry.objects.filter(action="candidate.update").latest("pk")
    assert entry.after["birth_commune_code"] == "42218"
    assert entry.after["birth_commune"] == "Saint-Étienne"


def test_anonymisation_erases_the_codes(world, communes):
    candidate, _dossier = expired_candidate(world.centre_a)
    Candidate.objects.filter(pk=candidate.pk).update(
        birth_commune_code="69123", birth_country_code="99100"
    )
    anonymise_candidate(candidate)
    candidate.refresh_from_db()
    assert (candidate.birth_commune_code, candidate.birth_country_code) == ("", "")


# --- the form and the API -----------------------------------------------------------------


def test_the_form_registers_and_shows_the_codes(staff_client, communes):
    response = staff_client.post(
        reverse("candidates:create"),
        _data(birth_commune="Lyon", birth_commune_code="69123", birth_country_code="99100"),
    )
    assert response.status_code == 302, response.context["form"].errors
    candidate = Candidate.objects.get()
    assert (candidate.birth_commune_code, candidate.birth_country_code) == ("69123", "99100")
    assert (candidate.birth_department, candidate.birth_country) == ("69", "France")
    page = _text(staff_client.get(reverse("candidates:edit", args=[candidate.pk])))
    assert 'name="birth_commune_code" value="69123"' in page
    assert '<option value="99100" selected>France</option>' in page
    assert 'role="combobox"' in page and 'aria-controls="commune-options"' in page
    assert reverse("candidates:commune-search") in page


def test_the_new_form_offers_france_first(staff_client, communes):
    page = _text(staff_client.get(reverse("candidates:create")))
    select = page[page.index('name="birth_country_code"') :]
    options = select[: select.index("</select>")]
    assert options.index("France") < options.index("Afrique du Sud") < options.index("Maroc")
    assert '<option value="99100" selected>France</option>' in options


def test_the_form_shows_the_birth_place_errors(staff_client, communes):
    response = staff_client.post(
        reverse("candidates:create"), _data(birth_commune="Lyon", birth_country_code="99100")
    )
    assert response.status_code == 200
    assert "Né(e) en France : choisissez la commune de naissance." in _text(response)
    response = staff_client.post(
        reverse("candidates:create"),
        _data(birth_commune_code="69123", birth_country_code="99350"),
    )
    assert "Né(e) à l'étranger : ne choisissez pas de commune française." in _text(response)
    assert not Candidate.objects.exists()


def test_the_api_accepts_and_returns_the_codes(api, communes):
    response = api.post(
        reverse("api:candidate-list"),
        _data(birth_commune_code="69266", birth_country_code="99100"),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["birth_commune_code"], body["birth_country_code"]) == ("69266", "99100")
    assert (body["birth_commune"], body["birth_department"]) == ("Villeurbanne", "69")
    url = reverse("api:candidate-detail", args=[body["id"]])
    response = api.patch(
        url,
        {"birth_commune": "Tunis", "birth_commune_code": "", "birth_country_code": "99351"},
        format="json",
        HTTP_IF_MATCH=response["ETag"],
    )
    assert response.status_code == 200, response.json()
    body = api.get(url).json()
    assert (body["birth_commune_code"], body["birth_country_code"]) == ("", "99351")
    assert (body["birth_country"], body["birth_department"]) == ("Tunisie", "")


def test_the_api_refuses_an_unknown_commune_in_french(api, communes):
    response = api.post(
        reverse("api:candidate-list"),
        _data(birth_commune_code="69999", birth_country_code="99100"),
        format="json",
    )
    assert response.status_code == 400
    assert "Aucune commune ne porte le code INSEE « 69999 »" in str(response.json())
    assert not Candidate.objects.exists()


# --- the picker's search ------------------------------------------------------------------


def _options(response):
    text = _text(response)
    return [line for line in text.splitlines() if 'role="option"' in line]


def test_the_search_ignores_accents_case_and_hyphens(staff_client, communes):
    url = reverse("candidates:commune-search")
    options = _options(staff_client.get(url, {"q": "saint etienne"}))
    assert 'data-code="42218"' in options[0] and "Saint-Étienne (42)" in options[0]
    assert 'data-name="Saint-Étienne"' in options[0] and 'data-department="42"' in options[0]
    assert any("Saint-Étienne (42)" in o for o in _options(staff_client.get(url, {"q": "ÉTIEN"})))
    lyon = _options(staff_client.get(url, {"q": "lyon"}))
    assert "Lyon (69)" in lyon[0]  # the name that begins with it, then the most populous
    assert any("Sainte-Foy-lès-Lyon (69)" in o for o in lyon)
    by_code = _options(staff_client.get(url, {"q": "69123"}))
    assert len(by_code) == 1 and "Lyon (69)" in by_code[0]
    assert "Aucune commune ne correspond." in _text(staff_client.get(url, {"q": "zzzz"}))
    assert _options(staff_client.get(url, {"q": "l"})) == []


def test_the_search_answers_at_most_twenty_in_one_query(
    staff_client, communes, django_assert_num_queries
):
    Commune.objects.bulk_create(
        Commune(code=f"01{n:03d}", name=f"Saint-Test {n}", department="01", search_name="")
        for n in range(100, 130)
    )
    Commune.objects.filter(name__startswith="Saint-Test").update(search_name="saint test")
    assert len(search_communes("saint test")) == 20
    url = reverse("candidates:commune-search")
    staff_client.get(url, {"q": "x"})  # the session and the actor, without a search
    with CaptureQueriesContext(connection) as baseline:
        staff_client.get(url, {"q": "x"})
    with django_assert_num_queries(len(baseline.captured_queries) + 1):
        response = staff_client.get(url, {"q": "saint"})
    assert len(_options(response)) == 20


def test_the_search_needs_a_login(client, communes):
    response = client.get(reverse("candidates:commune-search"), {"q": "lyon"})
    assert response.status_code == 302 and "Lyon" not in _text(response)


# --- in a browser -------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_picks_the_birth_commune_from_the_list(page):
    _load()
    centre = CentreFactory(name="UIMM Centre de Lyon", slug="lyon")
    staff = user_with_role(centre, Role.STAFF, username="staff.lyon")
    browser_login(page, staff.username, DEFAULT_PASSWORD)
    page.goto("/candidats/nouveau/")
    page.get_by_label("Nom de naissance").fill("Lambert")
    page.get_by_label("Prénoms").fill("Élodie")
    page.get_by_label("Sexe").select_option(label="Femme")
    page.get_by_label("Date de naissance").fill("1990-05-17")
    picker = page.get_by_role("combobox", name="Commune de naissance")
    picker.press_sequentially("saint eti", delay=30)
    option = page.get_by_role("option", name="Saint-Étienne (42)")
    option.wait_for()
    assert picker.get_attribute("aria-expanded") == "true"
    picker.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    picker.press("Enter")
    assert picker.input_value() == "Saint-Étienne"
    assert page.get_by_label("Département de naissance").input_value() == "42"
    page.get_by_role("button", name="Inscrire").click()
    page.wait_for_load_state("domcontentloaded")
    assert "LAMBERT Élodie est inscrit(e)." in page.content()
    candidate = Candidate.objects.get()
    assert (candidate.birth_commune_code, candidate.birth_country_code) == ("42218", "99100")
    assert candidate.birth_commune == "Saint-Étienne"


# --- the bulk import ----------------------------------------------------------------------


def test_the_import_reads_the_codes_and_checks_them(staff, world, communes):
    from .test_import import csv_bytes, upload

    header = (
        "nom_naissance;prenoms;sexe;date_naissance;commune_naissance;code_commune_naissance;"
        "code_pays_naissance"
    )
    rows = [
        "Martin;Claire;F;14/03/1988;;69123;99100",
        "Bernard;Luc;M;02/11/1975;Oran;;99352",
        "Petit;Émile;M;01/01/2000;Lyon;69999;",
        "Roux;Anne;F;02/02/1988;Oran;13055;99352",
    ]
    errors = {
        r.line: r.errors
        for r in importing.preview(upload(staff, csv_bytes(*rows, header=header)))
        if r.errors
    }
    assert errors == {
        4: ["Aucune commune ne porte le code INSEE « 69999 »."],
        5: ["Né(e) à l'étranger : ne choisissez pas de commune française."],
    }
    batch = upload(staff, csv_bytes(*rows[:2], header=header))
    assert importing.run_import(staff, batch) == (2, 0)
    claire = Candidate.objects.get(first_names="Claire")
    assert (claire.birth_commune, claire.birth_department, claire.birth_country) == (
        "Lyon",
        "69",
        "France",
    )
    assert (claire.birth_commune_code, claire.birth_country_code) == ("69123", "99100")
    luc = Candidate.objects.get(first_names="Luc")
    assert (luc.birth_commune, luc.birth_country, luc.birth_country_code) == (
        "Oran",
        "Algérie",
        "99352",
    )


def test_the_import_looks_the_codes_up_once_for_the_file(staff, world, communes):
    from .test_import import csv_bytes, upload

    header = "nom_naissance;prenoms;sexe;date_naissance;code_commune_naissance"
    codes = ["69123", "42218", "13055", "75056", "69266"]

    def queries(count):
        rows = [f"Nom{n};Prénom;F;14/03/1988;{codes[n % 5]}" for n in range(count)]
        batch = upload(staff, csv_bytes(*rows, header=header))
        sheet = importing.load(batch)
        with CaptureQueriesContext(connection) as captured:
            results = importing.validate_rows(sheet, batch.mapping["columns"], set())
        assert all(r.ok for r in results)
        return len(captured.captured_queries)

    assert queries(2) == queries(40) == 3
