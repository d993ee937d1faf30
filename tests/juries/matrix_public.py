"""The juries app's public pages in the permission matrix: the holders' follow-up
questionnaire (no login; the link's token is the credential), open to anyone."""

import datetime

from django.utils import timezone
from django_scopes import scopes_disabled

from juries.models import InsertionSurvey, SurveyWave
from tests.juries.matrix_builders import _decision
from tests.matrix import ALL_ROLES, Entry

SURVEY_TOKEN = "matrix-insertion-survey-token"


def _survey_token(w):
    decision = _decision(w)
    now = timezone.now()
    with scopes_disabled():
        InsertionSurvey.objects.create(
            centre=decision.centre,
            decision=decision,
            wave=SurveyWave.SIX_MONTHS,
            token_hash=InsertionSurvey.hash_token(SURVEY_TOKEN),
            sent_at=now,
            expires_at=now + datetime.timedelta(days=60),
        )
    return {"token": SURVEY_TOKEN}


PUBLIC = [
    Entry("insertion:survey", allowed=ALL_ROLES, public=True, kwargs=_survey_token),
    Entry(
        "insertion:survey",
        allowed=ALL_ROLES,
        public=True,
        method="post",
        kwargs=_survey_token,
        data=lambda w: {"employment_status": "employed", "in_target_trade": "1"},
        status=302,
        label="answer",
    ),
    Entry("insertion:thanks", allowed=ALL_ROLES, public=True),
]
