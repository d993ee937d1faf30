"""Dates are the real dates (issue 15): a session is never dated in the past, opens on its
day, is audited when it moves (the invitations then run again); the documents and the credits
carry the day the jury really deliberated; grids and avis signed after the deliberation began
stay out of its file."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import Credit
from centres.models import AuditEntry
from documents.builders import build_certificate
from documents.models import CertificateRecord, DocumentKind, GeneratedDocument
from documents.rendering import render_pdf
from evaluations.models import CompanyOpinion, EvaluationSession, Grid, GridStatus, OpinionStatus
from juries import paperwork, services
from juries.models import Attendance, Decision, JuryMember, JurySession, SessionStatus

from .factories import (
    NA,
    A,
    all_codes,
    competence,
    convene,
    deliberating_session,
    jurors,
    new_session,
    ready_dossier,
    sign_all,
    vote_all,
)
from .test_paperwork import pdf_text

pytestmark = pytest.mark.django_db

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def french(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def in_days(days, hour=10):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


# --- creating and moving ------------------------------------------------------------------


def test_a_session_cannot_be_created_in_the_past(world, version, staff):
    with pytest.raises(services.JuryError, match="dans le passé") as exc:
        new_session(world, version, starts_at=timezone.now() - datetime.timedelta(days=830))
    assert exc.value.code == "session_in_past"
    with pytest.raises(services.JuryError, match="dans le passé"):
        new_session(world, version, starts_at=in_days(-1, 23))
    assert not JurySession.objects.exists()
    # earlier the same day is still today
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    assert new_session(world, version, starts_at=midnight).scheduled_date == timezone.localdate()


def test_the_api_and_the_form_refuse_a_past_date(api_client, client, world, version):
    api_client.force_login(world.user("staff"))
    response = api_client.post(
        reverse("api:jury-session-list"),
        {
            "qualification": version.qualification_id,
            "starts_at": (timezone.now() - datetime.timedelta(days=830)).isoformat(),
            "place": "Grenoble",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "session_in_past"
    assert "dans le passé" in response.json()["detail"]
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("juries:session_create"),
        {
            "qualification": version.qualification_id,
            "starts_at": (timezone.localtime() - datetime.timedelta(days=830)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "place": "Lyon",
        },
    )
    assert response.status_code == 200
    assert "ne peut pas être datée dans le passé" in response.content.decode()
    assert not JurySession.objects.exists()


def test_moving_a_session_is_audited_and_invitations_are_sent_again(world, version, staff):
    session = new_session(world, version, starts_at=in_days(40))
    convene(world, session, jurors(world, 2))
    assert session.invitations_sent_at is not None
    with pytest.raises(services.JuryError, match="dans le passé"):
        services.update_session(session, actor=staff, starts_at=in_days(-2))
    # another time the same day: the invitations stand
    services.update_session(session, actor=staff, starts_at=in_days(40, 14))
    session.refresh_from_db()
    assert session.invitations_sent_at is not None
    # another day: audited, the invitations are withdrawn, the session cannot open
    services.update_session(session, actor=staff, starts_at=in_days(10))
    session.refresh_from_db()
    assert session.invitations_sent_at is None
    assert not session.members.filter(invited_at__isnull=False).exists()
    moves = AuditEntry.objects.filter(action="jury.session_moved").order_by("-id")
    assert moves.count() == 2  # the time, then the day
    entry = moves.first()
    parse = datetime.datetime.fromisoformat
    assert parse(entry.before["starts_at"]) == in_days(40, 14)
    assert parse(entry.after["starts_at"]) == in_days(10)
    assert entry.before["invitations_sent_at"] and entry.after["invitations_sent_at"] is None
    # sent again, 10 days ahead: the 15-day rule asks for a justification
    with pytest.raises(services.JuryError, match="tardive"):
        services.record_invitations(session, actor=staff, notify=False)
    services.record_invitations(
        session,
        actor=staff,
        notify=False,
        reason="rescheduled",
        justification="Date avancée par la branche",
    )
    session.refresh_from_db()
    assert session.late_invitation_reason == "rescheduled"
    assert session.late_invitation_justification == "Date avancée par la branche"


def test_an_open_session_cannot_move(world, version, staff):
    session = new_session(world, version)
    convene(world, session, jurors(world, 2))
    services.add_to_agenda(session, ready_dossier(world.centre_a, version), actor=staff)
    services.open_session(session, actor=staff)
    with pytest.raises(services.JuryError, match="ouverte") as exc:
        services.update_session(session, actor=staff, starts_at=in_days(3))
    assert exc.value.code == "session_already_open"
    services.update_session(session, actor=staff, place="Salle B")  # other fields may


def test_moving_through_the_api_and_the_page(api_client, client, world, version, staff):
    session = new_session(world, version, starts_at=in_days(30))
    convene(world, session, jurors(world, 2))
    api_client.force_login(world.user("staff"))
    url = reverse("api:jury-session-detail", args=[session.pk])
    response = api_client.patch(
        url,
        {"starts_at": in_days(-830).isoformat()},
        format="json",
        HTTP_IF_MATCH=f'"{session.version}"',
    )
    assert response.status_code == 400 and response.json()["code"] == "session_in_past"
    response = api_client.patch(
        url,
        {"starts_at": in_days(20).isoformat(), "deliberated_at": timezone.now().isoformat()},
        format="json",
        HTTP_IF_MATCH=f'"{session.version}"',
    )
    assert response.status_code == 200, response.content
    assert response.json()["invitations_sent_at"] is None
    assert response.json()["deliberated_at"] is None  # never written from outside
    session.refresh_from_db()
    client.force_login(world.user("staff"))
    response = client.post(
        reverse("juries:session_edit", args=[session.pk]),
        {
            "qualification": version.qualification_id,
            "starts_at": (timezone.localtime() - datetime.timedelta(days=3)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "place": session.place,
            "version": session.version,
        },
    )
    assert response.status_code == 200
    assert "ne peut pas être datée dans le passé" in response.content.decode()


# --- opening on the day -------------------------------------------------------------------


def _composed(world, version, staff, starts_at):
    session = new_session(world, version, starts_at=starts_at)
    members = convene(world, session, jurors(world))
    services.add_to_agenda(session, ready_dossier(world.centre_a, version), actor=staff)
    return session, members


def test_a_session_of_a_later_day_cannot_open_today(world, version, staff, clock):
    session, members = _composed(world, version, staff, in_days(20))
    with pytest.raises(services.JuryError, match="ne peut pas être ouverte avant") as exc:
        services.open_session(session, actor=staff)
    assert exc.value.code == "session_not_yet"
    # nor deliberate, even if the state were forced
    JurySession.objects.filter(pk=session.pk).update(status=SessionStatus.OPEN)
    session.refresh_from_db()
    for member in members:
        services.set_attendance(member, Attendance.PRESENT, actor=staff)
    with pytest.raises(services.JuryError, match="ne peut pas être ouverte avant"):
        services.start_deliberation(session, actor=staff)
    JurySession.objects.filter(pk=session.pk).update(status=SessionStatus.PLANNED)
    session.refresh_from_db()
    clock(session.starts_at - datetime.timedelta(minutes=30))  # within the window
    services.open_session(session, actor=staff)
    services.start_deliberation(session, actor=staff)
    session.refresh_from_db()
    assert session.status == SessionStatus.DELIBERATING


def test_the_window_is_a_setting_and_never_reaches_the_day_before(
    world, version, staff, clock, settings
):
    session, _members = _composed(world, version, staff, in_days(2))
    clock(session.starts_at - datetime.timedelta(minutes=90))
    with pytest.raises(services.JuryError, match="avant"):
        services.open_session(session, actor=staff)
    settings.JURY_OPEN_WINDOW_MINUTES = 120
    services.open_session(session, actor=staff)
    late = new_session(world, version, starts_at=in_days(4, 0).replace(minute=30))
    convene(world, late, jurors(world, 2))
    services.add_to_agenda(late, ready_dossier(world.centre_a, version), actor=staff)
    clock(late.starts_at - datetime.timedelta(minutes=60))  # 23:30 the day before
    with pytest.raises(services.JuryError, match="avant"):
        services.open_session(late, actor=staff)


def test_the_open_button_says_why_before_the_day(client, world, version, staff):
    session, _members = _composed(world, version, staff, in_days(20))
    client.force_login(world.user("staff"))
    page = client.get(reverse("juries:session_detail", args=[session.pk])).content.decode()
    opens = timezone.localtime(session.starts_at - datetime.timedelta(minutes=60))
    assert f"Ouverture possible à partir du {opens:%d/%m/%Y %H:%M}." in page
    response = client.post(
        reverse("juries:session_open", args=[session.pk]), {"version": session.version}, follow=True
    )
    assert "ne peut pas être ouverte avant le" in response.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED and session.opened_at is None


# --- the documents and the credits carry the deliberation's day ----------------------------


def test_documents_and_credits_carry_the_day_the_jury_deliberated(world, version, staff, clock):
    """Scheduled on D, the jury met two days late: PV, parchemin, attestation, letter and
    credits all say D+2, and nothing prints D."""
    dossiers = [
        ready_dossier(world.centre_a, version, birth_name=name, address="1 rue Haute\nLyon")
        for name in ("Entier", "Partiel")
    ]
    session = new_session(world, version, starts_at=in_days(20))
    members = convene(world, session, jurors(world))
    items = [services.add_to_agenda(session, d, actor=staff) for d in dossiers]
    scheduled = session.scheduled_date
    clock(in_days(22, 9))
    met = timezone.localdate()
    services.open_session(session, actor=staff)
    for member in members:
        services.set_attendance(member, Attendance.PRESENT, actor=staff)
    services.start_deliberation(session, actor=staff)
    for index, item in enumerate(items):
        services.record_regularity(item, regular=True, actor=staff)
        vote_all(item, members, {c: (NA if c == "C8" and index else A) for c in all_codes(item)})
    services.close_session(session, actor=staff)
    sign_all(session, JuryMember.objects.filter(session=session))  # then the issuing
    session.refresh_from_db()
    assert timezone.localtime(session.deliberated_at).date() == met
    assert session.jury_date == met != scheduled
    assert session.deliberation_started_at <= session.deliberated_at <= session.closed_at
    closed = AuditEntry.objects.get(action="jury.closed")
    assert closed.after["deliberated_at"] == session.deliberated_at.isoformat()

    partial = Decision.objects.get(item=items[1])
    credits = Credit.objects.filter(source_dossier=items[1].dossier)
    assert credits.exists() and set(credits.values_list("jury_date", flat=True)) == {met}
    for record in CertificateRecord.objects.all():
        assert record.jury_date == met and record.issued_on == met

    minutes = GeneratedDocument.objects.filter(kind=DocumentKind.JURY_MINUTES).earliest("pk")
    text = pdf_text(render_pdf(*paperwork.build_minutes(minutes)))
    assert f"le {french(met)}." in text  # "Fait à …, le <day>."
    assert french(scheduled) not in text
    for kind in (DocumentKind.CERTIFICATE, DocumentKind.ATTESTATION):
        document = GeneratedDocument.objects.select_related("certificate").get(kind=kind)
        text = pdf_text(render_pdf(*build_certificate(document)))
        assert text.count(french(met)) >= 2, kind  # the jury's day and the issue day
        assert french(scheduled) not in text
    letter = GeneratedDocument.objects.get(
        kind=DocumentKind.RESULT_LETTER, subject_id=str(partial.pk)
    )
    template, context = paperwork.build_result_letter(letter)
    assert context.jury_date == met and context.letter_date >= met
    until = credits.filter(competence__isnull=False).first().valid_until
    assert context.competences_valid_until == until
    text = pdf_text(render_pdf(template, context))
    assert f"réuni le {french(met)}" in text and french(scheduled) not in text


def test_a_session_closed_before_the_field_keeps_its_scheduled_day(world, version):
    dossier = ready_dossier(world.centre_a, version)
    session, members, (item,) = deliberating_session(world, version, [dossier])
    JurySession.objects.filter(pk=session.pk).update(
        status=SessionStatus.CLOSED, deliberation_started_at=in_days(3), deliberated_at=None
    )
    session.refresh_from_db()
    assert session.jury_date == session.scheduled_date


def test_a_certificate_is_never_issued_before_its_jury(world):
    from documents.services import DocumentError
    from tests.documents.factories import issue

    with pytest.raises(DocumentError) as exc:
        issue(
            world.centre_a,
            world.user("staff"),
            jury_date=datetime.date(2026, 6, 18),
            issued_on=datetime.date(2026, 6, 17),
        )
    assert exc.value.code == "issued_before_jury"


# --- grids and avis signed after the deliberation began -----------------------------------


def _late_grid(world, dossier, code, version):
    evaluation = EvaluationSession.objects.create(
        centre=world.centre_a, starts_at=timezone.now(), place="Atelier"
    )
    return Grid.objects.create(
        centre=world.centre_a,
        session=evaluation,
        dossier=dossier,
        competence=competence(version, code),
        status=GridStatus.SIGNED,
        proposal="acquise",
        locked_at=timezone.now(),
    )


def test_grids_and_avis_signed_after_the_deliberation_stay_out(
    api_client, client, world, version, staff
):
    dossier = ready_dossier(world.centre_a, version, company=world.company_a)
    session, members, (item,) = deliberating_session(world, version, [dossier])
    vote_all(item, members, dict.fromkeys(all_codes(item), A))
    _late_grid(world, dossier, "C1", version)
    CompanyOpinion.objects.create(
        centre=world.centre_a,
        dossier=dossier,
        company=world.company_a,
        status=OpinionStatus.SIGNED,
        signed_at=timezone.now(),
    )
    # the deliberation page shows them out of the file
    client.force_login(members[0].user)
    page = client.get(reverse("juries:item_detail", args=[session.pk, item.pk])).content.decode()
    assert "Signé après le début de la délibération, hors du dossier du jury" in page
    assert "Grille signée le" in page and "Avis de l&#x27;entreprise signé le" in page
    # closing is refused, through the service and the API
    with pytest.raises(services.JuryError, match="après le début de la délibération") as exc:
        services.close_session(session, actor=staff)
    assert exc.value.code == "signed_after_deliberation"
    api_client.force_login(members[0].user)
    response = api_client.post(reverse("api:jury-session-close", args=[session.pk]))
    assert response.status_code == 400
    assert response.json()["code"] == "signed_after_deliberation"
    session.refresh_from_db()
    assert session.status == SessionStatus.DELIBERATING and session.deliberated_at is None


def test_grids_signed_before_the_deliberation_are_in_the_file(client, world, version, staff):
    dossier = ready_dossier(world.centre_a, version)
    session, members, (item,) = deliberating_session(world, version, [dossier])
    grid = _late_grid(world, dossier, "C1", version)
    Grid.objects.filter(pk=grid.pk).update(
        locked_at=session.deliberation_started_at - datetime.timedelta(minutes=5)
    )
    client.force_login(members[0].user)
    page = client.get(reverse("juries:item_detail", args=[session.pk, item.pk])).content.decode()
    assert "hors du dossier du jury" not in page
    vote_all(item, members, dict.fromkeys(all_codes(item), A))
    services.close_session(session, actor=staff)
