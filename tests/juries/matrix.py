"""Permission matrix of the juries app's pages and endpoints (see tests/matrix.py).

Every object lives in centre A. The world's juror sits in (and presides) the sessions the
entries build, so "juror" is an allowed role wherever jurors act; centre B's juror, who
does not sit, gets 404 like any outsider.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from centres.access import build_actor
from documents.models import DocumentKind, GeneratedDocument
from juries import services
from juries.models import Attendance, College, Decision, Juror, JuryMember, JurySession
from tests.candidates.factories import DossierDocumentFactory
from tests.factories import DEFAULT_PASSWORD
from tests.matrix import STAFF_ROLES, Entry

from .factories import NA, A, juror, produce_minutes, ready_dossier, referential

MARKER = "MATRIXMARQUEUR"
JURY = "MATRIXJURY"
READERS = (*STAFF_ROLES, "juror")
NOT_JURY = ("assessor", "company_rep", "national_admin")
STATISTICS_READERS = (*STAFF_ROLES, "national_admin")


def _staff(w):
    return build_actor(w.user("staff"))


def _planned(w, *, invited=True):
    """A composed session: the world's juror presides (employer), juror_a2 (employee)."""
    w.centre_a.jury_quorum = 2
    w.centre_a.save(update_fields=["jury_quorum"])
    version = referential()
    staff = _staff(w)
    session = services.create_session(
        w.centre_a,
        acting_user=staff,
        qualification=version.qualification,
        starts_at=timezone.now(),
        place="Salle du conseil",
        label=JURY,
    )
    president = services.add_member(
        session,
        w.user("juror"),
        acting_user=staff,
        college=College.EMPLOYER,
        organisation="MATRIXORG",
    )
    services.add_member(
        session,
        juror(w.centre_a, "juror_a2"),
        acting_user=staff,
        college=College.EMPLOYEE,
        organisation="MATRIXUNION",
    )
    services.set_president(president, acting_user=staff)
    if invited:
        services.record_invitations(
            session, acting_user=staff, sent_at=session.starts_at - datetime.timedelta(days=20)
        )
    session.refresh_from_db()
    return session


def _with_item(w, session=None):
    session = session or _planned(w)
    dossier = ready_dossier(w.centre_a, referential(), company=w.company_a, birth_name=MARKER)
    item = services.add_to_agenda(session, dossier, acting_user=_staff(w))
    return session, item


def _open(w):
    session, item = _with_item(w)
    staff = _staff(w)
    services.open_session(session, acting_user=staff)
    for member in session.members.all():
        services.set_attendance(member, Attendance.PRESENT, acting_user=staff)
    session.refresh_from_db()
    return session, item


def _deliberating(w, *, voted=False, values=None):
    session, item = _open(w)
    staff = _staff(w)
    services.start_deliberation(session, acting_user=staff)
    services.record_regularity(item, regular=True, acting_user=staff)
    if voted:
        for member in session.members.all():
            for row in item.dossier.competences.select_related("competence"):
                value = (values or {}).get(row.competence.code, A)
                services.cast_vote(item, row.competence, value, acting_user=member.user)
    session.refresh_from_db()
    return session, item


def _closed(w, values=None):
    session, item = _deliberating(w, voted=True, values=values)
    services.close_session(session, acting_user=_staff(w))
    session.refresh_from_db()
    return session, item


def _signable(w):
    """A closed session whose PV is produced, ready to sign."""
    session, item = _closed(w)
    produce_minutes(session)
    return session, item


def _signature_data(w):
    minutes = GeneratedDocument.objects.filter(kind=DocumentKind.JURY_MINUTES).latest("id")
    return {"password": DEFAULT_PASSWORD, "document_sha256": minutes.sha256}


def _decision(w, values=None):
    _session, item = _closed(w, values)
    return Decision.objects.get(item=item)


# --- kwargs factories ---------------------------------------------------------------------


def _session_pk(builder=_planned):
    return lambda w: {"pk": builder(w).pk}


def _session_item(builder):
    def build(w):
        session, item = builder(w)
        return {"pk": session.pk, "item_pk": item.pk}

    return build


def _member(w):
    session = _planned(w)
    member = session.members.get(user__username="juror_a2")
    return {"pk": session.pk, "member_pk": member.pk}


def _employer_member(w):
    session = _planned(w)
    member = services.add_member(
        session, juror(w.centre_a, "juror_a3"), acting_user=_staff(w), college=College.EMPLOYER
    )
    return {"pk": session.pk, "member_pk": member.pk}


