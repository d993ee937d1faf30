from django.urls import path

from . import views

app_name = "cqpm"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
]
