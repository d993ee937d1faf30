"""The API schema and its documentation page.

``/api/v1/schema/`` describes every endpoint, field and limit: in production it is served to
authenticated users only (a token or a session), unless ``API_SCHEMA_PUBLIC`` says
otherwise; on the embedded default it stays public (issue 14, finding 11). The
documentation page follows the same setting, an anonymous visitor being sent to the login.

Swagger UI without inline scripts: the split view serves its init script from the same
URL (``?script``). Its template still carries one small ``<style>`` block, so this page
alone allows inline styles (never inline scripts).
"""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny, IsAuthenticated


def schema_is_public() -> bool:
    return settings.API_SCHEMA_PUBLIC


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema: public, or for authenticated users only (``API_SCHEMA_PUBLIC``)."""

    def get_permissions(self):
        return [AllowAny()] if schema_is_public() else [IsAuthenticated()]


class _DocsView(SpectacularSwaggerSplitView):
    def get_permissions(self):
        return [AllowAny()] if schema_is_public() else [IsAuthenticated()]


_docs_view = csp_update({"style-src": ["'self'", UNSAFE_INLINE]})(
    _DocsView.as_view(url_name="api:api-schema")
)


def api_docs_view(request, *args, **kwargs):
    if not schema_is_public() and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _docs_view(request, *args, **kwargs)
