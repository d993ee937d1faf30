"""``{{ value|date_at }}``: the date and the time joined by « à » in French, the time written
one way (« 14h05 »), and by "at" in English ("14:05"); English dates read day first."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation

WHEN = datetime.datetime(2026, 3, 3, 13, 5, tzinfo=datetime.UTC)  # 14:05 in Paris

STYLES = ["", ':"long"', ':"short"', ':"h"', ':"long h"']
FORMER_FRENCH = [
    "j F Y à H\\hi",
    "l j F Y à H\\hi",
    "d/m/Y à H\\hi",
    "j F Y à H\\hi",
    "l j F Y à H\\hi",
]
ENGLISH = [
    "3 March 2026 at 14:05",
    "Tuesday 3 March 2026 at 14:05",
    "3 Mar 2026 at 14:05",
    "3 March 2026 at 14:05",
    "Tuesday 3 March 2026 at 14:05",
]


def render(source, value=WHEN):
    return Template("{% load dates %}" + source).render(Context({"when": value}))


@pytest.mark.parametrize(("style", "former"), list(zip(STYLES, FORMER_FRENCH, strict=True)))
def test_french_is_the_former_literal_format(style, former):
    with translation.override("fr"):
        assert render(f"{{{{ when|date_at{style} }}}}") == render(f'{{{{ when|date:"{former}" }}}}')


def test_french_examples():
    with translation.override("fr"):
        assert render('{{ when|date_at:"long h" }}') == "mardi 3 mars 2026 à 14h05"
        assert render("{{ when|date_at }}") == "3 mars 2026 à 14h05"


@pytest.mark.parametrize(("style", "expected"), list(zip(STYLES, ENGLISH, strict=True)))
def test_english_reads_at(style, expected):
    with translation.override("en"):
        assert render(f"{{{{ when|date_at{style} }}}}") == expected


def test_inside_a_blocktranslate_and_in_local_time():
    source = (
        "{% load i18n %}{% blocktranslate with d=when|date_at %}depuis le {{ d }}"
        "{% endblocktranslate %}"
    )
    with translation.override("fr"):
        assert render(source) == "depuis le 3 mars 2026 à 14h05"
    naive_paris = WHEN.astimezone(ZoneInfo("Europe/Paris")).replace(tzinfo=None)
    with translation.override("fr"):
        assert render("{{ when|date_at }}", naive_paris) == "3 mars 2026 à 14h05"


def test_empty_value_and_unknown_style():
    assert render("{{ when|date_at }}", None) == ""
    assert render("{{ when|date_at }}", "") == ""
    with pytest.raises(TemplateSyntaxError):
        render('{{ when|date_at:"weekly" }}')


DECEMBER = datetime.datetime(2026, 12, 2, 8, 5, tzinfo=datetime.UTC)  # 09:05 in Paris


@pytest.mark.parametrize(
    ("source", "french", "english"),
    [
        ('{{ when|date:"SHORT_DATE_FORMAT" }}', "02/12/2026", "2 Dec 2026"),
        ("{{ when|date }}", "2 décembre 2026", "2 December 2026"),
        ('{{ when|date:"DATETIME_FORMAT" }}', "2 décembre 2026 à 09h05", "2 December 2026, 09:05"),
        (
            '{{ when|date:"SHORT_DATETIME_FORMAT" }}',
            "02/12/2026 09h05",
            "2 Dec 2026, 09:05",
        ),
        ("{{ when|time }}", "09h05", "09:05"),
    ],
)
def test_named_formats_one_time_convention_and_english_day_first(source, french, english):
    with translation.override("fr"):
        assert render(source, DECEMBER) == french
    with translation.override("en"):
        assert render(source, DECEMBER) == english
        assert "12/02/2026" not in render(source, DECEMBER)


def test_english_forms_read_day_first():
    from django import forms

    class F(forms.Form):
        day = forms.DateField()

    with translation.override("en"):
        form = F({"day": "02/12/2026"})
        assert form.is_valid()
        assert form.cleaned_data["day"] == datetime.date(2026, 12, 2)
