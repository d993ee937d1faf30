"""The required-field mark and legend (issue 13): the mechanism, and the check that walks
every page with it (``tests/test_required_markers.py``)."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from core.templatetags.required_fields import MARK, with_legend
from tests.required_markers import check

LEGEND = "Les champs marqués d'un * sont obligatoires."


class SampleForm(forms.Form):
    name = forms.CharField(label="Nom")
    nickname = forms.CharField(label="Surnom", required=False)
    kind = forms.ChoiceField(
        label="Type", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    agree = forms.BooleanField(label="J'accepte")


def _label(html, field_id):
    start = html.index(f'for="{field_id}"')
    return html[start : html.index("</label>", start)]


def test_labels_of_required_fields_carry_the_mark_and_inputs_keep_required():
    form = SampleForm()
    name, nickname = form["name"].as_field_group(), form["nickname"].as_field_group()
    assert MARK in _label(name, "id_name")
    assert '<abbr class="required-mark" title="obligatoire">*</abbr>' in name
    assert " required " in name or " required>" in name  # the HTML attribute is kept
    assert MARK not in nickname
    assert "required" not in nickname.split("<input", 1)[1]


def test_a_radio_group_marks_its_legend_and_the_checkbox_its_label():
    form = SampleForm()
    kind = form["kind"].as_field_group()
    legend = kind[kind.index("<legend") : kind.index("</legend>")]
    assert MARK in legend
    assert MARK not in kind[kind.index("</legend>") :]  # not on each choice
    assert MARK in _label(form["agree"].as_field_group(), "id_agree")


def test_the_mark_reads_obligatoire_then_required_in_english():
    with translation.override("en"):
        html = SampleForm()["name"].as_field_group()
    assert 'title="required">*</abbr>' in html


def test_the_project_renderer_finds_the_projects_form_templates():
    from django.forms.renderers import get_default_renderer

    template = get_default_renderer().get_template("django/forms/label.html")
    assert "templates/django/forms/label.html" in str(template.origin.name)


def test_the_centres_field_partial_marks_required_fields():
    form = SampleForm()
    for name in ("name", "agree"):
        html = render_to_string("centres/partials/field.html", {"field": form[name]})
        assert MARK in _label(html, f"id_{name}")
    html = render_to_string("centres/partials/field.html", {"field": form["nickname"]})
    assert MARK not in html


def test_the_legend_goes_once_before_the_form_of_the_first_mark():
    html = (
        "<h1>T</h1><form id='search'><input name='q'></form>"
        "<form id='a'><label>A" + MARK.join(["<abbr ", ">*</abbr>"]) + "</label></form>"
        "<form id='b'><label>B" + MARK.join(["<abbr ", ">*</abbr>"]) + "</label></form>"
    )
    out = with_legend(html)
    assert out.count("required-legend") == 1
    assert out.index("required-legend") > out.index("id='search'")
    assert out.index("required-legend") < out.index("id='a'")
    assert with_legend("<form><input name='q'></form>") == "<form><input name='q'></form>"


@pytest.mark.django_db
def test_a_page_with_a_required_field_shows_the_legend_once_french_then_english(rf: RequestFactory):
    page = Template(
        "{% extends 'base.html' %}{% block content %}"
        "<form method='post'>{% for field in form %}{{ field.as_field_group }}{% endfor %}</form>"
        "<form>{{ form.nickname.as_field_group }}</form>{% endblock %}"
    )
    request = rf.get("/")
    request.user = AnonymousUser()
    html = page.render(Context({"form": SampleForm(), "request": request, "user": request.user}))
    assert html.count(LEGEND) == 1
    assert not check(html).problems()
    with translation.override("en"):
        html = page.render(
            Context({"form": SampleForm(), "request": request, "user": request.user})
        )
    assert "Fields marked with * are required." in html


def test_the_check_finds_an_unmarked_required_field_and_a_missing_legend():
    page = check(
        "<form><label for='a'>A</label><input id='a' name='a' required>"
        "<input type='hidden' name='h' required></form>"
    )
    assert page.problems() == [
        "<input name='a' id='a'>: no required mark",
        "0 required-field legends (one expected)",
    ]
    radios = check(
        "<p class='required-legend'>…</p><form><fieldset><legend>Choix</legend>"
        "<label><input type='radio' name='r' required> Un</label></fieldset></form>"
    )
    assert radios.problems() == ["<input name='r' id=''>: no required mark"]


def test_the_check_accepts_marked_labels_for_wrapped_and_radio_controls():
    mark = '<abbr class="required-mark" title="obligatoire">*</abbr>'
    page = check(
        f"<p class='required-legend'>…</p><form><label for='a'>A{mark}</label>"
        f"<input id='a' name='a' required><label><input type='checkbox' name='c' required>C{mark}"
        f"</label><fieldset><legend>R{mark}</legend><label><input type='radio' name='r' required>"
        "</label></fieldset><input name='free'></form>"
    )
    assert len(page.required) == 3
    assert not page.problems()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_chromium_the_registration_form_shows_red_stars_and_the_legend(page, tmp_path):
    from centres.roles import Role
    from tests.conftest import browser_login
    from tests.factories import DEFAULT_PASSWORD, CentreFactory, user_with_role

    centre = CentreFactory(name="UIMM Centre de Lyon", slug="lyon")
    staff = user_with_role(centre, Role.STAFF, username="staff.lyon")
    browser_login(page, staff.username, DEFAULT_PASSWORD)
    page.goto("/candidats/nouveau/")
    legend = page.locator("p.required-legend")
    assert legend.count() == 1 and legend.is_visible()
    assert legend.inner_text() == LEGEND
    box_legend, box_form = legend.bounding_box(), page.locator("form.form-card").bounding_box()
    assert box_legend["y"] < box_form["y"]  # above the form
    star = page.locator("label[for=id_birth_name] abbr.required-mark")
    assert star.is_visible() and star.inner_text() == "*"
    assert star.get_attribute("title") == "obligatoire"
    assert star.evaluate("e => getComputedStyle(e).color") == "rgb(179, 38, 30)"  # --bad
    assert page.locator("label[for=id_usage_name] abbr.required-mark").count() == 0
    assert page.locator("#id_birth_name").get_attribute("required") is not None
    # the accessible name keeps the label, so « Nom de naissance » still finds the field
    page.get_by_label("Nom de naissance").fill("Lambert")
    page.screenshot(path=str(tmp_path / "registration.png"), full_page=True)
