"""A number before a noun agrees with it: "1 dossier en évaluation…", "2 dossiers…"; no
"(s)" left on the home pages, the sessions and the juries."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, ["1 rôle actif", "1 invitation en attente"]),
        (2, ["2 rôles actifs", "2 invitations en attente"]),
    ],
)
def test_centre_admin_home_counts(n, expected):
    text = _text(render_to_string("centres/home_admin.html", {"data": {"active": n, "pending": n}}))
    for phrase in expected:
        assert phrase in text


@pytest.mark.parametrize("n", [1, 3])
def test_staff_evaluation_home_counts(n):
    data = {"sessions": [], "waiting_opinion": n, "reopened": n}
    text = _text(render_to_string("evaluations/home_staff.html", {"data": data}))
    noun = "dossier" if n == 1 else "dossiers"
    assert f"{n} {noun} en évaluation sans avis de l'entreprise" in text
    grid = "grille rouverte" if n == 1 else "grilles rouvertes"
    assert f"{n} {grid} à signer de nouveau" in text


def test_english_counts_agree_too():
    data = {"sessions": [], "waiting_opinion": 1, "reopened": 2}
    with translation.override("en"):
        text = _text(render_to_string("evaluations/home_staff.html", {"data": data}))
    assert "1 dossier being assessed without the company’s opinion" in text
    assert "2 reopened grids to be signed again" in text


def test_messages_with_a_count_agree():
    from evaluations.services.opinions import ngettext

    with translation.override("fr"):
        six = ngettext(
            "Donnez votre avis sur chaque compétence (%(n)s manquante).",
            "Donnez votre avis sur chaque compétence (%(n)s manquantes).",
            6,
        ) % {"n": 6}
    assert six == "Donnez votre avis sur chaque compétence (6 manquantes)."


def test_no_parenthesised_plural_left_in_the_counted_templates():
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for name in (
        "documents/_batch_progress.html",
        "juries/attendance.html",
        "juries/session_detail.html",
        "evaluations/grid_sign.html",
        "evaluations/session_detail.html",
    ):
        source = (Path(settings.BASE_DIR) / "templates" / name).read_text()
        offenders += [(name, m) for m in re.findall(r"\}\} [a-zéè]+\(s\)", source)]
    assert offenders == []
