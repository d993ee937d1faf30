"""The objects the juries' permission matrix builds (tests/juries/matrix.py): sessions in
every state, members, decisions, documents, all in centre A."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from centres.access import build_actor
from documents.models import DocumentKind, GeneratedDocument
from juries import services
from juries.models import Attendance, College, Decision, Juror, JuryMember
from tests.candidates.factories import DossierDocumentFactory
from tests.factories import DEFAULT_PASSWORD
from tests.matrix import STAFF_ROLES

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
        actor=staff,
        qualification=version.qualification,
        starts_at=timezone.now(),
        place="Salle du conseil",
        label=JURY,
    )
    president = services.add_member(
        session,
        w.user("juror"),
        actor=staff,
        college=College.EMPLOYER,
        organisation="MATRIXORG",
    )
    services.add_member(
        session,
        juror(w.centre_a, "juror_a2"),
        actor=staff,
        college=College.EMPLOYEE,
        organisation="MATRIXUNION",
    )
    services.set_president(president, actor=staff)
    if invited:
        services.record_invitations(
            session, actor=staff, sent_at=session.starts_at - datetime.timedelta(days=20)
        )
    session.refresh_from_db()
    return session


def _with_item(w, session=None):
    session = session or _planned(w)
    dossier = ready_dossier(w.centre_a, referential(), company=w.company_a, birth_name=MARKER)
    item = services.add_to_agenda(session, dossier, actor=_staff(w))
    return session, item


def _open(w):
    session, item = _with_item(w)
    staff = _staff(w)
    services.open_session(session, actor=staff)
    for member in session.members.all():
        services.set_attendance(member, Attendance.PRESENT, actor=staff)
    session.refresh_from_db()
    return session, item


def _deliberating(w, *, voted=False, values=None):
    session, item = _open(w)
    staff = _staff(w)
    services.start_deliberation(session, actor=staff)
    services.record_regularity(item, regular=True, actor=staff)
    if voted:
        for member in session.members.all():
            for row in item.dossier.competences.select_related("competence"):
                value = (values or {}).get(row.competence.code, A)
                services.cast_vote(item, row.competence, value, actor=member.user)
    session.refresh_from_db()
    return session, item


def _closed(w, values=None):
    session, item = _deliberating(w, voted=True, values=values)
    services.close_session(session, actor=_staff(w))
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
        session, juror(w.centre_a, "juror_a3"), actor=_staff(w), college=College.EMPLOYER
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
    conflict = services.declare_conflict(item, member, kind="trainer", actor=_staff(w))
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
