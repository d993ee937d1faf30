"""The shared kit of the lists: accent- and case-free search, the French order, sortable
columns, pagination (core/search.py, core/listing.py, core/templatetags/listing.py)."""

import sqlite3

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import connection
from django.db.models import F
from django.template import Context, Template
from django.test import RequestFactory

from centres.models import Company
from core.listing import SortColumns, paginate
from core.search import french, on_connection_created, register_sqlite, same_text, text_search
from tests.factories import CentreFactory, CompanyFactory

NAMES = ["évrard", "bonnet", "Zola", "ÉTIENNE", "BARBIER", "Étienne-Blanc", "barbier", "EVRARD"]
# case-insensitive, accents ignored (then: unaccented first, lower case first)
FRENCH_ORDER = [
    "barbier",
    "BARBIER",
    "bonnet",
    "ÉTIENNE",
    "Étienne-Blanc",
    "EVRARD",
    "évrard",
    "Zola",
]


@pytest.fixture
def companies(db):
    centre = CentreFactory()
    for name in ["MÉNARD Industrie", "Précision Usinage", "Menard et fils", "Œuvres Sàrl", "Autre"]:
        CompanyFactory(centre=centre, name=name, city="Lyon")
    return Company.objects.filter(centre=centre)


def _names(queryset):
    return sorted(queryset.values_list("name", flat=True))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("menard", ["Menard et fils", "MÉNARD Industrie"]),
        ("MÉNARD", ["Menard et fils", "MÉNARD Industrie"]),
        ("precision", ["Précision Usinage"]),
        ("PRECISION usinage", ["Précision Usinage"]),
        ("oeuvres", ["Œuvres Sàrl"]),
        ("sarl", ["Œuvres Sàrl"]),
        ("menard lyon", []),  # every word in one field: "lyon" is the city, not searched
        ("", ["Autre", "Menard et fils", "MÉNARD Industrie", "Précision Usinage", "Œuvres Sàrl"]),
    ],
)
def test_text_search_ignores_accents_and_case_in_the_database(companies, query, expected):
    assert _names(companies.filter(text_search(query, "name"))) == sorted(expected)


def test_text_search_each_word_in_any_field(companies):
    found = companies.filter(text_search("menard lyon", "name", "city"))
    assert _names(found) == sorted(["MÉNARD Industrie", "Menard et fils"])


def test_same_text_is_equality_without_accents_and_case(companies):
    assert _names(companies.filter(same_text("name", "precision usinage"))) == ["Précision Usinage"]
    assert not companies.filter(same_text("name", "precision")).exists()


def test_french_order_in_the_database(db):
    centre = CentreFactory()
    for name in NAMES:
        CompanyFactory(centre=centre, name=name)
    rows = Company.objects.filter(centre=centre)
    assert list(rows.order_by(french("name")).values_list("name", flat=True)) == FRENCH_ORDER
    descending = list(rows.order_by(french("name").desc()).values_list("name", flat=True))
    assert descending == FRENCH_ORDER[::-1]


