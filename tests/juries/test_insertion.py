"""The holders' follow-up (issue 17): the questionnaires sent 6 months and 2 years after the
jury (due waves only, once), the public page (token used once, expiry, throttle), and the
answers counted in the statistics and the France Compétences export.

The jury dates come from ``stats_fixture`` (15 June 2025 and 15 June 2026). Holders there:
centre A, D1 (2025, employee), D2 (2025, VAE), D8 (2026, employee) — D6 was awarded then
revoked: never asked; centre B, three employees (2025).
"""

import csv
import datetime
import html
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from centres.access import build_actor
from centres.models import AuditEntry
from centres.roles import Role
from juries.errors import JuryError
from juries.models import Decision, EmploymentStatus, InsertionSurvey, SurveyWave
from juries.services.insertion import answer_survey, send_due_surveys
from juries.statistics import StatisticsFilters, statistics_for
from juries.tasks import send_insertion_surveys
from tests.conftest import login

from .factories import travel_to
from .stats_fixture import E, V, build_statistics_fixture

SIX, TWO = SurveyWave.SIX_MONTHS, SurveyWave.TWO_YEARS
EMPLOYED, SEEKING, TRAINING = (
    EmploymentStatus.EMPLOYED,
    EmploymentStatus.SEEKING,
    EmploymentStatus.TRAINING,
)


def text(response) -> str:
    return html.unescape(response.content.decode())


def at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 9, 0))


@pytest.fixture
def version(world):
    return build_statistics_fixture(world)


def _surveys():
    with scopes_disabled():
        return list(
            InsertionSurvey.objects.select_related("decision__dossier__candidate").order_by("pk")
        )


def _tokens(outbox):
    return [re.search(r"/suivi/([^/\s]+)/", m.body).group(1) for m in outbox]


def test_the_six_month_wave_goes_to_holders_in_force_once(world, version, mailoutbox):
    assert send_due_surveys(now=at(2026, 1, 1)) == 5  # D1, D2 and centre B's three
    surveys = _surveys()
    assert {s.wave for s in surveys} == {SIX}
    with scopes_disabled():
        assert all(
            s.decision.outcome == "awarded" and s.decision.revoked_at is None for s in surveys
        )
        assert sorted(s.centre_id for s in surveys) == sorted(
            [world.centre_a.pk] * 2 + [world.centre_b.pk] * 3
        )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        s.decision.dossier.candidate.email for s in surveys
    )
    message = mailoutbox[0]
    assert message.subject.startswith("Votre situation professionnelle après le CQPM")
    assert "Répondre : http" in message.body and "sert une seule fois" in message.body
    # the token is in the mail only; the row keeps its hash
    tokens = _tokens(mailoutbox)
    assert {InsertionSurvey.hash_token(t) for t in tokens} == {s.token_hash for s in surveys}
    assert not any(t in s.token_hash for t in tokens for s in surveys)
    assert all(s.expires_at == at(2026, 1, 1) + datetime.timedelta(days=60) for s in surveys)
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="insertion_survey.sent").count() == 5

    # idempotent: the next runs send nothing more
    assert send_due_surveys(now=at(2026, 1, 1)) == 0
    assert send_due_surveys(now=at(2026, 2, 1)) == 0
    assert len(mailoutbox) == 5


def test_waves_follow_the_jury_dates(world, version, mailoutbox):
    assert send_due_surveys(now=at(2025, 12, 14)) == 0  # 6 months not reached yet
    assert send_due_surveys(now=at(2025, 12, 16)) == 5
    assert send_due_surveys(now=at(2026, 12, 16)) == 1  # D8, jury of 2026
    assert send_due_surveys(now=at(2027, 6, 16)) == 5  # the 2-year wave of 2025
    waves = [(s.decision.dossier_id, s.wave) for s in _surveys()]
    assert len(waves) == len(set(waves)) == 11
    assert sum(1 for _d, w in waves if w == TWO) == 5


