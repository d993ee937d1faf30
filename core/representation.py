"""Serializer output without DRF's per-field machinery, for the lists read at volume.

DRF's ``Serializer.to_representation`` asks every field, for every row, to find its value
(``Field.get_attribute``: a generic walk with ``inspect.signature`` on callables, exception
handling for missing attributes…) and only then to convert it. On a page of 50 rows with
nested rows, that generic work costs more than the SQL.

``PlannedRepresentation`` builds, once per serializer instance (so once per request for a
``many=True`` list, whose child serializes every row), a read plan: for each readable field,
one small function that reads and converts its value. The plan only takes shortcuts whose
result is DRF's by construction:

- a concrete model column (``source`` = the field name): ``getattr`` then the field's own
  ``to_representation`` (``str`` for a plain ``CharField``), ``None`` kept as ``None``;
- a primary-key related field on a foreign key: the ``<fk>_id`` column, as DRF's
  "pk only" optimisation returns it;
- a ``SerializerMethodField``: the bound method;
- a dotted ``source`` (``candidate.full_name``) or a nested serializer: a plain attribute
  walk, then the field's ``to_representation``.

A serializer may also give a field its own reader, a method ``represent_<field name>``
(the instance in, the field's output out): for values its view loaded in bulk.

The fields themselves are built once per serializer class, then copied for each instance.

Anything else (a callable attribute, a missing or ``None`` intermediate object, a field
class that reads its value its own way, a ``Mapping`` instead of an object) goes through
DRF's own ``get_attribute``, with its defaults and ``SkipField`` semantics. Field names,
values and order are DRF's; ``tests/perf/test_representation.py`` compares both outputs.
"""

import copy
from functools import partial
from types import BuiltinFunctionType, FunctionType, MethodType

from django.core.exceptions import FieldDoesNotExist
from rest_framework import fields as drf_fields
from rest_framework import relations, serializers
from rest_framework.fields import SkipField

# What DRF's ``is_simple_callable`` may call (or refuse): never taken by the shortcuts.
_CALLABLES = (FunctionType, MethodType, partial, BuiltinFunctionType)
_MISSING = object()
# Field classes whose ``to_representation`` is a plain conversion of a non-null value.
_CONVERT = {drf_fields.CharField: str, drf_fields.IntegerField: int}
_IDENTITY = (drf_fields.ReadOnlyField,)


def _drf_reader(field):
    """DRF's own path for one field (``Serializer.to_representation``'s loop body)."""

    def read(instance):
        attribute = field.get_attribute(instance)
        value = attribute.pk if isinstance(attribute, relations.PKOnlyObject) else attribute
        return None if value is None else field.to_representation(attribute)

    return read


def _converter(field):
    kind = type(field)
    if kind in _CONVERT:
        return _CONVERT[kind]
    if kind in _IDENTITY:
        return None
    if isinstance(field, drf_fields.DateTimeField) and not hasattr(field, "timezone"):
        # DRF looks the current time zone up for every value; it is the same for the
        # whole request (the plan lives as long as the serializer).
        field.timezone = field.default_timezone()
    return field.to_representation


def _pk_reader(attname, fallback):
    def read(instance):
        value = getattr(instance, attname, _MISSING)
        return fallback(instance) if value is _MISSING else value

    return read


def _walk_reader(field, attrs, fallback):
    convert = _converter(field)
    *path, last = attrs

    def read(instance):
        value = instance
        for attr in path:
            value = getattr(value, attr, None)
            if value is None or isinstance(value, _CALLABLES):
                return fallback(instance)  # DRF decides: default, None or skip
        value = getattr(value, last, _MISSING)
        if value is None:
            return None
        if value is _MISSING or isinstance(value, _CALLABLES):
            return fallback(instance)
        return value if convert is None else convert(value)

    return read


def _model_field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _reader(serializer, field, model):
    own = getattr(serializer, f"represent_{field.field_name}", None)
    if own is not None:
        return own
    fallback = _drf_reader(field)
    if isinstance(field, drf_fields.SerializerMethodField):
        return getattr(serializer, field.method_name)
    attrs = field.source_attrs
    if not attrs:  # source="*"
        return fallback
    if isinstance(field, relations.PrimaryKeyRelatedField):
        model_field = _model_field(model, attrs[0]) if len(attrs) == 1 else None
        if field.pk_field is None and model_field is not None and model_field.many_to_one:
            return _pk_reader(model_field.attname, fallback)
        return fallback
    if type(field).get_attribute is not drf_fields.Field.get_attribute:
        return fallback  # the field reads its value its own way
    return _walk_reader(field, attrs, fallback)  # a column (one attr) or a chain of them


# Mixin for a (model) serializer: ``to_representation`` through a read plan built once per
# serializer instance; same output as DRF's (see the module docstring). No class docstring:
# drf-spectacular would take it as the description of every serializer without one.
class PlannedRepresentation:
    def get_fields(self):
        # DRF builds a model serializer's fields anew for every instance (model
        # introspection, labels, validators: ~0.3 ms a request, more with nested
        # serializers). They depend on the class alone (its Meta and declared fields): they
        # are built once per class, and each instance gets its own deep copy, as DRF gives
        # each instance a copy of the declared fields.
        cls = type(self)
        prototypes = cls.__dict__.get("_field_prototypes")
        if prototypes is None:
            prototypes = super().get_fields()
            cls._field_prototypes = prototypes
        return copy.deepcopy(prototypes)

    def _read_plan(self):
        plan = self.__dict__.get("_planned_reads")
        if plan is None:
            model = getattr(getattr(self, "Meta", None), "model", None)
            plan = [
                (field.field_name, _reader(self, field, model)) for field in self._readable_fields
            ]
            self.__dict__["_planned_reads"] = plan
        return plan

    def to_representation(self, instance):
        data = {}
        for name, read in self._read_plan():
            try:
                data[name] = read(instance)
            except SkipField:
                continue
        return data


class ChoiceLabelField(serializers.CharField):
    """The label of a model field's choice, read-only: what ``source="get_<name>_display"``
    returns (the translated label, or the stored value when it is not a choice), without
    Django rebuilding and hashing the choices for every row. ``source`` names the model
    field; the labels are translated once per serializer (one request, one language)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        labels = self.__dict__.get("_labels")
        if labels is None:
            model_field = self.parent.Meta.model._meta.get_field(self.source)
            labels = {key: str(label) for key, label in model_field.flatchoices}
            self._labels = labels
        return str(labels.get(value, value))
