"""Issue 15 through the pages and the API: the juror records (staff only, union never shown
to jurors nor exported), one member per union, an employee never seated as employer, the
imbalance and late-invitation reasons."""

import pytest
from django.urls import reverse

from juries import services
from juries.models import Attendance, College, Juror, JurorUnion, JuryMember, SessionStatus

from .factories import convene, jurors, new_session, ready_dossier

pytestmark = pytest.mark.django_db


def _register(staff, world, user, college, union=""):
    return services.register_juror(world.centre_a, user, actor=staff, college=college, union=union)


# --- pages ----------------------------------------------------------------------------------


def test_the_juror_list_searches_sorts_and_shows_unions_to_staff_only(client, world, staff):
    users = jurors(world, 3)
    _register(staff, world, users[0], College.EMPLOYER)
    _register(staff, world, users[1], College.EMPLOYEE, "Syndicat ZÉPHYR")
    _register(staff, world, users[2], College.EMPLOYEE, "Syndicat ALPHA")
    client.force_login(world.user("staff"))
    url = reverse("juries:juror_list")
    page = client.get(url, {"sort": "union"}).content.decode()
    assert page.index("Syndicat ALPHA") < page.index("Syndicat ZÉPHYR")
    page = client.get(url, {"sort": "-union"}).content.decode()
    assert page.index("Syndicat ZÉPHYR") < page.index("Syndicat ALPHA")
    page = client.get(url, {"q": "alpha"}).content.decode()
    assert "Syndicat ALPHA" in page and "Syndicat ZÉPHYR" not in page
    page = client.get(url, {"college": "employer"}).content.decode()
    assert "Syndicat" not in page.split("<tbody>")[1]
    client.force_login(world.user("juror"))
    assert client.get(url).status_code == 403
    client.force_login(world.user("staff", "b"))
    assert "Syndicat" not in client.get(url).content.decode().split("<tbody>")[1]


def test_the_juror_form_requires_a_union_and_edits_are_audited(client, world, version, staff):
    user = jurors(world, 2)[1]
    client.force_login(world.user("staff"))
    url = reverse("juries:juror_create")
    response = client.post(url, {"user": user.pk, "college": "employee", "union": ""})
    assert response.status_code == 200 and "indiquez-la" in response.content.decode()
    assert not Juror.objects.filter(user=user).exists()
    response = client.post(url, {"user": user.pk, "college": "employee", "union": "CFDT"})
    assert response.status_code == 302
    juror = Juror.objects.get(user=user)
    session = new_session(world, version)
    seat = services.add_member(session, user, actor=staff)
    edit = reverse("juries:juror_edit", args=[juror.pk])
    assert "CFDT" in client.get(edit).content.decode()
    response = client.post(edit, {"college": "employee", "union": "CFTC", "version": 1})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.organisation == "CFDT" and JurorUnion.objects.get(juror=juror).union == "CFTC"
    stale = client.post(edit, {"college": "employee", "union": "CGT", "version": 1})
    assert stale.status_code == 200 and "modifiée par quelqu" in stale.content.decode()
    client.force_login(world.user("staff", "b"))
    assert client.get(edit).status_code == 404


def test_the_members_page_refuses_a_second_member_of_a_union(client, world, version, staff):
    session = new_session(world, version)
    users = jurors(world, 3)
    _register(staff, world, users[1], College.EMPLOYEE, "FO")
    _register(staff, world, users[2], College.EMPLOYEE, "FO")
    services.add_member(session, users[1], actor=staff)
    client.force_login(world.user("staff"))
    url = reverse("juries:members", args=[session.pk])
    response = client.post(url, {"user": users[2].pk})
    assert response.status_code == 200
    assert "un seul membre par organisation" in response.content.decode()
    response = client.post(url, {"user": users[2].pk, "college": "employer"})
    assert "inscrit(e) au collège salariés" in response.content.decode()
    assert not JuryMember.objects.filter(session=session, user=users[2]).exists()
    member = JuryMember.objects.get(session=session, user=users[1])
    client.post(reverse("juries:member_president", args=[session.pk, member.pk]))
    member.refresh_from_db()
    assert not member.is_president


def _opened_unbalanced(world, version, staff):
    world.centre_a.jury_quorum = 3
    world.centre_a.save(update_fields=["jury_quorum"])
    session = new_session(world, version)
    members = convene(world, session, jurors(world, 4))
    services.add_to_agenda(session, ready_dossier(world.centre_a, version), actor=staff)
    services.open_session(session, actor=staff)
    for index, member in enumerate(members):
        value = Attendance.ABSENT if index == 3 else Attendance.PRESENT
        services.set_attendance(member, value, actor=staff)
    session.refresh_from_db()
    return session