def test_a_wave_past_its_window_is_not_sent(world, version, mailoutbox, settings):
    settings.INSERTION_SURVEY_SEND_WINDOW_DAYS = 90
    # first run ever in July 2027: the 6-month waves (Dec. 2025, Dec. 2026) are too old
    assert send_due_surveys(now=at(2027, 7, 1)) == 5
    assert {s.wave for s in _surveys()} == {TWO}


def test_a_holder_without_address_is_skipped_until_one_is_given(world, version, mailoutbox):
    with scopes_disabled():
        d2 = Decision.objects.get(
            centre=world.centre_a,
            outcome="awarded",
            dossier__access_route=V,
            revoked_at__isnull=True,
        )
        candidate = d2.dossier.candidate
        candidate.email = ""
        candidate.save(update_fields=["email"])
    assert send_due_surveys(now=at(2026, 1, 1)) == 4
    with scopes_disabled():
        candidate.email = "titulaire@example.org"
        candidate.save(update_fields=["email"])
    assert send_due_surveys(now=at(2026, 1, 2)) == 1
    assert mailoutbox[-1].to == ["titulaire@example.org"]


def test_a_refused_mail_is_tried_again(world, version, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("juries.services.insertion.send_mail", refuse)
    assert send_due_surveys(now=at(2026, 1, 1)) == 0
    assert _surveys() == []  # nothing recorded: the next run sends them
    monkeypatch.undo()
    assert send_due_surveys(now=at(2026, 1, 2)) == 5


def test_the_periodic_task_is_scheduled_and_runs(world, version, settings, mailoutbox):
    entry = settings.CELERY_BEAT_SCHEDULE["juries-send-insertion-surveys"]
    assert entry["task"] == "juries.tasks.send_insertion_surveys"
    with travel_to(at(2026, 1, 1)):
        assert send_insertion_surveys.delay().get() == 5  # eager in the tests
        assert send_insertion_surveys() == 0
    assert len(mailoutbox) == 5


@pytest.fixture
def token(world, version, mailoutbox):
    """The link of one questionnaire, sent now (valid for 60 days)."""
    with travel_to(at(2026, 1, 1)):
        send_due_surveys()
    with scopes_disabled():
        # sent "today": move it to the real clock so the page (real time) finds it open
        InsertionSurvey.objects.update(
            sent_at=timezone.now(), expires_at=timezone.now() + datetime.timedelta(days=60)
        )
    return _tokens(mailoutbox)[0]


def _url(token):
    return reverse("insertion:survey", kwargs={"token": token})


def test_the_holder_answers_once_without_an_account(client, token):
    page = client.get(_url(token))
    assert page.status_code == 200
    body = text(page)
    assert "Quelle est votre situation aujourd'hui ?" in body and "En emploi" in body
    assert page["Referrer-Policy"] == "same-origin" and "noindex" in page["X-Robots-Tag"]

    answer = client.post(_url(token), {"employment_status": EMPLOYED, "in_target_trade": "1"})
    assert answer.status_code == 302 and answer["Location"] == reverse("insertion:thanks")
    assert "Merci pour vos réponses" in text(client.get(answer["Location"]))
    survey = next(s for s in _surveys() if s.token_hash == InsertionSurvey.hash_token(token))
    assert (survey.employment_status, survey.in_target_trade) == (EMPLOYED, True)
    assert survey.answered_at is not None
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="insertion_survey.answered")
    assert entry.actor is None and entry.centre_id == survey.centre_id
    assert entry.after == {"employment_status": EMPLOYED, "in_target_trade": True}

    # the link served once
    again = client.get(_url(token))
    assert again.status_code == 410
    assert "Vous avez déjà répondu à ce questionnaire" in text(again)
    twice = client.post(_url(token), {"employment_status": SEEKING})
    assert twice.status_code == 410
    survey.refresh_from_db()
    assert survey.employment_status == EMPLOYED


