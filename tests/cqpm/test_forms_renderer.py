"""The Python fast paths of ``core.forms_renderer`` give Django's HTML, character for character."""

import datetime

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.forms_renderer import FastWidgetRenderer

CHOICES = [
    ("", "Tous"),
    ("a", "Alpha & <b>"),
    (1, gettext_lazy("Candidats")),
    ("Groupe « G »", [("g1", "Un"), ("g2", mark_safe("<i>Deux</i>"))]),  # noqa: S308
]

WIDGETS = [
    (forms.TextInput(), "q", "MAR"),
    (forms.TextInput(attrs={"placeholder": 'Nom "x" & <y>', "required": True}), "q", None),
    (forms.TextInput(attrs={"disabled": False, "autofocus": True}), "q", ""),
    (forms.NumberInput(attrs={"min": 0, "step": 0.5}), "n", 3),
    (forms.EmailInput(), "email", "a@b.fr"),
    (forms.PasswordInput(render_value=True), "p", "s3cr<t"),
    (forms.HiddenInput(), "version", 7),
    (forms.DateInput(), "d", datetime.date(2026, 3, 3)),
    (forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "d", datetime.date(2026, 3, 3)),
    (forms.CheckboxInput(), "ok", True),
    (forms.CheckboxInput(), "ok", False),
    (forms.Select(choices=CHOICES), "status", "a"),
    (forms.Select(choices=CHOICES), "status", 1),
    (forms.Select(choices=CHOICES, attrs={"data-autosubmit": True}), "status", None),
    (forms.Select(choices=CHOICES), "status", "g2"),
    (forms.SelectMultiple(choices=CHOICES), "tags", ["a", "g1"]),
    (forms.NullBooleanSelect(), "flag", None),
    (forms.NullBooleanSelect(), "flag", True),
    (forms.Select(choices=[]), "empty", None),
]


@pytest.mark.parametrize(("widget", "name", "value"), WIDGETS)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_fast_paths_give_djangos_html(widget, name, value, language):
    with translation.override(language):
        expected = widget.render(
            name, value, attrs={"id": f"id_{name}"}, renderer=DjangoTemplates()
        )
        fast = widget.render(name, value, attrs={"id": f"id_{name}"}, renderer=FastWidgetRenderer())
    assert fast == expected


def test_the_fast_paths_are_on_for_this_django():
    renderer = FastWidgetRenderer()
    assert "django/forms/widgets/select.html" in renderer.fast
    assert "django/forms/widgets/text.html" in renderer.fast
    assert "django/forms/widgets/checkbox.html" in renderer.fast
    # and the project uses it
    assert settings.FORM_RENDERER == "core.forms_renderer.FastWidgetRenderer"


def test_a_custom_option_template_goes_through_the_engine():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/select_option.html"

        def create_option(self, *args, **kwargs):
            option = super().create_option(*args, **kwargs)
            option["template_name"] = "django/forms/widgets/input_option.html"
            return option

    widget = Custom(choices=[("a", "A")])
    assert widget.render("x", "a", renderer=FastWidgetRenderer()) == widget.render(
        "x", "a", renderer=DjangoTemplates()
    )


@pytest.mark.django_db
def test_a_whole_form_renders_identically():
    from candidates.forms import ListFilterForm
    from centres.models import Company

    form = ListFilterForm({"q": "Dupont", "status": "decided"}, companies=Company.objects.none())
    form.renderer = DjangoTemplates()
    expected = str(form)
    form = ListFilterForm({"q": "Dupont", "status": "decided"}, companies=Company.objects.none())
    form.renderer = FastWidgetRenderer()
    assert str(form) == expected
