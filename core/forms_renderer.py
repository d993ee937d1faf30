"""The project's form renderer, with the commonest widget templates rendered in Python.

Every ``<select>`` of a filter form renders one template per option (Django's
``select_option.html`` and ``attrs.html``): a list page with a select of the centre's fifty
companies spent a fifth of its time there. This renderer produces the very same HTML for
the templates below, character for character, without the template engine; any other
template (and any of these whose source Django changes) goes through Django's renderer.
``tests/cqpm/test_forms_renderer.py`` compares both outputs.
"""

from pathlib import Path

import django.forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

_WIDGETS = Path(django.forms.__file__).parent / "templates/django/forms/widgets"

# The sources this module reproduces; a Django upgrade that changes one of them turns the
# corresponding fast path off (the template is rendered as usual).
_INPUT = (
    '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %}'
    " value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
    '{% include "django/forms/widgets/attrs.html" %}>'
)
_INCLUDE_INPUT = '{% include "django/forms/widgets/input.html" %}'
_SELECT = (
    '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
    "{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}\n"
    '  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n'
    "  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n"
    "  </optgroup>{% endif %}{% endfor %}\n</select>"
)
_OPTION = (
    "<option value=\"{{ widget.value|stringformat:'s' }}\""
    '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>'
)
_ATTRS = (
    "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
    "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}"
    "{% endfor %}"
)
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _raw(name: str) -> str:
    try:
        return (_WIDGETS / name).read_text()
    except OSError:
        return ""


def _source(name: str) -> str:
    return _raw(name).strip()


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}`` under autoescape."""
    return conditional_escape(value if hasattr(value, "__html__") else str(value))


def render_attrs(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{_text(value)}"')
    return "".join(parts)


def render_input(widget: dict) -> str:
    value = widget["value"]
    value_attr = "" if value is None else f' value="{_text(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{value_attr}{render_attrs(widget["attrs"])}>'
    )


def render_option(option: dict) -> str:
    return (
        f'<option value="{_text(option["value"])}"{render_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>"
    )


class FastWidgetRenderer(TemplatesSetting):
    """``FORM_RENDERER``: the project's template engine, the input and select widgets in Python.

    Based on ``TemplatesSetting``, so the project's ``templates/django/forms/`` overrides are
    found first (``label.html`` marks the required fields: see ``templates/partials/
    required_mark.html``); Django's own form templates come from the ``django.forms`` app.
    """

    def __init__(self):
        super().__init__()
        attrs_ok = _source("attrs.html") == _ATTRS
        self.fast = {}
        if attrs_ok and _source("input.html") == _INPUT:
            for path in sorted(_WIDGETS.glob("*.html")):
                if path.read_text().strip() == _INCLUDE_INPUT:
                    self.fast[f"django/forms/widgets/{path.name}"] = render_input
        option = _raw("select_option.html")
        # what {% include %} inserts after each option: the file's trailing newline
        self.option_tail = option[len(option.rstrip()) :]
        if attrs_ok and option.strip() == _OPTION and _source("select.html") == _SELECT:
            self.fast["django/forms/widgets/select.html"] = self.render_select

    def render_select(self, widget: dict) -> str | None:
        out = [f'<select name="{conditional_escape(widget["name"])}"']
        out.append(render_attrs(widget["attrs"]) + ">")
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                if option["template_name"] != OPTION_TEMPLATE:
                    return None  # a custom option template: the template engine renders it
                out.append("\n  ")
                out.append(render_option(option))
                out.append(self.option_tail)
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return "".join(out)

    def render(self, template_name, context, request=None):
        fast = self.fast.get(template_name)
        if fast is not None and "widget" in context:
            html = fast(context["widget"])
            if html is not None:
                return mark_safe(html)  # noqa: S308 (every part is escaped above)
        return super().render(template_name, context, request)
