"""Required fields, marked the same way on every form: ``{% load required_fields %}``.

A required field's label carries ``templates/partials/required_mark.html`` (a red « * »,
« obligatoire » for assistive technologies): Django's labels get it from
``templates/django/forms/label.html`` (the project's ``FORM_RENDERER`` finds it), a label
written by hand in a template includes the partial itself.

The base templates wrap their content in ``{% required_legend %}``: when the page shows a
marked label, the legend « Les champs marqués d'un * sont obligatoires. » appears once, just
before the form holding the first one. A new form page needs nothing to get both.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

register = template.Library()

MARK = 'class="required-mark"'
LEGEND_TEMPLATE = "partials/required_legend.html"


def with_legend(html: str) -> str:
    """``html`` with the legend before the form of its first required mark (if it has one)."""
    first = html.find(MARK)
    if first < 0:
        return html
    form = html.rfind("<form", 0, first)
    at = form if form >= 0 else 0
    return html[:at] + render_to_string(LEGEND_TEMPLATE) + html[at:]


class RequiredLegendNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        # the content is the template's (already escaped) output: only the legend is added
        return mark_safe(with_legend(self.nodelist.render(context)))  # noqa: S308


@register.tag
def required_legend(parser, token):
    """``{% required_legend %}…{% endrequired_legend %}``: see the module's docstring."""
    nodelist = parser.parse(("endrequired_legend",))
    parser.delete_first_token()
    return RequiredLegendNode(nodelist)
