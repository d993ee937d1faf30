"""Staff pages of the documents app, mounted at ``/documents/``."""

from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/telecharger/", views.download, name="download"),
    path("<int:pk>/relancer/", views.retry, name="retry"),
    path("lots/<int:pk>/", views.batch_detail, name="batch"),
    path("lots/<int:pk>/progression/", views.batch_progress, name="batch-progress"),
    path("lots/<int:pk>/archive.zip", views.batch_zip, name="batch-zip"),
    path("registre/", views.certificate_list, name="certificates"),
    path("registre/<int:pk>/", views.certificate_detail, name="certificate"),
    path("registre/<int:pk>/produire/", views.certificate_render, name="certificate-render"),
    path("registre/<int:pk>/revoquer/", views.certificate_revoke, name="certificate-revoke"),
]
