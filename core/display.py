"""``get_FOO_display`` without rebuilding the field's choices on every call.

Django's ``Model._get_FIELD_display`` turns the whole ``flatchoices`` into a dict (and
translates every label) each time a label is shown: a list page showing a state and an
access route on each of its rows did that hundreds of times per request. Models that
inherit ``FastChoiceDisplay`` read a dict built once per field and language.
"""

from functools import lru_cache

from django.utils.translation import get_language


@lru_cache(maxsize=1024)
def _labels(field, language: str | None) -> dict:
    return {value: str(label) for value, label in field.flatchoices}


class FastChoiceDisplay:
    def _get_FIELD_display(self, field):  # noqa: N802 (Django's name)
        value = getattr(self, field.attname)
        try:
            return _labels(field, get_language())[value]
        except (KeyError, TypeError):  # not a choice, or unhashable: Django's behaviour
            return super()._get_FIELD_display(field)
