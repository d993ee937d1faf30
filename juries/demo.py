"""Demo juries for ``seed_demo``: in each centre, a decided session (an awarded, a partial
and a not-awarded candidate; PV, parchemin, attestation and letters requested) and a
session open today, composed, its members present, ready to deliberate.

Idempotent: sessions are found by their label in their centre. The dossiers are those
"ready for jury" left by the earlier demos (the evaluations demo's, with signed grids and a
company avis, first); when there are too few, dossiers are registered and brought to that
state through the candidates' services. Every person is fictitious."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from candidates import services as candidates
from candidates.models import AccessStatus, Candidate, Dossier, DossierStatus, Sex
from centres.models import Centre, Company, Membership
from centres.roles import Role
from cqpm.models import Qualification, ReferentialVersion
from documents.models import CertificateRecord

from . import paperwork, services
from .models import Attendance, College, Decision, JurySession, SessionStatus, VoteValue
from .services.common import actor_in

LABEL_DECIDED = "Démonstration — jury délibéré"
LABEL_OPEN = "Démonstration — jury à délibérer"
ORGANISATIONS = {
    College.EMPLOYER: ["UIMM territoriale", "UIMM territoriale"],
    College.EMPLOYEE: ["CFDT Métallurgie", "FO Métaux"],
}
SEXES = [Sex.MALE, Sex.FEMALE, Sex.MALE, Sex.FEMALE]  # the demo jurors, in order
EXTRA = [
    ("Ménard", "Lucie", Sex.FEMALE),
    ("Perrot", "Hugo", Sex.MALE),
    ("Roche", "Inès", Sex.FEMALE),
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


def _eligible(centre, qualification, count, *, prefer_grids):
    """Dossiers ready for the jury, not on any agenda yet; those with signed grids (from the
    evaluations demo) first or last."""
    dossiers = (
        Dossier.objects.filter(
            centre=centre,
            status=DossierStatus.READY_FOR_JURY,
            referential_version__qualification=qualification,
            jury_items__isnull=True,
        )
        .exclude(access_route=AccessStatus.VAE)
        .select_related("candidate")
        .distinct()
    )
    with_grids = list(dossiers.filter(grids__status="signed").distinct().order_by("id"))
    others = [d for d in dossiers.order_by("id") if d not in with_grids]
    ordered = with_grids + others if prefer_grids else others + with_grids
    return ordered[:count]


def _make_ready(actor, centre, qualification, count, offset):
    """Register candidates and bring their dossiers to "ready for jury"."""
    company = Company.objects.filter(centre=centre).order_by("name").first()
    made = []
    for index in range(count):
        last, first, sex = EXTRA[(offset + index) % len(EXTRA)]
        birth_date = datetime.date(1985 + index, 3, 10 + index)
        candidate = Candidate.objects.filter(
            centre=centre, birth_name=last, first_names=first, birth_date=birth_date
        ).first() or candidates.register_candidate(
            actor,
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
        dossier = candidates.open_dossier(
            actor,
            candidate,
            qualification=qualification,
            access_route=AccessStatus.EMPLOYEE,
            company=company,
            tutor_name="Tuteur de démonstration",
        )
        real = dossier.referential_version.modalities.get(code="real_work")
        candidates.set_modalities(
            actor, dossier, {row.competence_id: (real, None) for row in dossier.competences.all()}
        )
        for step in (candidates.submit, candidates.agree):
            step(actor, dossier)
        candidates.mark_in_evaluation(actor, dossier)
        made.append(candidates.mark_ready_for_jury(actor, dossier))
    return made


def _dossiers(actor, centre, qualification, count, *, prefer_grids, offset=0):
    found = _eligible(centre, qualification, count, prefer_grids=prefer_grids)
    if len(found) < count:
        found += _make_ready(actor, centre, qualification, count - len(found), offset)
    return found


def _compose(session, staff, employers, employees, *, sent_at):
    members = []
    for college, users in ((College.EMPLOYER, employers), (College.EMPLOYEE, employees)):
        for index, user in enumerate(users):
            members.append(
                services.add_member(
                    session,
                    user,
                    acting_user=staff,
                    college=college,
                    organisation=ORGANISATIONS[college][index % 2],
                    sex=SEXES[len(members) % len(SEXES)],
                    qualified_for_certification=college == College.EMPLOYER and index == 0,
                )
            )
    services.set_president(members[0], acting_user=staff)
    services.record_invitations(session, acting_user=staff, sent_at=sent_at, notify=False)
    return members


def _at(days, hour):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


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
    actor = actor_in(staff, centre)
    starts_at = _at(-45, 14)
    session = services.create_session(
        centre,
        acting_user=staff,
        qualification=qualification,
        label=LABEL_DECIDED,
        starts_at=starts_at,
        place=f"Salle du conseil — {centre.city or centre.name}",
    )
    members = _compose(
        session, staff, employers, employees, sent_at=starts_at - datetime.timedelta(days=21)
    )
    dossiers = _dossiers(actor, centre, qualification, 3, prefer_grids=False)
    items = [services.add_to_agenda(session, d, acting_user=staff) for d in dossiers]
    services.open_session(session, acting_user=staff)
    for member in members:
        services.set_attendance(member, Attendance.PRESENT, acting_user=staff)
    services.start_deliberation(session, acting_user=staff)
    plans = [
        lambda code: VoteValue.ACQUIRED,  # awarded
        lambda code: VoteValue.NOT_ACQUIRED if code in {"C7", "C8"} else VoteValue.ACQUIRED,
        lambda code: VoteValue.NOT_ACQUIRED,  # not awarded
    ]
    for item, plan in zip(items, plans, strict=True):
        services.record_regularity(item, regular=True, acting_user=staff)
        for row in item.dossier.competences.select_related("competence"):
            for number, member in enumerate(members):
                value = plan(row.competence.code)
                if row.competence.code == "C5" and number == 3:
                    value = VoteValue.NOT_ACQUIRED  # a dissenting vote, outvoted
                services.cast_vote(item, row.competence, value, acting_user=member.user)
    services.close_session(
        session,
        acting_user=staff,
        observations="Le jury a examiné les trois dossiers inscrits ; aucune observation.",
    )
    for member in members:
        services.sign_minutes(session, acting_user=member.user, ip="127.0.0.1")
    return session


def _open(context, key, centre, qualification, staff, employers, employees):
    if JurySession.objects.filter(centre=centre, label=LABEL_OPEN).exists():
        return None
    actor = actor_in(staff, centre)
    starts_at = _at(0, 14)
    session = services.create_session(
        centre,
        acting_user=staff,
        qualification=qualification,
        label=LABEL_OPEN,
        starts_at=starts_at,
        place=f"Centre de certification — {centre.city or centre.name}",
    )
    members = _compose(
        session, staff, employers, employees, sent_at=starts_at - datetime.timedelta(days=18)
    )
    for dossier in _dossiers(actor, centre, qualification, 2, prefer_grids=True, offset=1):
        services.add_to_agenda(session, dossier, acting_user=staff)
    services.open_session(session, acting_user=staff)
    for member in members:
        services.set_attendance(member, Attendance.PRESENT, acting_user=staff)
    return session


def seed(context: dict) -> None:
    summary = context.setdefault("summary", [])
    qualification = _qualification()
    if qualification is None:
        summary.append("Jurys : aucun référentiel publié : rien créé.")
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
                f"Jurys — {centre.name} : une séance délibérée (CQPM délivré, validation "
                "partielle, non délivré) et une séance ouverte aujourd'hui, prête à délibérer."
            )
