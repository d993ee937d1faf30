from django.urls import path

from evaluations.views import grids, opinions, sessions

app_name = "evaluations"

urlpatterns = [
    path("", sessions.session_list, name="session_list"),
    path("sessions/nouvelle/", sessions.session_create, name="session_create"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/modifier/", sessions.session_edit, name="session_edit"),
    path("sessions/<int:pk>/dossiers/", sessions.session_add_dossier, name="session_add_dossier"),
    path(
        "sessions/<int:pk>/dossiers/<int:dossier_pk>/retirer/",
        sessions.session_remove_dossier,
        name="session_remove_dossier",
    ),
    path("sessions/<int:pk>/membres/", sessions.session_add_member, name="session_add_member"),
    path(
        "sessions/<int:pk>/action/<slug:action>/",
        sessions.session_transition,
        name="session_transition",
    ),
    path(
        "sessions/<int:pk>/convocations/",
        sessions.session_convocations,
        name="session_convocations",
    ),
    path(
        "sessions/<int:session_pk>/dossiers/<int:dossier_pk>/declaration/",
        grids.declaration,
        name="declaration",
    ),
    path("membres/<int:pk>/retirer/", sessions.member_remove, name="member_remove"),
    path("membres/<int:pk>/presence/", sessions.member_presence, name="member_presence"),
    path("grilles/<int:pk>/", grids.grid_page, name="grid"),
    path("grilles/<int:pk>/signer/", grids.grid_sign, name="grid_sign"),
    path("grilles/<int:pk>/rouvrir/", grids.grid_reopen, name="grid_reopen"),
    path("avis/", opinions.opinion_list, name="opinion_list"),
    path("avis/<int:dossier_pk>/", opinions.opinion_page, name="opinion"),
    path(
        "avis/<int:dossier_pk>/non-obtenu/",
        opinions.opinion_unavailable,
        name="opinion_unavailable",
    ),
]