def test_the_trade_question_is_for_holders_in_employment(client, token):
    missing = client.post(_url(token), {"employment_status": EMPLOYED})
    assert missing.status_code == 400
    assert "Dites si votre emploi est dans le métier visé" in text(missing)
    assert (
        client.post(
            _url(token), {"employment_status": TRAINING, "in_target_trade": "1"}
        ).status_code
        == 302
    )
    survey = next(s for s in _surveys() if s.answered_at)
    assert (survey.employment_status, survey.in_target_trade) == (TRAINING, None)


def test_an_expired_or_unknown_link_is_refused_in_french(client, token):
    with scopes_disabled():
        InsertionSurvey.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    expired = client.get(_url(token))
    assert expired.status_code == 410
    assert "Ce lien de questionnaire a expiré" in text(expired)
    post = client.post(_url(token), {"employment_status": SEEKING})
    assert post.status_code == 410
    assert not any(s.answered_at for s in _surveys())
    unknown = client.get(_url("pas-un-jeton"))
    assert unknown.status_code == 404
    assert "Ce lien de questionnaire n'est pas valide." in text(unknown)


def test_the_service_refuses_a_used_token(token):
    answer_survey(token, employment_status=SEEKING, in_target_trade=None)
    with pytest.raises(JuryError) as refused:
        answer_survey(token, employment_status=EMPLOYED, in_target_trade=True)
    assert refused.value.code == "survey_answered"


def test_the_public_page_is_throttled_per_ip(client, token, settings):
    settings.VERIFICATION_RATE = "3/min"
    assert [client.get(_url(token)).status_code for _ in range(3)] == [200, 200, 200]
    throttled = client.get(_url(token))
    assert throttled.status_code == 429 and "Trop de demandes" in text(throttled)
    assert client.get(_url(token), REMOTE_ADDR="192.0.2.7").status_code == 200


# Counted in the statistics: a hand-computed set of answers.
#
# 6 months (sent 1 Jan. 2026), jury of 2025: centre A D1 employed in the trade, D2 employed
# outside the trade; centre B: one employed in the trade, one seeking, one not answered.
# 2 years (sent 16 June 2027), jury of 2025: centre A D1 employed in the trade, D2 training.
#
# Centre A, CQPM × 2025: 6 m — 2 sent, 2 answers, 2 employed (100 %), 1 in the trade (50 %);
#                        2 y — 2 sent, 2 answers, 1 employed (50 %), 1 in the trade (50 %).
# National (both centres), 2025: 6 m — 5 sent, 4 answers, 3 employed (75 %), 2 in the trade
# (50 %); 2 y — 5 sent, 2 answers, 1 employed (50 %), 1 in the trade (50 %).


@pytest.fixture
def answered(world, version, mailoutbox):
    send_due_surveys(now=at(2026, 1, 1))
    send_due_surveys(now=at(2027, 6, 16))
    answers = {
        (world.centre_a.pk, E, SIX): (EMPLOYED, True),
        (world.centre_a.pk, V, SIX): (EMPLOYED, False),
        (world.centre_a.pk, E, TWO): (EMPLOYED, True),
        (world.centre_a.pk, V, TWO): (TRAINING, None),
    }
    b_six = iter([(EMPLOYED, True), (SEEKING, None)])  # the third holder does not answer
    for survey in _surveys():
        token = next(
            t for t in _tokens(mailoutbox) if InsertionSurvey.hash_token(t) == survey.token_hash
        )
        if survey.centre_id == world.centre_a.pk:
            key = (survey.centre_id, survey.decision.dossier.access_route, survey.wave)
            status, trade = answers[key]
        elif survey.wave == SIX:
            status, trade = next(b_six, (None, None))
            if status is None:
                continue
        else:
            continue
        answer_survey(
            token,
            employment_status=status,
            in_target_trade=trade,
            now=survey.sent_at + datetime.timedelta(days=1),
        )
    return version


