"""What the schema says about each operation beyond its success: the error statuses it can
answer and the body they carry, derived once from the view (method, path parameters,
authentication, throttles, optimistic concurrency) rather than restated on every
``@extend_schema``. ``core.api.schema.CentreAutoSchema`` applies it.

| status | when | body |
| --- | --- | --- |
| 400 | a write, or a read with query parameters | ``Error`` (refusal) or ``ValidationErrors`` |
| 401 | authentication required | ``Detail`` |
| 403 | authentication required (no active centre, role, object refused) | ``Detail`` |
| 404 | a path parameter, or a paginated list (page out of range) | ``Detail`` |
| 412 | the operation reads ``If-Match`` | ``Error`` (``stale``) unless it documents its own |
| 415 | a request body (JSON, or multipart on an upload) sent as another type | ``Detail`` |
| 428 | the version is mandatory (``expected_version(request)``) | ``Detail`` |
| 429 | the view is throttled | ``Detail`` |
"""

import contextlib
import copy
import inspect
import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.permissions import AllowAny

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

ERROR = {
    "type": "object",
    "description": _("Refus métier : un code stable et son message en français."),
    "properties": {"code": {"type": "string"}, "detail": {"type": "string"}},
    "required": ["code", "detail"],
}
VALIDATION_ERRORS = {
    "type": "object",
    "description": _(
        "Erreurs de validation : pour chaque champ (ou non_field_errors), ses messages."
    ),
    "additionalProperties": {},
}
DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "required": ["detail"],
}

DESCRIPTIONS = {
    "400": _("Requête refusée : refus métier {code, detail} ou erreurs de validation par champ."),
    "401": _("Authentification requise (jeton absent, inconnu ou expiré)."),
    "403": _("Accès refusé : aucun centre actif, rôle insuffisant ou objet non modifiable."),
    "404": _("Objet inconnu ou invisible pour l'utilisateur (ou page hors limites)."),
    "412": _("Version périmée : l'objet a été modifié depuis (If-Match)."),
    "415": _("Type de corps non accepté : JSON (multipart/form-data pour un dépôt de fichier)."),
    "428": _("Version manquante : envoyez l'en-tête If-Match (ou le champ « version »)."),
    "429": _("Trop de requêtes : réessayez après le délai de l'en-tête Retry-After."),
}

# the call that makes the version mandatory (``required=True``, not behind a condition)
_REQUIRED_VERSION = re.compile(r"expected_version\(\s*request\s*\)(?!\s*if\b)")


def _component(auto_schema, name, schema):
    component = ResolvedComponent(
        name=name, type=ResolvedComponent.SCHEMA, object=name, schema=copy.deepcopy(schema)
    )
    auto_schema.registry.register_on_missing(component)
    return component.ref


# the methods DRF's generic handlers call, where a viewset reads the version
_HOOKS = {
    "create": ("perform_create",),
    "update": ("update", "perform_update"),
    "partial_update": ("update", "perform_update"),
    "destroy": ("perform_destroy",),
}


def handler_source(view, method) -> str:
    """The source of what answers this operation: the action (or the method handler of an
    ``APIView``) and the hooks DRF's generic action calls."""
    action = getattr(view, "action", None)
    if action:
        names = [action, *_HOOKS.get(action, ())]
    else:  # an APIView: its put/patch may hand over to a mixin's ``update``
        implied = {"put": "update", "patch": "partial_update"}.get(method.lower(), "")
        names = [method.lower(), *_HOOKS.get(implied, ())]
    sources = []
    for name in dict.fromkeys(names):
        handler = getattr(view, name, None)
        with contextlib.suppress(OSError, TypeError):  # a builtin, a C function
            sources.append(inspect.getsource(handler) if handler else "")
    return "\n".join(sources)


def reads_version(view, method) -> bool:
    """The operation takes the edited version (``If-Match`` or ``version``): its handler
    calls ``expected_version`` (VersionedMixin's ``update`` does)."""
    return "expected_version(" in handler_source(view, method)


def requires_version(view, method) -> bool:
    """… and cannot do without it (428)."""
    return bool(_REQUIRED_VERSION.search(handler_source(view, method)))


def _authenticated(view) -> bool:
    if not getattr(view, "authentication_classes", None):
        return False
    permissions = list(getattr(view, "permission_classes", None) or [])
    return not all(isinstance(p, type) and issubclass(p, AllowAny) for p in permissions)


def expected_statuses(view, method, operation) -> list[str]:
    parameters = operation.get("parameters", [])
    query = {p["name"] for p in parameters if p.get("in") == "query"}
    statuses = []
    if method in WRITE_METHODS or query - {"page"}:
        statuses.append("400")
    if _authenticated(view):
        statuses += ["401", "403"]
    if any(p.get("in") == "path" for p in parameters) or "page" in query:
        statuses.append("404")
    if any(p.get("in") == "header" and p.get("name") == "If-Match" for p in parameters):
        statuses.append("412")
        if requires_version(view, method):
            statuses.append("428")
    if "requestBody" in operation:
        statuses.append("415")
    if getattr(view, "throttle_classes", None):
        statuses.append("429")
    return statuses


def add_error_responses(auto_schema, operation) -> None:
    """Adds each status the operation can answer that it does not document, and a body to
    the documented ones that have none (``@extend_schema``'s description-only answers)."""
    error = _component(auto_schema, "Error", ERROR)
    detail = _component(auto_schema, "Detail", DETAIL)
    bodies = {
        "400": {"anyOf": [error, _component(auto_schema, "ValidationErrors", VALIDATION_ERRORS)]},
        "412": error,
    }
    responses = operation["responses"]
    for status in expected_statuses(auto_schema.view, auto_schema.method, operation):
        response = responses.setdefault(status, {"description": DESCRIPTIONS[status]})
        if not response.get("description"):
            response["description"] = DESCRIPTIONS[status]
        if "content" not in response:
            response["content"] = {"application/json": {"schema": bodies.get(status, detail)}}
