"""The OpenAPI schema's view inspector: every centre-scoped operation declares the
``X-Centre`` request header, once, here (``centres.middleware`` reads it); every operation
that reads the edited version declares ``If-Match``; every operation documents the error
statuses it can answer (``core.api.schema_statuses``); a response field says it can be blank
or null whenever its model field can (read-only fields lose DRF's ``allow_blank``), and so
does a method field whose return annotation admits None. ``ascii_names``, a postprocessing
hook, keeps tags and operation ids ASCII (generated clients turn them into package and class
names) while summaries and descriptions stay French.

Installed as DRF's ``DEFAULT_SCHEMA_CLASS``: ``@extend_schema`` builds on that class too,
so decorated operations get the header as well. A view is centre-scoped unless it says
otherwise (``centre_scoped = False``) or cannot be: no authentication (the token endpoint)
or open to anyone (the national referential).
"""

import re
import types
import typing
import unicodedata

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.permissions import AllowAny

from core.api import schema_statuses
from core.api.versioning import IF_MATCH

X_CENTRE = OpenApiParameter(
    name="X-Centre",
    type=OpenApiTypes.INT,
    location=OpenApiParameter.HEADER,
    required=False,
    description=_(
        "Centre actif de la requête (son identifiant). Les clients authentifiés par jeton "
        "choisissent ainsi leur centre ; sans cet en-tête, c'est le centre choisi dans la "
        "session ou, à défaut, le premier centre où l'utilisateur a un rôle actif. Un centre "
        "où l'utilisateur n'a aucun rôle actif n'en ouvre aucun : les points d'accès d'un "
        "centre répondent alors 403."
    ),
)


def is_centre_scoped(view) -> bool:
    explicit = getattr(view, "centre_scoped", None)
    if explicit is not None:
        return bool(explicit)
    if not getattr(view, "authentication_classes", None):
        return False
    permissions = list(getattr(view, "permission_classes", None) or [])
    return not permissions or not all(
        isinstance(p, type) and issubclass(p, AllowAny) for p in permissions
    )


def _declares(parameters, name) -> bool:
    return any(getattr(p, "name", None) == name for p in parameters)


class CentreAutoSchema(AutoSchema):
    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if is_centre_scoped(self.view) and not _declares(parameters, X_CENTRE.name):
            parameters.append(X_CENTRE)
        if schema_statuses.reads_version(self.view, self.method) and not _declares(
            parameters, IF_MATCH.name
        ):
            parameters.append(IF_MATCH)
        return parameters

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            schema_statuses.add_error_responses(self, operation)
        return operation

    def _map_basic_serializer(self, serializer, direction):
        """A serializer's ``schema_optional`` fields (left out for some readers, e.g. by a
        subclass a view picks for them), and the fields DRF leaves out when a relation on
        their way is null, are not required in its responses."""
        schema = super()._map_basic_serializer(serializer, direction)
        optional = set(getattr(serializer, "schema_optional", ()))
        if direction == "response":
            optional |= {
                name
                for name, field in serializer.fields.items()
                if _may_be_blank_or_null(field).absent
            }
        if optional and "required" in schema:
            schema["required"] = [f for f in schema["required"] if f not in optional]
            if not schema["required"]:
                del schema["required"]
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction != "response" or not isinstance(schema, dict):
            return schema
        blank, null, _absent = _may_be_blank_or_null(field)
        if "enum" in schema:
            if blank and "" not in schema["enum"]:
                schema["enum"].append("")
            if null and None not in schema["enum"]:
                schema["enum"].append(None)
        if null:
            schema["nullable"] = True
        return schema


class Shown(typing.NamedTuple):
    """What a response field may show besides its type: ``""``, None, or nothing at all."""

    blank: bool = False
    null: bool = False
    absent: bool = False


def _may_be_blank_or_null(field) -> Shown:
    """What this response field can show, from its model field (following ``source``
    across relations) or a method field's return annotation. On the way, a missing reverse
    one-to-one gives None; a null foreign key makes DRF leave a read-only field out (unless
    the field has a default or allows None)."""
    if isinstance(field, serializers.SerializerMethodField):
        method = getattr(field.parent, field.method_name, None)
        try:
            returned = typing.get_type_hints(method).get("return") if method else None
        except Exception:  # noqa: BLE001 - an unresolvable hint: nothing to add
            returned = None
        origin = typing.get_origin(returned)
        null = origin in (typing.Union, types.UnionType) and type(None) in typing.get_args(returned)
        return Shown(null=null)
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    source = getattr(field, "source", None)
    if model is None or not source or source == "*":
        return Shown()
    names = source.split(".")
    none_on_the_way = gap_on_the_way = False
    for position, name in enumerate(names):
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return Shown()
        if position == len(names) - 1:
            break
        if not model_field.is_relation or model_field.related_model is None:
            return Shown()
        if model_field.one_to_one and not model_field.concrete:
            none_on_the_way = True  # RelatedObjectDoesNotExist: DRF shows None
        elif getattr(model_field, "null", False):
            gap_on_the_way = True  # getattr(None, …): DRF's default, None or no key
        model = model_field.related_model
    if model_field.many_to_many or model_field.one_to_many:
        return Shown()
    null = bool(getattr(model_field, "null", False)) or none_on_the_way
    absent = False
    if gap_on_the_way and field.default is empty:
        if field.allow_null:
            null = True
        elif not field.required:
            absent = True
    return Shown(
        blank=bool(model_field.blank and getattr(model_field, "choices", None)),
        null=null,
        absent=absent,
    )


_NOT_NAME = re.compile(r"[^A-Za-z0-9_-]+")


def ascii_name(text: str) -> str:
    """``"journal d'audit"`` → ``"journal-d-audit"``, ``"référentiel"`` → ``"referentiel"``."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_NAME.sub("-", plain).strip("-") or "api"


def ascii_names(result, generator, request, public):
    """Postprocessing hook: ASCII tags and operation ids; query parameters lose their
    ``title`` (a filter's French label, which generators turn into a class name — the
    parameter keeps its name and description)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            operation["operationId"] = ascii_name(operation["operationId"]).replace("-", "_")
            if "tags" in operation:
                operation["tags"] = [ascii_name(tag) for tag in operation["tags"]]
            for parameter in operation.get("parameters", []):
                parameter.get("schema", {}).pop("title", None)
    for tag in result.get("tags", []) or []:
        tag["name"] = ascii_name(tag["name"])
    return result


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """``Authorization: Token <key>`` (``accounts.tokens``), as DRF's token scheme was."""

    target_class = "accounts.tokens.ApiTokenAuthentication"
    match_subclasses = True
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.keyword
        )
