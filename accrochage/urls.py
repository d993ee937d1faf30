"""The accrochage pages (``/accrochage/``)."""

from django.urls import path

from accrochage import views

app_name = "accrochage"

urlpatterns = [
    path("", views.holders, name="holders"),
    path("generer/", views.generate, name="generate"),
    path("flux/", views.flux_list, name="flux_list"),
    path("flux/<int:pk>/", views.flux_detail, name="flux_detail"),
    path("flux/<int:pk>/fichier/", views.flux_download, name="flux_download"),
    path("flux/<int:pk>/compte-rendu/", views.report_import, name="report_import"),
    path("flux/<int:pk>/renvoyer/", views.resend, name="resend"),
    path("compte-certificateur/", views.certifier_account, name="certifier_account"),
]