def test_the_deliberate_button_asks_for_the_imbalance_reason(client, world, version, staff):
    session = _opened_unbalanced(world, version, staff)
    client.force_login(world.user("staff"))
    detail = client.get(reverse("juries:session_detail", args=[session.pk])).content.decode()
    assert 'name="imbalance_reason"' in detail
    url = reverse("juries:session_deliberate", args=[session.pk])
    client.post(url, {"version": session.version})
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN
    client.post(url, {"version": session.version, "imbalance_reason": "Un salarié malade."})
    session.refresh_from_db()
    assert session.status == SessionStatus.DELIBERATING
    assert session.imbalance_reason == "Un salarié malade."


def test_the_invitations_page_asks_for_a_reason_from_the_list(client, world, version, staff):
    session = new_session(world, version)  # today: any invitation is late
    users = jurors(world, 2)
    services.add_member(session, users[0], actor=staff, college=College.EMPLOYER)
    services.add_member(
        session, users[1], actor=staff, college=College.EMPLOYEE, organisation="CGT"
    )
    client.force_login(world.user("staff"))
    url = reverse("juries:invitations", args=[session.pk])
    assert "Séance reportée ou avancée" in client.get(url).content.decode()
    response = client.post(url, {"justification": "Séance avancée"})
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.invitations_sent_at is None
    response = client.post(url, {"reason": "rescheduled", "justification": "Séance avancée"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.late_invitation_reason == "rescheduled"


# --- API ------------------------------------------------------------------------------------


def as_user(api_client, user):
    api_client.logout()
    api_client.force_login(user)
    return api_client


def test_the_api_keeps_unions_to_staff_and_refuses_the_finding(api_client, world, version, staff):
    users = jurors(world, 3)
    api = as_user(api_client, world.user("staff"))
    url = reverse("api:juror-list")
    for user, union in ((users[1], "Syndicat API"), (users[2], "syndicat api")):
        response = api.post(
            url, {"user": user.pk, "college": "employee", "union": union}, format="json"
        )
        assert response.status_code == 201, response.content
    assert api.post(url, {"user": users[0].pk, "college": "employee"}, format="json").json()[
        "code"
    ] == ("union_required")
    assert api.post(url, {"user": users[0].pk, "college": "employer"}, format="json").status_code
    assert "Syndicat API" in api.get(url).content.decode()
    session = new_session(world, version)
    members = reverse("api:jury-member-list")
    assert (
        api.post(members, {"session": session.pk, "user": users[1].pk}, format="json").status_code
        == 201
    )
    response = api.post(members, {"session": session.pk, "user": users[2].pk}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "union_already_seated"
    response = api.post(
        members, {"session": session.pk, "user": users[2].pk, "college": "employer"}, format="json"
    )
    assert response.json()["code"] == "college_mismatch"
    seat = JuryMember.objects.get(session=session, user=users[1])
    response = api.post(reverse("api:jury-member-president", args=[seat.pk]))
    assert response.json()["code"] == "president_employer_college"
    response = api.patch(
        reverse("api:jury-member-detail", args=[seat.pk]), {"college": "employer"}, format="json"
    )
    assert response.json()["code"] == "college_from_record"
    # a juror (of this session) sees neither the records nor a member's union
    services.add_member(session, world.user("juror"), actor=staff, college="employer")
    juror_api = as_user(api_client, world.user("juror"))
    assert juror_api.get(url).status_code == 403
    listing = juror_api.get(members, {"session": session.pk})
    assert listing.status_code == 200 and "Syndicat" not in listing.content.decode()


def test_the_deliberate_verb_takes_the_imbalance_reason(api_client, world, version, staff):
    session = _opened_unbalanced(world, version, staff)
    api = as_user(api_client, world.user("staff"))
    url = reverse("api:jury-session-deliberate", args=[session.pk])
    response = api.post(url, {}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "deliberation_refused"
    response = api.post(url, {"imbalance_reason": "Absence imprévue."}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["imbalance_reason"] == "Absence imprévue."


def test_results_exports_carry_no_union(client, world, version, staff):
    from .test_paperwork import closed_session

    world.centre_a.jury_quorum = 4
    world.centre_a.save(update_fields=["jury_quorum"])
    closed_session(world, version, 1)
    client.force_login(world.user("staff"))
    csv = client.get(reverse("juries:results_csv")).content.decode()
    assert "PV0" in csv.upper() or "NOM" in csv.upper()
    for union in ("CFDT", "CFE-CGC", "CGT"):
        assert union not in csv
