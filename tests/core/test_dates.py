"""``{{ value|date_at }}``: the date and the time joined by « à » in French (the output of the
former literal formats, unchanged) and by "at" in English."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation

WHEN = datetime.datetime(2026, 3, 3, 13, 5, tzinfo=datetime.UTC)  # 14:05 in Paris

STYLES = ["", ':"long"', ':"short"', ':"h"', ':"long h"']
FORMER_FRENCH = ["j F Y à H:i", "l j F Y à H:i", "d/m/Y à H:i", "j F Y à H\\hi", "l j F Y à H\\hi"]
ENGLISH = [
    "3 March 2026 at 14:05",
    "Tuesday 3 March 2026 at 14:05",
    "03/03/2026 at 14:05",
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
        assert render("{{ when|date_at }}") == "3 mars 2026 à 14:05"


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
        assert render(source) == "depuis le 3 mars 2026 à 14:05"
    naive_paris = WHEN.astimezone(ZoneInfo("Europe/Paris")).replace(tzinfo=None)
    with translation.override("fr"):
        assert render("{{ when|date_at }}", naive_paris) == "3 mars 2026 à 14:05"


def test_empty_value_and_unknown_style():
    assert render("{{ when|date_at }}", None) == ""
    assert render("{{ when|date_at }}", "") == ""
    with pytest.raises(TemplateSyntaxError):
        render('{{ when|date_at:"weekly" }}')
