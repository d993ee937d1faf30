"""Root URL configuration. Each app owns its pages (``<app>/urls.py``) and its API
(``<app>/api/urls.py``, mounted under ``/api/v1/``)."""

from django.contrib import admin
from django.urls import include, path

from centres import views as centres_views
from centres.urls import auth_urlpatterns
from cqpm.security import SchemaView, api_docs_view

api_v1 = [
    path("", include("centres.api.urls")),
    path("", include("cqpm.api.urls")),
    path("", include("candidates.api.urls")),
    path("", include("evaluations.api.urls")),
    path("", include("juries.api.urls")),
    path("", include("documents.api.urls")),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", api_docs_view, name="api-docs"),
]

urlpatterns = [
    path("", centres_views.home, name="home"),
    path("healthz", centres_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("comptes/", include(auth_urlpatterns)),
    path("", include("centres.urls")),
    path("referentiels/", include("cqpm.referential_urls")),
    path("candidats/", include("candidates.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("jurys/", include("juries.urls")),
    path("documents/", include("documents.urls")),
    path("verifier/", include("documents.public_urls")),
    path("api/v1/", include((api_v1, "api"))),
]

# Clean French pages for faults (cqpm.faults): 503 + Retry-After when the database is
# unreachable, 500 otherwise; neither touches the database.
handler500 = "cqpm.faults.server_error"
