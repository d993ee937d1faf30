from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "centres"

urlpatterns = [
    path("centre/changer/", views.switch_centre, name="switch"),
]

# Authentication URLs keep Django's standard names (login, logout, password_*).
auth_urlpatterns = [
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
]
