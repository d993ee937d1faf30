"""The API documentation page under the Content Security Policy.

Swagger UI without inline scripts: the split view serves its init script from the same
URL (``?script``). Its template still carries one small ``<style>`` block, so this page
alone allows inline styles (never inline scripts).
"""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from drf_spectacular.views import SpectacularSwaggerSplitView

api_docs_view = csp_update({"style-src": ["'self'", UNSAFE_INLINE]})(
    SpectacularSwaggerSplitView.as_view(url_name="api:api-schema")
)
