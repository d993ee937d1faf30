import datetime as dt

import pytest
from django.utils import timezone

from evaluations.errors import EvaluationError
from evaluations.services.sessions import schedule_session


@pytest.mark.django_db
@pytest.mark.parametrize("year", [824, 1899, 2101])
def test_a_session_in_an_implausible_year_is_refused(world, year):
    starts_at = timezone.make_aware(dt.datetime(year, 3, 1, 9, 0), dt.UTC)
    with pytest.raises(EvaluationError) as excinfo:
        schedule_session(
            world.centre_a,
            actor=world.user("staff"),
            label="Session",
            place="Lyon",
            modality="real_work",
            starts_at=starts_at,
        )
    assert excinfo.value.code == "invalid_dates"
