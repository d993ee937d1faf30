"""Template helpers of the jury pages."""

from django import template

register = template.Library()


@register.simple_tag
def voted(competence_state, item_state, member) -> str:
    """ "voted", "abstains" or "waiting" for one member on one competence."""
    if any(m.pk == member.pk for m in item_state.abstaining):
        return "abstains"
    return "voted" if member.pk in competence_state.votes else "waiting"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
