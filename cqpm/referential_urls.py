from django.urls import path

from cqpm import views

app_name = "cqpm"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<slug:slug>/", views.referential, name="referential"),
    path("<slug:slug>/v<int:number>/", views.referential, name="version"),
    path("<slug:slug>/v<int:number>/criteres/", views.criteria_search, name="criteria"),
    path("<slug:slug>/v<int:number>/imprimer/", views.print_view, name="print"),
]
