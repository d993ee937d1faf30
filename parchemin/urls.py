"""Root URL configuration. Each app owns its pages (``<app>/urls.py``) and its API
(``<app>/api/urls.py``, mounted under ``/api/v1/``)."""

from django.contrib import admin
from django.urls import include, path

from accounts import urls as accounts_urls
from candidates.urls import privacy_urlpatterns
from centres import urls as centres_urls
from centres.views import shell as centres_views
from core.api.docs import SchemaView, api_docs_view
from core.health import healthz

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("centres.api.urls")),
    path("", include("cqpm.api.urls")),
    path("", include("candidates.api.urls")),
    path("", include("evaluations.api.urls")),
    path("", include("juries.api.urls")),
    path("", include("documents.api.urls")),
    path("", include("accrochage.api.urls")),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", api_docs_view, name="api-docs"),
]

urlpatterns = [
    path("", centres_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("comptes/", include(accounts_urls.auth_urlpatterns)),
    # The centre's pages (``centres:``), with the invitation link and the candidates' personal
    # data pages that other apps own but that live under the same names.
    path(
        "",
        include(
            (
                centres_urls.urlpatterns
                + accounts_urls.invitation_urlpatterns
                + privacy_urlpatterns,
                "centres",
            )
        ),
    ),
    path("referentiels/", include("cqpm.referential_urls")),
    path("candidats/", include("candidates.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("jurys/", include("juries.urls")),
    path("documents/", include("documents.urls")),
    path("accrochage/", include("accrochage.urls")),
    path("verifier/", include("documents.public_urls")),
    path("suivi/", include("juries.public_urls")),
    path("api/v1/", include((api_v1, "api"))),
]

# Clean French pages for faults (core.faults): 503 + Retry-After when the database is
# unreachable, 500 otherwise; neither touches the database.
handler500 = "core.faults.server_error"
