from django.urls import path

from candidates import privacy_views
from candidates.views import birthplace, candidates, documents, dossiers, importing

app_name = "candidates"

urlpatterns = [
    path("", candidates.candidate_list, name="list"),
    path("nouveau/", candidates.candidate_create, name="create"),
    path("<int:pk>/", candidates.candidate_detail, name="detail"),
    path("<int:pk>/modifier/", candidates.candidate_edit, name="edit"),
    path("communes/", birthplace.commune_search, name="commune-search"),
    path("<int:candidate_pk>/dossiers/nouveau/", dossiers.dossier_create, name="dossier_create"),
    path("dossiers/", dossiers.dossier_list, name="dossier_list"),
    path("dossiers/<int:pk>/", dossiers.dossier_detail, name="dossier_detail"),
    path("dossiers/<int:pk>/modifier/", dossiers.dossier_edit, name="dossier_edit"),
    path("dossiers/<int:pk>/modalites/", dossiers.dossier_modalities, name="dossier_modalities"),
    path(
        "dossiers/<int:pk>/action/<slug:action>/",
        dossiers.dossier_transition,
        name="dossier_transition",
    ),
    path("dossiers/<int:pk>/abandon/", dossiers.dossier_withdraw, name="dossier_withdraw"),
    path("dossiers/<int:pk>/repassage/", dossiers.dossier_resit, name="dossier_resit"),
    path("dossiers/<int:pk>/documents/", documents.document_upload, name="document_upload"),
    path("dossiers/<int:pk>/amenagement/", documents.accommodation, name="accommodation"),
    path("documents/<int:pk>/", documents.document_download, name="document_download"),
    path("import/", importing.import_upload, name="import_upload"),
    path("import/<int:pk>/colonnes/", importing.import_mapping, name="import_mapping"),
    path("import/<int:pk>/lecture/", importing.import_progress, name="import_progress"),
    path("import/<int:pk>/apercu/", importing.import_preview, name="import_preview"),
    path("import/modele/", importing.import_template, name="import_template"),
]

# Candidates' personal data in the centre's pages (``/centre/donnees-personnelles/``): mounted
# in the ``centres`` namespace by ``parchemin.urls`` (``centres:privacy``…).
privacy_urlpatterns = [
    # Candidates' personal data: right of access, anonymisation (manage_personal_data).
    path("centre/donnees-personnelles/", privacy_views.privacy_index, name="privacy"),
    path(
        "centre/donnees-personnelles/<int:pk>/",
        privacy_views.privacy_candidate,
        name="privacy_candidate",
    ),
    path(
        "centre/donnees-personnelles/<int:pk>/export.json",
        privacy_views.privacy_export,
        name="privacy_export",
    ),
    path(
        "centre/donnees-personnelles/<int:pk>/anonymiser/",
        privacy_views.privacy_anonymise,
        name="privacy_anonymise",
    ),
]