def test_postgresql_has_the_extension_and_the_collation(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL objects")  # pragma: no cover - the suite runs on PostgreSQL
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")
        assert cursor.fetchone()
        cursor.execute("SELECT collprovider FROM pg_collation WHERE collname = 'french'")
        assert cursor.fetchone() == ("i",)


# --- SQLite: the same function and collation on a plain connection ---------------------


def _sqlite_table():
    raw = sqlite3.connect(":memory:")
    register_sqlite(raw)
    raw.execute("CREATE TABLE person (name TEXT)")
    raw.executemany("INSERT INTO person VALUES (?)", [(n,) for n in NAMES + ["MÉNARD", None]])
    return raw


def test_sqlite_fold_function_finds_without_accents_and_case():
    raw = _sqlite_table()
    rows = raw.execute(
        "SELECT name FROM person WHERE parchemin_fold(name) LIKE ? ORDER BY name", ("%menard%",)
    ).fetchall()
    assert rows == [("MÉNARD",)]
    assert raw.execute("SELECT parchemin_fold(?)", ("Précision Œuvre",)).fetchone() == (
        "precision oeuvre",
    )
    assert raw.execute("SELECT parchemin_fold(NULL)").fetchone() == (None,)


def test_sqlite_french_collation_sorts_the_french_way():
    raw = _sqlite_table()
    rows = raw.execute(
        "SELECT name FROM person WHERE name IS NOT NULL AND name != 'MÉNARD' "
        'ORDER BY name COLLATE "french"'
    ).fetchall()
    assert [name for (name,) in rows] == FRENCH_ORDER


def test_connection_created_hook_registers_on_sqlite_only():
    raw = sqlite3.connect(":memory:")

    class Wrapper:
        vendor = "sqlite"
        connection = raw

    on_connection_created(sender=None, connection=Wrapper())
    assert raw.execute("SELECT parchemin_fold('ÉTÉ')").fetchone() == ("ete",)

    class Other:
        vendor = "postgresql"
        connection = None  # never touched

    on_connection_created(sender=None, connection=Other())


# --- sortable columns, headers and pages ------------------------------------------------

SORT = SortColumns("name", name=french("name"), city=("city", "name"), created="-pk")


def test_sort_columns_resolve_unknown_keys_to_the_default():
    assert SORT.resolve(None) == "name"
    assert SORT.resolve("nonsense") == "name"
    assert SORT.resolve("-city") == "-city"
    assert SORT.order_by("city") == ["city", "name", "pk"]
    assert SORT.order_by("-city") == ["-city", "-name", "-pk"]
    assert SORT.order_by("-created") == ["pk", "-pk"]
    revoked = SortColumns("state", state=F("revoked_at").desc(nulls_first=True))
    [ascending, tie] = revoked.order_by("state")
    [descending, tie] = revoked.order_by("-state")
    assert (ascending.descending, ascending.nulls_first) == (True, True)
    assert (descending.descending, descending.nulls_last) == (False, True)
    with pytest.raises(ValueError, match="names no column"):
        SortColumns("missing", name="name")


def _render(template, url, **context):
    request = RequestFactory().get(url)
    return Template("{% load listing %}" + template).render(
        Context({"request": request, **context})
    )


def test_sort_header_keeps_the_filters_drops_the_page_and_toggles():
    html = _render('{% sort_header "name" "Nom" %}', "/x/?q=ménard&page=3&sort=name", sort="name")
    assert 'aria-sort="ascending"' in html
    assert "q=m%C3%A9nard" in html and "sort=-name" in html and "page=" not in html
    html = _render('{% sort_header "name" "Nom" %}', "/x/?sort=-name", sort="-name")
    assert 'aria-sort="descending"' in html and "sort=name" in html
    html = _render('{% sort_header "city" "Ville" %}', "/x/?status=draft", sort="name")
    assert 'aria-sort="none"' in html and "status=draft" in html and "sort=city" in html


def test_page_links_and_filter_form_keep_the_sort_and_filters():
    html = _render("{% page_url 2 %}", "/x/?q=a&sort=-city&page=1")
    assert html == "?q=a&amp;sort=-city&amp;page=2"
    assert _render("{% keep_sort %}", "/x/?sort=-city") == (
        '<input type="hidden" name="sort" value="-city">'
    )
    assert _render("{% keep_sort %}", "/x/") == ""


def _request(url):
    request = RequestFactory().get(url)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_page_past_the_end_says_so_and_shows_the_last(companies):
    request = _request("/x/?page=9&q=a")
    page, query_string = paginate(request, companies.order_by("pk"), per_page=2)
    assert page.number == 3
    assert query_string == "q=a"
    [message] = [str(m) for m in get_messages(request)]
    assert message == ("La page 9 n’existe pas : cette liste n’a que 3 pages. Voici la dernière.")


def test_pages_within_the_list_say_nothing(companies):
    for url in ("/x/", "/x/?page=2", "/x/?page=abc"):
        request = _request(url)
        paginate(request, companies.order_by("pk"), per_page=2)
        assert not list(get_messages(request))


def test_catalogue_search_ignores_accents_and_sorts_titles_the_french_way(client, db):
    from cqpm.models import Qualification
    from tests.candidates.factories import build_referential

    for slug, title in [
        ("evrard", "Évaluateur industriel"),
        ("prec", "Précision mécanique"),
        ("bob", "bobinier"),
        ("zinc", "Zingueur"),
    ]:
        build_referential(slug=slug)
        Qualification.objects.filter(slug=slug).update(title=title)
    html = client.get("/referentiels/", {"q": "PRECISION"}).content.decode()
    assert "Précision mécanique" in html and "Zingueur" not in html
    html = client.get("/referentiels/").content.decode()
    positions = [html.find(t) for t in ("bobinier", "Évaluateur", "Précision", "Zingueur")]
    assert -1 < positions[0] < positions[1] < positions[2] < positions[3]
    response = client.get("/api/v1/qualifications/", {"search": "precision"})
    assert [row["title"] for row in response.json()["results"]] == ["Précision mécanique"]
    response = client.get("/api/v1/qualifications/", {"ordering": "-title"})
    assert [row["title"] for row in response.json()["results"]] == [
        "Zingueur",
        "Précision mécanique",
        "Évaluateur industriel",
        "bobinier",
    ]


# --- SQLite through Django: the hook, the lookup and the collation together --------------


@pytest.fixture
def embedded_sqlite(db):
    """An in-memory SQLite connection of Django's SQLite backend (the embedded default of
    ``make run``), opened the usual way (``connection_created`` fires), with the centres and
    companies tables. Outside ``django.db.connections``: the test database stays PostgreSQL."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from centres.models import Centre

    wrapper = DatabaseWrapper(
        {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:",
            "ATOMIC_REQUESTS": False,
            "AUTOCOMMIT": True,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "OPTIONS": {},
            "TIME_ZONE": None,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        },
        alias="embedded_sqlite",
    )
    with wrapper.schema_editor(atomic=False) as editor:
        editor.create_model(Centre)
        editor.create_model(Company)
    yield wrapper
    wrapper.close()


def _sqlite_insert(wrapper, model, objects):
    from django.db.models.sql import InsertQuery

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    query = InsertQuery(model)
    query.insert_values(fields, objects)
    with wrapper.cursor() as cursor:
        for sql, params in query.get_compiler(connection=wrapper).as_sql():
            cursor.execute(sql, params)


def _sqlite_names(wrapper, queryset):
    sql, params = (
        queryset.values_list("name", flat=True).query.get_compiler(connection=wrapper).as_sql()
    )
    with wrapper.cursor() as cursor:
        cursor.execute(sql, params)
        return [name for (name,) in cursor.fetchall()]


def test_search_and_order_through_django_on_sqlite(embedded_sqlite):
    from centres.models import Centre

    _sqlite_insert(embedded_sqlite, Centre, [Centre(pk=1, name="Centre", slug="centre")])
    names = NAMES + ["MÉNARD Industrie", "Précision"]
    _sqlite_insert(embedded_sqlite, Company, [Company(centre_id=1, name=n) for n in names])
    rows = Company.objects.order_by("pk")
    assert _sqlite_names(embedded_sqlite, rows.filter(text_search("menard", "name"))) == [
        "MÉNARD Industrie"
    ]
    assert _sqlite_names(embedded_sqlite, rows.filter(text_search("PRECISION", "name"))) == [
        "Précision"
    ]
    assert _sqlite_names(embedded_sqlite, rows.filter(same_text("name", "etienne"))) == ["ÉTIENNE"]
    ordered = rows.filter(name__in=NAMES).order_by(french("name"))
    assert _sqlite_names(embedded_sqlite, ordered) == FRENCH_ORDER