def _document(w):
    session, item = _with_item(w)
    document = DossierDocumentFactory(dossier=item.dossier)
    document.file.save("rapport.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return {"pk": session.pk, "item_pk": item.pk, "document_pk": document.pk}


def _conflict(w):
    session, item = _with_item(w)
    member = session.members.get(user__username="juror_a2")
    conflict = services.declare_conflict(item, member, kind="trainer", acting_user=_staff(w))
    return {"pk": session.pk, "conflict_pk": conflict.pk}


def _juror_record(w):
    """The standing record of centre A's employee juror (registered by ``_planned``)."""
    _planned(w)
    return Juror.objects.get(centre=w.centre_a, user__username="juror_a2")


def _juror_data(w):
    return {
        "user": juror(w.centre_a, "juror_a6").pk,
        "college": "employee",
        "union": "MATRIXUNION6",
    }


def _decision_pk(values=None):
    return lambda w: {"pk": _decision(w, values).pk}


def _partial(w):
    return {"pk": _decision(w, {"C8": NA}).pk}


def _a2(w):
    return JuryMember.objects.get(session__centre=w.centre_a, user__username="juror_a2")


def _marker(text):
    return lambda w: text


def _session_data(w):
    version = referential()
    return {
        "qualification": version.qualification_id,
        "starts_at": (timezone.localtime() + datetime.timedelta(days=30)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "place": "Lyon, salle 2",
        "label": "Nouvelle séance",
    }


def _setup(builder):
    return lambda w: builder(w) and None


SESSION = _session_pk()
ITEM = _session_item(_with_item)

HTML = [
    Entry("juries:session_list", allowed=READERS, marker=_marker(JURY), setup=_setup(_planned)),
    Entry(
        "juries:session_list",
        allowed=READERS,
        marker=_marker(JURY),
        setup=_setup(_planned),
        query="?q=jury&status=planned",
        label="filtres",
    ),
    Entry("juries:session_create", allowed=STAFF_ROLES),
    Entry(
        "juries:session_create",
        allowed=STAFF_ROLES,
        method="post",
        data=_session_data,
        status=302,
        label="post",
    ),
    Entry("juries:session_detail", allowed=READERS, kwargs=SESSION, hidden_from=NOT_JURY),
    Entry(
        "juries:session_detail",
        allowed=READERS,
        kwargs=_session_pk(lambda w: _closed(w)[0]),
        hidden_from=NOT_JURY,
        label="close",
    ),
    Entry(
        "juries:session_board",
        allowed=READERS,
        kwargs=_session_pk(lambda w: _deliberating(w)[0]),
        hidden_from=NOT_JURY,
    ),
    Entry("juries:session_edit", allowed=STAFF_ROLES, kwargs=SESSION, hidden_from=NOT_JURY),
    Entry(
        "juries:session_open",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=SESSION,
        status=302,
        hidden_from=NOT_JURY,
    ),
    Entry(
        "juries:session_deliberate",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_session_pk(lambda w: _open(w)[0]),
        status=302,
        hidden_from=NOT_JURY,
    ),
    Entry(
        "juries:session_close",
        allowed=READERS,
        kwargs=_session_pk(lambda w: _deliberating(w, voted=True)[0]),
        hidden_from=NOT_JURY,
    ),
    Entry(
        "juries:session_close",
        allowed=READERS,
        method="post",
        kwargs=_session_pk(lambda w: _deliberating(w, voted=True)[0]),
        data=lambda w: {"confirm": "on", "observations": "RAS"},
        status=302,
        hidden_from=NOT_JURY,
        label="post",
    ),
    Entry(
        "juries:minutes_sign",
        allowed=("juror",),
        kwargs=_session_pk(lambda w: _signable(w)[0]),
        hidden_from=NOT_JURY,
    ),
    Entry(
        "juries:minutes_sign",
        allowed=("juror",),
        method="post",
        kwargs=_session_pk(lambda w: _signable(w)[0]),
        data=_signature_data,
        status=302,
        hidden_from=NOT_JURY,
        label="post",
    ),
    Entry(
        "juries:juror_list",
        allowed=STAFF_ROLES,
        marker=_marker("MATRIXUNION"),
        setup=_setup(_planned),
    ),
    Entry(
        "juries:juror_list",
        allowed=STAFF_ROLES,
        marker=_marker("MATRIXUNION"),
        setup=_setup(_planned),
        query="?q=juror&college=employee&sort=-union",
        label="filtres",
    ),
    Entry("juries:juror_create", allowed=STAFF_ROLES),
    Entry(
        "juries:juror_create",
        allowed=STAFF_ROLES,
        method="post",
        data=_juror_data,
        status=302,
        label="post",
    ),
    Entry(
        "juries:juror_edit",
        allowed=STAFF_ROLES,
        kwargs=lambda w: {"juror_pk": _juror_record(w).pk},
    ),
    Entry(
        "juries:juror_edit",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=lambda w: {"juror_pk": _juror_record(w).pk},
        data=lambda w: {"college": "employee", "union": "MATRIXUNION7", "version": 1},
        status=302,
        label="post",
    ),
    Entry("juries:members", allowed=STAFF_ROLES, kwargs=SESSION, hidden_from=NOT_JURY),
    Entry(
        "juries:members",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=SESSION,
        data=lambda w: {
            "user": juror(w.centre_a, "juror_a5").pk,
            "college": "employee",
            "organisation": "MATRIXUNION5",
        },
        status=302,
        hidden_from=NOT_JURY,
        label="post",
    ),
    Entry("juries:member_edit", allowed=STAFF_ROLES, kwargs=_member, hidden_from=NOT_JURY),
    Entry(
        "juries:member_remove",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_member,
        status=302,
        hidden_from=NOT_JURY,
    ),
    Entry(
        "juries:member_president",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_employer_member,
        status=302,
        hidden_from=NOT_JURY,
    ),
    Entry(
        "juries:invitations",
        allowed=STAFF_ROLES,
        kwargs=_session_pk(lambda w: _planned(w, invited=False)),
        hidden_from=NOT_JURY,
    ),
    Entry(
        "juries:invitations",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_session_pk(lambda w: _planned(w, invited=False)),
        data=lambda w: {"reason": "rescheduled", "justification": "Séance avancée"},
        status=302,
        hidden_from=NOT_JURY,
        label="post",
    ),
    Entry(
        "juries:attendance",
        allowed=STAFF_ROLES,
        kwargs=_session_pk(lambda w: _open(w)[0]),
        hidden_from=NOT_JURY,
    ),
    Entry("juries:agenda", allowed=STAFF_ROLES, kwargs=SESSION, hidden_from=NOT_JURY),
    Entry(
        "juries:agenda",
        allowed=STAFF_ROLES,
        kwargs=SESSION,
        query="?q=nom",
        hidden_from=NOT_JURY,
        label="recherche",
    ),
    Entry(
        "juries:agenda_remove",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=ITEM,
        status=302,
        hidden_from=NOT_JURY,
    ),
    Entry("juries:item_detail", allowed=READERS, kwargs=ITEM, hidden_from=NOT_JURY),
    Entry(
        "juries:item_detail",
        allowed=READERS,
        kwargs=_session_item(_deliberating),
        hidden_from=NOT_JURY,
        label="délibération",
    ),
    Entry(
        "juries:item_vote",
        allowed=("juror",),
        method="post",
        kwargs=_session_item(_deliberating),
        data=lambda w: {
            "competence": referential().competences.get(code="C1").pk,
            "value": "acquise",
        },
        status=302,
        hidden_from=NOT_JURY,
    ),
    Entry(
        "juries:item_regularity",
        allowed=READERS,
        method="post",
        kwargs=_session_item(_open),
        data=lambda w: {"regular": "1"},
        status=302,
        hidden_from=NOT_JURY,
    ),
    Entry(
        "juries:item_absent",
        allowed=READERS,
        method="post",
        kwargs=ITEM,
        data=lambda w: {"absent": "1", "confirmed": "1"},
        status=302,
        hidden_from=NOT_JURY,
    ),
    Entry(  # the confirmation page ("Confirmer l'absence de …")
        "juries:item_absent", allowed=READERS, kwargs=ITEM, hidden_from=NOT_JURY
    ),
    Entry(
        "juries:conflict_declare",
        allowed=READERS,
        method="post",
        kwargs=ITEM,
        data=lambda w: {"kind": "trainer", "member": _a2(w).pk},
        status=302,
        hidden_from=NOT_JURY,
    ),
    Entry("juries:item_document", allowed=READERS, kwargs=_document, hidden_from=NOT_JURY),
    Entry(
        "juries:conflict_remove",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_conflict,
        status=302,
        hidden_from=NOT_JURY,
    ),
    Entry("juries:decision_detail", allowed=READERS, kwargs=_decision_pk(), hidden_from=NOT_JURY),
    Entry(
        "juries:decision_revoke", allowed=STAFF_ROLES, kwargs=_decision_pk(), hidden_from=NOT_JURY
    ),
    Entry(
        "juries:decision_revoke",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_decision_pk(),
        data=lambda w: {"reason": "Erreur matérielle"},
        status=302,
        hidden_from=NOT_JURY,
        label="post",
    ),
    Entry(
        "juries:decision_resit",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_partial,
        status=302,
        hidden_from=NOT_JURY,
    ),
    Entry("juries:results", allowed=STAFF_ROLES, marker=_marker(MARKER), setup=_setup(_decision)),
    Entry(
        "juries:results",
        allowed=STAFF_ROLES,
        marker=_marker(MARKER),
        setup=_setup(_decision),
        query="?q=nom&outcome=awarded&state=standing&date_from=2020-01-01",
        label="filtres",
    ),
    Entry(
        "juries:results_csv", allowed=STAFF_ROLES, marker=_marker(MARKER), setup=_setup(_decision)
    ),
    Entry(
        # binary: the other centre's isolation is checked in test_pages.py
        "juries:results_xlsx",
        allowed=STAFF_ROLES,
        setup=_setup(_decision),
    ),
    # statistics (issue 17): centre staff, and the national administrator (national view);
    # the page names the centre it counts, never another one
    Entry(
        "juries:statistics",
        allowed=STATISTICS_READERS,
        marker=lambda w: w.centre_a.name,
        setup=_setup(_decision),
    ),
    Entry(
        "juries:statistics",
        allowed=STATISTICS_READERS,
        marker=lambda w: w.centre_a.name,
        setup=_setup(_decision),
        query="?year=2026&route=salarie",
        label="filtres",
    ),
    # exports: counts only; centre B's numbers are checked apart in test_statistics*.py
    Entry("juries:statistics_csv", allowed=STATISTICS_READERS, setup=_setup(_decision)),
    Entry("juries:statistics_xlsx", allowed=STATISTICS_READERS, setup=_setup(_decision)),
]

API = [
    Entry(
        "api:statistics",
        allowed=STATISTICS_READERS,
        marker=lambda w: w.centre_a.name,
        setup=_setup(_decision),
    ),
    Entry("api:jury-session-list", allowed=READERS, marker=_marker(JURY), setup=_setup(_planned)),
    Entry(
        "api:jury-session-list",
        allowed=STAFF_ROLES,
        method="post",
        data=lambda w: {**_session_data(w), "starts_at": timezone.now().isoformat()},
        status=201,
        label="create",
    ),
    Entry("api:jury-session-detail", allowed=READERS, kwargs=SESSION),
    Entry(
        "api:jury-session-detail",
        allowed=STAFF_ROLES,
        method="patch",
        kwargs=SESSION,
        data=lambda w: {"place": "Salle 3", "version": JurySession.objects.get().version},
        label="patch",
    ),
    Entry(
        "api:jury-session-invitations",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_session_pk(lambda w: _planned(w, invited=False)),
        data=lambda w: {"reason": "rescheduled", "justification": "Séance avancée"},
    ),
    Entry("api:jury-session-open-session", allowed=STAFF_ROLES, method="post", kwargs=SESSION),
    Entry(
        "api:jury-session-deliberate",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_session_pk(lambda w: _open(w)[0]),
    ),
    Entry(
        "api:jury-session-close",
        allowed=READERS,
        method="post",
        kwargs=_session_pk(lambda w: _deliberating(w, voted=True)[0]),
    ),
    Entry(
        "api:jury-session-sign",
        allowed=("juror",),
        method="post",
        kwargs=_session_pk(lambda w: _signable(w)[0]),
        data=_signature_data,
    ),
    Entry(
        "api:jury-session-minutes",
        allowed=READERS,
        kwargs=_session_pk(lambda w: _signable(w)[0]),
    ),
    Entry(
        "api:juror-list", allowed=STAFF_ROLES, marker=_marker("MATRIXUNION"), setup=_setup(_planned)
    ),
    Entry(
        "api:juror-list",
        allowed=STAFF_ROLES,
        method="post",
        data=_juror_data,
        status=201,
        label="create",
    ),
    Entry("api:juror-detail", allowed=STAFF_ROLES, kwargs=lambda w: {"pk": _juror_record(w).pk}),
    Entry(
        "api:juror-detail",
        allowed=STAFF_ROLES,
        method="patch",
        kwargs=lambda w: {"pk": _juror_record(w).pk},
        data=lambda w: {"union": "MATRIXUNION8"},
        label="patch",
    ),
    Entry(
        "api:jury-member-list",
        allowed=READERS,
        marker=_marker("MATRIXUNION"),
        setup=_setup(_planned),
    ),
    Entry(
        "api:jury-member-list",
        allowed=STAFF_ROLES,
        method="post",
        data=lambda w: {
            "session": _planned(w).pk,
            "user": juror(w.centre_a, "juror_a5").pk,
            "college": "employee",
            "organisation": "MATRIXUNION5",
        },
        status=201,
        label="create",
    ),
    Entry(
        "api:jury-member-detail", allowed=READERS, kwargs=lambda w: {"pk": _member(w)["member_pk"]}
    ),
    Entry(
        "api:jury-member-detail",
        allowed=STAFF_ROLES,
        method="patch",
        kwargs=lambda w: {"pk": _member(w)["member_pk"]},
        data=lambda w: {"sex": "F"},
        label="patch",
    ),
    Entry(
        "api:jury-member-detail",
        allowed=STAFF_ROLES,
        method="delete",
        kwargs=lambda w: {"pk": _member(w)["member_pk"]},
        status=204,
        label="delete",
    ),
    Entry(
        "api:jury-member-president",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=lambda w: {"pk": _employer_member(w)["member_pk"]},
    ),
    Entry(
        "api:jury-member-attendance",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=lambda w: {"pk": _member(w)["member_pk"]},
        data=lambda w: {"attendance": "excused"},
    ),
    Entry(
        "api:jury-agenda-item-list",
        allowed=READERS,
        marker=_marker(MARKER),
        setup=_setup(_with_item),
    ),
    Entry(
        "api:jury-agenda-item-list",
        allowed=STAFF_ROLES,
        method="post",
        data=lambda w: {
            "session": _planned(w).pk,
            "dossier": ready_dossier(w.centre_a, referential()).pk,
        },
        status=201,
        label="create",
    ),
    Entry(
        "api:jury-agenda-item-detail", allowed=READERS, kwargs=lambda w: {"pk": _with_item(w)[1].pk}
    ),
    Entry(
        "api:jury-agenda-item-detail",
        allowed=STAFF_ROLES,
        method="delete",
        kwargs=lambda w: {"pk": _with_item(w)[1].pk},
        status=204,
        label="delete",
    ),
    Entry(
        "api:jury-agenda-item-regularity",
        allowed=READERS,
        method="post",
        kwargs=lambda w: {"pk": _open(w)[1].pk},
        data=lambda w: {"regular": True},
    ),
    Entry(
        "api:jury-agenda-item-absent",
        allowed=READERS,
        method="post",
        kwargs=lambda w: {"pk": _with_item(w)[1].pk},
        data=lambda w: {"absent": True},
    ),
    Entry(
        "api:jury-agenda-item-conflicts",
        allowed=READERS,
        method="post",
        kwargs=lambda w: {"pk": _with_item(w)[1].pk},
        data=lambda w: {
            "kind": "trainer",
            "member": w.centre_a.jury_sessions.get().members.get(user=w.user("juror")).pk,
        },
    ),
    Entry(
        "api:jury-vote-list",
        allowed=READERS,
        marker=_marker('"competence_code":"C1"'),
        setup=_setup(lambda w: _deliberating(w, voted=True)),
    ),
    Entry(
        "api:jury-vote-list",
        allowed=("juror",),
        method="post",
        data=lambda w: {
            "item": _deliberating(w)[1].pk,
            "competence": referential().competences.get(code="C2").pk,
            "value": "non_acquise",
        },
        status=201,
        label="cast",
    ),
    Entry(
        "api:jury-decision-list",
        allowed=READERS,
        marker=_marker(MARKER),
        setup=_setup(_decision),
    ),
    Entry("api:jury-decision-detail", allowed=READERS, kwargs=_decision_pk()),
    Entry(
        "api:jury-decision-revoke",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_decision_pk(),
        data=lambda w: {"reason": "Erreur matérielle"},
    ),
    Entry(
        "api:jury-decision-resit",
        allowed=STAFF_ROLES,
        method="post",
        kwargs=_partial,
        status=201,
    ),
]

ENTRIES = HTML + API
