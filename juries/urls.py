from django.urls import path

from juries.views import composition, deliberation, jurors, results, sessions, signing, statistics

app_name = "juries"

urlpatterns = [
    path("", sessions.session_list, name="session_list"),
    path("nouvelle/", sessions.session_create, name="session_create"),
    path("jures/", jurors.juror_list, name="juror_list"),
    path("jures/nouveau/", jurors.juror_create, name="juror_create"),
    path("jures/<int:juror_pk>/", jurors.juror_edit, name="juror_edit"),
    path("<int:pk>/", sessions.session_detail, name="session_detail"),
    path("<int:pk>/tableau/", sessions.session_board, name="session_board"),
    path("<int:pk>/modifier/", sessions.session_edit, name="session_edit"),
    path("<int:pk>/ouvrir/", sessions.session_open, name="session_open"),
    path("<int:pk>/deliberer/", sessions.session_deliberate, name="session_deliberate"),
    path("<int:pk>/clore/", sessions.session_close, name="session_close"),
    path("<int:pk>/pv/signer/", signing.minutes_sign, name="minutes_sign"),
    path("<int:pk>/membres/", composition.members, name="members"),
    path("<int:pk>/membres/<int:member_pk>/", composition.member_edit, name="member_edit"),
    path(
        "<int:pk>/membres/<int:member_pk>/retirer/",
        composition.member_remove,
        name="member_remove",
    ),
    path(
        "<int:pk>/membres/<int:member_pk>/president/",
        composition.member_president,
        name="member_president",
    ),
    path("<int:pk>/convocations/", composition.invitations, name="invitations"),
    path("<int:pk>/emargement/", composition.attendance, name="attendance"),
    path("<int:pk>/ordre-du-jour/", composition.agenda, name="agenda"),
    path(
        "<int:pk>/ordre-du-jour/<int:item_pk>/retirer/",
        composition.agenda_remove,
        name="agenda_remove",
    ),
    path("<int:pk>/dossiers/<int:item_pk>/", deliberation.item_detail, name="item_detail"),
    path("<int:pk>/dossiers/<int:item_pk>/vote/", deliberation.item_vote, name="item_vote"),
    path(
        "<int:pk>/dossiers/<int:item_pk>/regularite/",
        deliberation.item_regularity,
        name="item_regularity",
    ),
    path("<int:pk>/dossiers/<int:item_pk>/absent/", composition.item_absent, name="item_absent"),
    path(
        "<int:pk>/dossiers/<int:item_pk>/lien/",
        composition.conflict_declare,
        name="conflict_declare",
    ),
    path(
        "<int:pk>/dossiers/<int:item_pk>/documents/<int:document_pk>/",
        deliberation.item_document,
        name="item_document",
    ),
    path(
        "<int:pk>/liens/<int:conflict_pk>/retirer/",
        composition.conflict_remove,
        name="conflict_remove",
    ),
    path("decisions/<int:pk>/", results.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/revoquer/", results.decision_revoke, name="decision_revoke"),
    path("decisions/<int:pk>/nouveau-passage/", results.decision_resit, name="decision_resit"),
    path("resultats/", results.results, name="results"),
    path("resultats/export.csv", results.results_csv, name="results_csv"),
    path("resultats/export.xlsx", results.results_xlsx, name="results_xlsx"),
    path("statistiques/", statistics.statistics, name="statistics"),
    path("statistiques/export.csv", statistics.statistics_csv, name="statistics_csv"),
    path("statistiques/export.xlsx", statistics.statistics_xlsx, name="statistics_xlsx"),
]