def test_answers_are_counted_for_the_centre(world, answered):
    stats = statistics_for(build_actor(world.user(Role.STAFF)))
    assert len(stats.insertion) == 1  # one CQPM, jury of 2025
    row = stats.insertion[0]
    assert row["year"] == 2025
    assert {k: row[SIX][k] for k in ("sent", "answered", "employed", "in_trade")} == {
        "sent": 2,
        "answered": 2,
        "employed": 2,
        "in_trade": 1,
    }
    assert (row[SIX]["insertion_rate"], row[SIX]["trade_rate"]) == (100, 50)
    assert (row[TWO]["sent"], row[TWO]["answered"]) == (2, 2)
    assert (row[TWO]["insertion_rate"], row[TWO]["trade_rate"]) == (50, 50)
    # a filter on the year of 2026 leaves no follow-up
    assert (
        statistics_for(build_actor(world.user(Role.STAFF)), StatisticsFilters(year=2026)).insertion
        == []
    )


def test_answers_are_counted_nationally(world, answered):
    stats = statistics_for(build_actor(world.national_admin))
    six, two = stats.insertion_totals[SIX], stats.insertion_totals[TWO]
    assert (six["sent"], six["answered"], six["employed"], six["in_trade"]) == (5, 4, 3, 2)
    assert (six["insertion_rate"], six["trade_rate"]) == (75, 50)
    assert (two["sent"], two["answered"], two["insertion_rate"], two["trade_rate"]) == (
        5,
        2,
        50,
        50,
    )


def test_a_revoked_holder_leaves_the_follow_up(world, answered):
    with scopes_disabled():
        d2 = next(s.decision for s in _surveys() if s.decision.dossier.access_route == V)
        type(d2).objects.filter(pk=d2.pk).update(revoked_at=at(2027, 8, 1))
    row = statistics_for(build_actor(world.user(Role.STAFF))).insertion[0]
    assert (row[SIX]["answered"], row[SIX]["insertion_rate"], row[SIX]["trade_rate"]) == (
        1,
        100,
        100,
    )


def test_the_page_and_the_export_carry_the_rates(client, world, answered):
    login(client, world.user(Role.STAFF))
    body = text(client.get(reverse("juries:statistics")))
    assert "Insertion des titulaires" in body
    assert "100.0 %" in body or "100,0 %" in body
    response = client.get(reverse("juries:statistics_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][5:] == [
        "Taux d'insertion global à 6 mois (%)",
        "Taux d'insertion dans le métier visé à 6 mois (%)",
        "Taux d'insertion dans le métier visé à 2 ans (%)",
    ]
    by_year = {r[2]: r for r in rows[1:3]}
    assert by_year["2025"][5:] == ["100.0", "50.0", "50.0"]
    assert by_year["2026"][5:] == ["", "", ""]  # nobody of that promotion asked yet


def test_the_api_carries_the_follow_up(api_client, world, answered):
    api_client.force_login(world.user(Role.STAFF))
    data = api_client.get(reverse("api:statistics")).json()
    [row] = data["insertion"]
    assert (row["year"], row["cqpm_code"]) == (2025, answered.qualification.code)
    assert row["six_months"] == {
        "sent": 2,
        "answered": 2,
        "employed": 2,
        "in_trade": 1,
        "insertion_rate": 100.0,
        "trade_rate": 50.0,
    }
    assert data["insertion_totals"]["two_years"]["insertion_rate"] == 50.0
    fc = {r["year"]: r for r in data["france_competences"]}
    assert (fc[2025]["insertion_6_months"], fc[2025]["insertion_trade_2_years"]) == (100.0, 50.0)
    assert fc[2026]["insertion_6_months"] is None


def test_the_command_sends_what_is_due(world, version, mailoutbox):
    from django.core.management import call_command

    out = io.StringIO()
    with travel_to(at(2026, 1, 1)):
        call_command("send_insertion_surveys", stdout=out)
        call_command("send_insertion_surveys", stdout=out)
    assert out.getvalue().splitlines() == [
        "5 questionnaire(s) de suivi envoyé(s)",
        "0 questionnaire(s) de suivi envoyé(s)",
    ]
    assert len(mailoutbox) == 5
