"""The OpenAPI schema's view inspector: every centre-scoped operation declares the
``X-Centre`` request header, once, here (``centres.middleware`` reads it).

Installed as DRF's ``DEFAULT_SCHEMA_CLASS``: ``@extend_schema`` builds on that class too,
so decorated operations get the header as well. A view is centre-scoped unless it says
otherwise (``centre_scoped = False``) or cannot be: no authentication (the token endpoint)
or open to anyone (the national referential).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import AllowAny

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


class CentreAutoSchema(AutoSchema):
    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if is_centre_scoped(self.view) and not any(
            getattr(p, "name", None) == X_CENTRE.name for p in parameters
        ):
            parameters.append(X_CENTRE)
        return parameters


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """``Authorization: Token <key>`` (``accounts.tokens``), as DRF's token scheme was."""

    target_class = "accounts.tokens.ApiTokenAuthentication"
    match_subclasses = True
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.keyword
        )
