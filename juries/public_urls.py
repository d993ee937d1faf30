"""Public pages of the juries app (no login): the holders' follow-up questionnaire,
mounted at ``/suivi/``."""

from django.urls import path

from juries.views import insertion

app_name = "insertion"

urlpatterns = [
    path("merci/", insertion.thanks, name="thanks"),
    path("<str:token>/", insertion.survey, name="survey"),
]
