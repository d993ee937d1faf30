"""Test data of the juries app: ready-for-jury dossiers, jurors, convened sessions."""

import contextlib
import datetime
from unittest import mock

from django.utils import timezone

from candidates.models import AccessStatus, DossierStatus
from centres.access import build_actor
from centres.models import Membership
from centres.roles import Role
from cqpm.models import Competence, ReferentialVersion
from juries import services
from juries.models import Attendance, College, VoteValue
from tests.candidates.factories import CandidateFactory, DossierFactory, build_referential
from tests.factories import UserFactory

A = VoteValue.ACQUIRED
NA = VoteValue.NOT_ACQUIRED


@contextlib.contextmanager
def travel_to(moment):
    """Run the block with the clock moved to ``moment`` (and ticking on from there): every
    ``timezone.now()``, ``localdate()`` and ``auto_now`` of the services and the pages.
    Fields whose default is the ``timezone.now`` function keep the real clock."""
    real_now = timezone.now
    offset = moment - real_now()
    with mock.patch("django.utils.timezone.now", lambda: real_now() + offset):
        yield


def referential(*, rncp=True):
    """The published version of the test CQPM (built once)."""
    slug = "manager-secteur-activites" if rncp else "cqpm-hors-rncp"
    existing = ReferentialVersion.objects.filter(
        qualification__slug=slug, status=ReferentialVersion.Status.PUBLISHED
    ).first()
    return existing or build_referential(slug=slug, rncp_registered=rncp)


def ready_dossier(
    centre, version, *, company=None, route=AccessStatus.EMPLOYEE, codes=None, **cand
):
    """A dossier "ready for jury" evaluating ``codes`` (default: every competence)."""
    modality = version.modalities.get(code="real_work")
    dossier = DossierFactory(
        centre=centre,
        candidate=CandidateFactory(centre=centre, **cand),
        referential_version=version,
        access_route=route,
        company=company if route not in {AccessStatus.VAE, AccessStatus.FREE} else None,
        competences=modality,
        status=DossierStatus.READY_FOR_JURY,
    )
    if codes is not None:
        dossier.competences.exclude(competence__code__in=codes).delete()
    return dossier


def juror(centre, username):
    user = UserFactory(username=username)
    Membership.objects.get_or_create(user=user, centre=centre, role=Role.JUROR)
    return user


def jurors(world, n=4):
    """The world's juror first, then extra jurors of centre A."""
    users = [world.user("juror")]
    users += [juror(world.centre_a, f"juror_a{i}") for i in range(2, n + 1)]
    return users


def competence(version, code):
    return Competence.objects.get(version=version, code=code)


def new_session(world, version, *, starts_at=None, staff=None, place="Salle du conseil"):
    actor = build_actor(staff or world.user("staff"))
    return services.create_session(
        world.centre_a,
        actor=actor,
        qualification=version.qualification,
        starts_at=starts_at or timezone.now(),
        place=place,
        label="Jury d'essai",
    )


UNIONS = ["CFDT", "CFE-CGC", "CGT", "CGT-FO", "CFTC"]


def convene(world, session, users, *, colleges=None, president=0, staff=None, **member_fields):
    """Seat ``users`` (alternating employer/employee unless ``colleges``), name the
    president, record timely invitations. An employee juror without a standing record is
    registered for a union of their own (``UNIONS``, in seat order)."""
    actor = build_actor(staff or world.user("staff"))
    colleges = colleges or [
        College.EMPLOYER if i % 2 == 0 else College.EMPLOYEE for i in range(len(users))
    ]
    members = []
    for index, (user, college) in enumerate(zip(users, colleges, strict=True)):
        fields = dict(member_fields)
        if college == College.EMPLOYEE:
            fields.setdefault("organisation", UNIONS[index % len(UNIONS)])
        members.append(services.add_member(session, user, actor=actor, college=college, **fields))
    if president is not None:
        services.set_president(members[president], actor=actor)
    services.record_invitations(
        session, actor=actor, sent_at=session.starts_at - datetime.timedelta(days=20)
    )
    session.refresh_from_db()
    for member in members:
        member.refresh_from_db()
    return members


def deliberating_session(world, version, dossiers, *, users=None, present=None, regular=True, **kw):
    """A session of centre A in deliberation: 4 members (2 per college, the world's juror
    presiding), the dossiers on the agenda, everyone present, regularity checked."""
    actor = build_actor(world.user("staff"))
    session = new_session(world, version, **kw)
    users = users or jurors(world)
    members = convene(world, session, users)
    items = [services.add_to_agenda(session, d, actor=actor) for d in dossiers]
    services.open_session(session, actor=actor)
    for member in members:
        value = (
            Attendance.PRESENT if present is None or member.user in present else Attendance.ABSENT
        )
        services.set_attendance(member, value, actor=actor)
    services.start_deliberation(session, actor=actor)
    if regular:
        for item in items:
            services.record_regularity(item, regular=True, actor=actor)
    session.refresh_from_db()
    for member in members:
        member.refresh_from_db()
    return session, members, items


def vote(item, member, code, value):
    version = item.dossier.referential_version
    return services.cast_vote(item, competence(version, code), value, actor=member.user)


def vote_all(item, members, values):
    """``values``: {code: value for everyone} or {code: [value per member]}."""
    for code, value in values.items():
        per_member = value if isinstance(value, list | tuple) else [value] * len(members)
        for member, v in zip(members, per_member, strict=True):
            if v is not None:
                vote(item, member, code, v)


def all_codes(item):
    return list(item.dossier.competences.values_list("competence__code", flat=True))


FAKE_PV = b"%PDF-1.4\n% PV de test (non rendu)\n%%EOF\n"


def produce_minutes(session, pdf: bytes = FAKE_PV):
    """Store a PDF as the session's PV (the render queue is off in these tests): through the
    pipeline's own ``_store``, so the checksum is taken as in production."""
    from documents.tasks import _store
    from juries.services.signing import minutes_to_sign

    document = minutes_to_sign(session)
    _store(document.pk, pdf)
    document.refresh_from_db()
    return document


def sign(session, member, *, password=None, otp="", document_sha256=None, **kw):
    """A present member signs the PV with their password (the test default)."""
    from juries.services.signing import minutes_to_sign
    from tests.factories import DEFAULT_PASSWORD

    if document_sha256 is None:
        document_sha256 = minutes_to_sign(session).sha256
    return services.sign_minutes(
        session,
        actor=member.user,
        password=DEFAULT_PASSWORD if password is None else password,
        otp=otp,
        document_sha256=document_sha256,
        **kw,
    )


def sign_all(session, members):
    """The PV produced (when it is not yet) and signed by every member present."""
    from juries.services.signing import minutes_to_sign

    if not minutes_to_sign(session).is_ready:
        produce_minutes(session)
    return [sign(session, m) for m in members if m.attendance == Attendance.PRESENT]
