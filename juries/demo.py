"""Demo juries for ``seed_demo``: in each centre, a session decided earlier today (an
awarded, a partial and a not-awarded candidate; PV, parchemin, attestation and letters
requested) and a session open today, composed, its members present, ready to deliberate.
The decided session's PV is produced during the seed and signed by its members (the seed
stands for their re-authentication), which issues the parchemin, the attestation and the
letters.

Both are dated today and run through the services at the real moment: a session cannot be
dated in the past nor opened before its day, and its documents and credits carry the day it
really deliberated (today), after the commissions' grids and avis (signed weeks before).

Idempotent: sessions are found by their label in their centre. Every dossier put on an
agenda went through the real path: registered and validated through the candidates'
services, then evaluated through the evaluations' services (a commission of the centre's
assessors, conflict declarations signed, every criterion scored, proposals made, grids
signed by both assessors, the company avis signed or recorded as not obtained), so that
the evaluations' readiness rule made it "ready for jury" (``evaluations.demo.
evaluate_for_jury``). The jury's votes follow the commission's proposals. Every person is
fictitious."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from candidates import services as candidates
from candidates.models import AccessStatus, Candidate, Dossier, DossierStatus, Sex
from centres.models import Centre, Company, Membership
from centres.roles import Role
from cqpm.mentions import blocking_mentions, describe
from cqpm.models import Qualification, ReferentialVersion
from documents.models import CertificateRecord
from documents.tasks import render_now
from evaluations import demo as evaluations_demo
from evaluations.models import Grid, GridStatus, Proposal
from juries import paperwork, services
from juries.models import Attendance, College, Decision, JurySession, SessionStatus, VoteValue
from juries.services.common import actor_in
from juries.services.signing import minutes_to_sign

LABEL_DECIDED = "Démonstration — jury délibéré"
LABEL_OPEN = "Démonstration — jury à délibérer"
# The representative unions an employee juror sits for: one employee member per union
# (issue 15); the first convocation registers the demo juror's standing record with it.
UNIONS = ["CFDT Métallurgie", "FO Métaux", "CFE-CGC Métallurgie", "FTM-CGT", "CFTC Métallurgie"]
SEXES = [Sex.MALE, Sex.FEMALE, Sex.MALE, Sex.FEMALE]  # the demo jurors, in order
EVALUATION_DECIDED = "Démonstration — commission avant le jury délibéré"
EVALUATION_OPEN = "Démonstration — commission avant le jury du jour"
EVERY = "*"  # every competence of the dossier
# (candidate, competences the commission proposes "non acquise", the company's avis on
# the competences where it is not "favourable" — None: the avis could not be obtained)
DECIDED_PLANS = [
    (("Ménard", "Lucie", Sex.FEMALE), set(), {}),  # awarded
    (("Fabre", "Julien", Sex.MALE), {"C7", "C8"}, {"C7": "reserved", "C8": "reserved"}),
    (("Colin", "Sarah", Sex.FEMALE), EVERY, None),  # not awarded
]
OPEN_PLANS = [  # the avis disagrees with the commission on C4 and C6
    (("Perrot", "Hugo", Sex.MALE), set(), {"C4": "unfavourable", "C6": "reserved"}),
    (("Roche", "Inès", Sex.FEMALE), {"C8"}, None),
]


def _people(context, key, centre, role):
    from_context = ((context.get("roles") or {}).get(key) or {}).get(role)
    if from_context:
        return list(from_context)
    return [
        m.user
        for m in Membership.objects.filter(centre=centre, role=role, is_active=True)
        .select_related("user")
        .order_by("id")
    ]


def _centres(context):
    centres = context.get("centres") or {}
    if centres:
        return list(centres.items())
    return [(c.slug, c) for c in Centre.objects.order_by("name")]


def _qualification():
    version = (
        ReferentialVersion.objects.filter(status=ReferentialVersion.Status.PUBLISHED)
        .select_related("qualification")
        .order_by("qualification__title", "-number")
        .first()
    )
    return Qualification.objects.get(pk=version.qualification_id) if version else None


def _agreed(actor, centre, qualification, people):
    """Register the candidates and open their dossiers (company, every competence assessed
    in real work), validated by the centre: ready to be evaluated."""
    company = Company.objects.filter(centre=centre).order_by("name").first()
    made = []
    for index, (last, first, sex) in enumerate(people):
        birth_date = datetime.date(1984 + index, 3, 10 + index)
        candidate = Candidate.objects.filter(
            centre=centre, birth_name=last, first_names=first, birth_date=birth_date
        ).first() or candidates.register_candidate(
            actor=actor,
            data={
                "birth_name": last,
                "usage_name": "",
                "first_names": first,
                "sex": sex,
                "birth_date": birth_date,
                "birth_commune": centre.city or "Lyon",
                "birth_department": "69",
                "birth_country": "France",
                "email": f"{slugify(first)}.{slugify(last)}@demo.parchemin.invalid",
                "phone": "",
                "address": f"{index + 3} rue des Forges\n{centre.city or 'Lyon'}",
                "access_status": AccessStatus.EMPLOYEE,
            },
            confirm_duplicate=True,
        )
        dossier = Dossier.objects.filter(
            candidate=candidate, referential_version__qualification=qualification
        ).first() or candidates.open_dossier(
            candidate,
            actor=actor,
            qualification=qualification,
            access_route=AccessStatus.EMPLOYEE,
            company=company,
            tutor_name="Tuteur de démonstration",
        )
        if dossier.status == DossierStatus.DRAFT:
            real = dossier.referential_version.modalities.get(code="real_work")
            candidates.set_modalities(
                dossier,
                {row.competence_id: (real, None) for row in dossier.competences.all()},
                actor=actor,
            )
            candidates.submit(dossier, actor=actor)
            dossier.refresh_from_db()
        if dossier.status == DossierStatus.SUBMITTED:
            candidates.agree(dossier, actor=actor)
            dossier.refresh_from_db()
        made.append(dossier)
    return made


def _codes(dossier) -> set[str]:
    return set(dossier.competences.values_list("competence__code", flat=True))


def _ready(context, key, centre, qualification, staff, label, days, plans):
    """The dossiers of ``plans`` (``[(person, not_acquired, avis)]``), evaluated by a
    commission of the centre's assessors ``days`` days from today and so ready for the jury
    (see ``evaluations.demo.evaluate_for_jury``); None when the centre has too few
    assessors."""
    assessors = _people(context, key, centre, Role.ASSESSOR)
    if len(assessors) < max(2, centre.commission_min_assessors):
        context.setdefault("summary", []).append(
            f"Jurys — {centre.name} : moins de deux évaluateurs, aucun dossier évalué pour le jury."
        )
        return None
    actor = actor_in(staff, centre)
    dossiers = _agreed(actor, centre, qualification, [person for person, _n, _a in plans])
    evaluations_demo.evaluate_for_jury(
        context,
        centre,
        staff=staff,
        assessors=assessors,
        label=label,
        starts_at=_at(days, 9),
        plans=[
            (dossier, _codes(dossier) if not_acquired == EVERY else not_acquired, avis)
            for dossier, (_p, not_acquired, avis) in zip(dossiers, plans, strict=True)
        ],
    )
    ready = list(
        Dossier.objects.filter(
            pk__in=[d.pk for d in dossiers], status=DossierStatus.READY_FOR_JURY
        ).select_related("candidate")
    )
    ready.sort(key=lambda d: [x.pk for x in dossiers].index(d.pk))
    return ready if len(ready) == len(dossiers) else None


def _compose(session, staff, employers, employees, *, sent_at):
    members = []
    for college, users in ((College.EMPLOYER, employers), (College.EMPLOYEE, employees)):
        for index, user in enumerate(users):
            members.append(
                services.add_member(
                    session,
                    user,
                    actor=staff,
                    college=college,
                    organisation=UNIONS[index % len(UNIONS)] if college == College.EMPLOYEE else "",
                    sex=SEXES[len(members) % len(SEXES)],
                    qualified_for_certification=college == College.EMPLOYER and index == 0,
                )
            )
    services.set_president(members[0], actor=staff)
    services.record_invitations(session, actor=staff, sent_at=sent_at, notify=False)
    return members


def _at(days, hour):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _today(hours_ago=0):
    """A start time today, ``hours_ago`` hours before now (not before midnight), on a
    five-minute mark: a session that may open right away."""
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    moment = max(now - datetime.timedelta(hours=hours_ago), midnight)
    return moment.replace(minute=moment.minute - moment.minute % 5, second=0, microsecond=0)


def _hand_over_documents(context, centre, session, staff) -> None:
    """Tell ``documents.demo`` that this centre's documents come from a real jury (its
    batch is already requested), and print where the certificates can be verified."""
    context.setdefault("document_batches", []).append(
        (centre, paperwork.batch_label(session), [], staff)
    )
    summary = context.setdefault("summary", [])
    for record in CertificateRecord.objects.filter(
        centre=centre,
        subject_type="juries.decision",
        subject_id__in=[
            str(pk)
            for pk in Decision.objects.filter(item__session=session).values_list("pk", flat=True)
        ],
    ).order_by("number"):
        summary.append(
            f"  {centre.name} · {record.get_kind_display()} {record.number} : "
            f"{settings.SITE_URL}/verifier/{record.display_code}/"
        )


def _decided(context, key, centre, qualification, staff, employers, employees):
    if JurySession.objects.filter(centre=centre, label=LABEL_DECIDED).exists():
        return None
    dossiers = _ready(
        context, key, centre, qualification, staff, EVALUATION_DECIDED, -60, DECIDED_PLANS
    )
    if dossiers is None:
        return None
    starts_at = _today(hours_ago=2)
    session = services.create_session(
        centre,
        actor=staff,
        qualification=qualification,
        label=LABEL_DECIDED,
        starts_at=starts_at,
        place="Salle du conseil",
        town=centre.city,
    )
    members = _compose(
        session, staff, employers, employees, sent_at=starts_at - datetime.timedelta(days=21)
    )
    items = [services.add_to_agenda(session, d, actor=staff) for d in dossiers]
    services.open_session(session, actor=staff)
    for member in members:
        services.set_attendance(member, Attendance.PRESENT, actor=staff)
    services.start_deliberation(session, actor=staff)
    for item in items:  # awarded, partial (C7 and C8 not acquired), not awarded
        services.record_regularity(item, regular=True, actor=staff)
        proposals = dict(
            Grid.objects.filter(dossier=item.dossier, status=GridStatus.SIGNED).values_list(
                "competence_id", "proposal"
            )
        )
        for row in item.dossier.competences.select_related("competence"):
            acquired = proposals.get(row.competence_id) == Proposal.ACQUIRED
            for number, member in enumerate(members):  # the jury follows the commission
                value = VoteValue.ACQUIRED if acquired else VoteValue.NOT_ACQUIRED
                if row.competence.code == "C5" and number == 3:
                    value = VoteValue.NOT_ACQUIRED  # a dissenting vote, outvoted
                services.cast_vote(item, row.competence, value, actor=member.user)
    services.close_session(
        session,
        actor=staff,
        observations="Le jury a examiné les trois dossiers inscrits ; aucune observation.",
    )
    _sign_minutes(session, members)
    return session


def _sign_minutes(session, members) -> None:
    """The PV is produced now (the seed runs in one transaction, the render queue would only
    see it after the commit), then each member present signs it through the service. The
    seed stands for their re-authentication (``reauthenticated_by_seed``): there is no
    password to type; the pages and the API always ask for it."""
    minutes = minutes_to_sign(session)
    if minutes is not None and not minutes.is_ready:
        render_now(minutes.pk)
    for member in members:
        services.sign_minutes(
            session, actor=member.user, ip="127.0.0.1", reauthenticated_by_seed=True
        )


def _open(context, key, centre, qualification, staff, employers, employees):
    if JurySession.objects.filter(centre=centre, label=LABEL_OPEN).exists():
        return None
    dossiers = _ready(context, key, centre, qualification, staff, EVALUATION_OPEN, -12, OPEN_PLANS)
    if dossiers is None:
        return None
    starts_at = _today()
    session = services.create_session(
        centre,
        actor=staff,
        qualification=qualification,
        label=LABEL_OPEN,
        starts_at=starts_at,
        place="Centre de certification",
        town=centre.city,
    )
    members = _compose(
        session, staff, employers, employees, sent_at=starts_at - datetime.timedelta(days=18)
    )
    for dossier in dossiers:
        services.add_to_agenda(session, dossier, actor=staff)
    services.open_session(session, actor=staff)
    for member in members:
        services.set_attendance(member, Attendance.PRESENT, actor=staff)
    return session


def seed(context: dict) -> None:
    summary = context.setdefault("summary", [])
    qualification = _qualification()
    if qualification is None:
        summary.append("Jurys : aucun référentiel publié : rien créé.")
        return
    missing = blocking_mentions(qualification)
    if missing:  # production settings (DOCUMENTS_SPECIMEN off): nothing could be issued
        summary.append(f"Jurys : mentions du CQPM à renseigner ({describe(missing)}) : rien créé.")
        return
    for key, centre in _centres(context):
        staff = _people(context, key, centre, Role.STAFF)
        jurors = (context.get("jurors") or {}).get(key) or {}
        employers = list(jurors.get("employer") or [])
        employees = list(jurors.get("employee") or [])
        if not (employers and employees):
            found = _people(context, key, centre, Role.JUROR)
            half = len(found) // 2
            employers, employees = found[:half], found[half : half * 2]
        if not staff or not employers or len(employers) != len(employees):
            summary.append(f"Jurys — {centre.name} : pas de jurés en nombre pair, rien créé.")
            continue
        if centre.jury_quorum > len(employers) * 2:
            summary.append(
                f"Jurys — {centre.name} : quorum ({centre.jury_quorum}) supérieur au nombre de "
                "jurés, rien créé."
            )
            continue
        decided = _decided(context, key, centre, qualification, staff[0], employers, employees)
        opened = _open(context, key, centre, qualification, staff[0], employers, employees)
        existing = JurySession.objects.filter(
            centre=centre, label=LABEL_DECIDED, status=SessionStatus.CLOSED
        ).first()
        if existing is not None:
            _hand_over_documents(context, centre, existing, staff[0])
        if decided or opened:
            summary.append(
                f"Jurys — {centre.name} : une séance délibérée ce jour (CQPM délivré, "
                "validation partielle, non délivré) et une séance ouverte aujourd'hui, prête "
                "à délibérer."
            )
