"""Demo candidates and dossiers for ``seed_demo``: a few dozen per centre, spread over every
state and access route, with modalities, reports (some late), credits, a re-sit dossier and
accommodations. Idempotent: candidates are found by their natural key, and a candidate who
already has a dossier is left as it is. Every person is fictitious."""

import datetime
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from candidates import services
from candidates.importing import normalise
from candidates.models import AccessStatus, Candidate, DossierStatus, Sex, Target
from candidates.nir import nir_key
from centres.access import Actor
from centres.models import Centre, Company, Membership
from centres.roles import Capability, Role, capabilities_for
from cqpm.models import Qualification, ReferentialVersion

REFERENTIAL = Path(settings.BASE_DIR) / "cqpm" / "referentials" / "manager-secteur-activites.json"
PER_CENTRE = 32
S = DossierStatus
STATES = [
    S.DRAFT,
    S.SUBMITTED,
    S.AGREED,
    S.IN_EVALUATION,
    S.READY_FOR_JURY,
    S.DECIDED,
    S.CLOSED,
    S.WITHDRAWN,
]
ROUTES = [
    AccessStatus.EMPLOYEE,
    AccessStatus.PROFESSIONALISATION,
    AccessStatus.APPRENTICE,
    AccessStatus.JOBSEEKER,
    AccessStatus.VAE,
    AccessStatus.FREE,
]
LAST_NAMES = [
    "Arnaud",
    "Barbier",
    "Carpentier",
    "Dumas",
    "Étienne",
    "Fabre",
    "Gauthier",
    "Hubert",
    "Imbert",
    "Jacquet",
    "Klein",
    "Lacroix",
    "Marchand",
    "Noël",
    "Olivier",
    "Pichon",
    "Quentin",
    "Renaud",
    "Schmitt",
    "Tessier",
    "Vidal",
    "Weber",
    "Aubert",
    "Brun",
    "Colin",
    "Denis",
    "Fleury",
    "Gilles",
    "Huet",
    "Joly",
    "Leroy",
    "Masson",
]
FIRST_NAMES = [
    ("Amélie", Sex.FEMALE),
    ("Baptiste", Sex.MALE),
    ("Chloé", Sex.FEMALE),
    ("David", Sex.MALE),
    ("Emma", Sex.FEMALE),
    ("Florian", Sex.MALE),
    ("Gaëlle", Sex.FEMALE),
    ("Hugo", Sex.MALE),
    ("Inès", Sex.FEMALE),
    ("Jérôme", Sex.MALE),
    ("Karine", Sex.FEMALE),
    ("Loïc", Sex.MALE),
]
# (commune, department, INSEE commune code, INSEE country code): communes of the sample
# ``manage.py load_communes`` ships (candidates/data/communes-sample.json), one birth abroad.
COMMUNES = [
    ("Lyon", "69", "69123", "99100"),
    ("Grenoble", "38", "38185", "99100"),
    ("Saint-Étienne", "42", "42218", "99100"),
    ("Ajaccio", "2A", "2A004", "99100"),
    ("Bastia", "2B", "2B033", "99100"),
    ("Annecy", "74", "74010", "99100"),
    ("Valence", "26", "26362", "99100"),
    ("Chambéry", "73", "73065", "99100"),
    ("Casablanca", "", "", "99350"),
]
WITHDRAW_REASONS = [
    "Changement de poste dans l'entreprise",
    "Démission du candidat",
    "Raisons personnelles",
]
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _email(first_name, last_name, key):
    local = ".".join(normalise(part).replace(" ", "-") for part in (first_name, last_name, key))
    return f"{local}@demo.parchemin.invalid"


def _demo_nir(sex, birth_date, department, index):
    body = f"{1 if sex == Sex.MALE else 2}{birth_date:%y%m}{department}{100 + index:03d}{index:03d}"
    return f"{body}{nir_key(body):02d}"


def _qualification(summary):
    published = ReferentialVersion.objects.filter(status=ReferentialVersion.Status.PUBLISHED)
    if not published.exists():
        try:
            from cqpm.loader import load_referential, read_referential_file
        except ImportError:
            summary.append("Candidats : aucun référentiel publié et pas de chargeur : ignoré.")
            return None
        load_referential(read_referential_file(REFERENTIAL))
    version = published.select_related("qualification").order_by("-number").first()
    if version is None:
        summary.append("Candidats : le référentiel chargé n'est pas publié : ignoré.")
        return None
    return Qualification.objects.get(pk=version.qualification_id)


def _centres(context):
    centres = context.get("centres") or {}
    if centres:
        return list(centres.items())
    found = Centre.objects.filter(slug__in=["lyon", "grenoble"]).order_by("slug")
    return [(c.slug, c) for c in (found if found.exists() else Centre.objects.all())]


def _actor(context, key, centre):
    staff = ((context.get("roles") or {}).get(key) or {}).get(Role.STAFF) or []
    user = staff[0] if staff else None
    if user is None:
        membership = (
            Membership.objects.filter(centre=centre, role=Role.STAFF, is_active=True)
            .select_related("user")
            .first()
        )
        user = membership.user if membership else None
    capabilities = capabilities_for([Role.STAFF]) | {Capability.MANAGE_ACCOMMODATIONS}
    return Actor(
        user=user,
        centre=centre,
        roles=frozenset({Role.STAFF}),
        capabilities=frozenset(capabilities),
    )


def _advance(actor, dossier, state, index, today):
    version = dossier.referential_version
    real = version.modalities.get(code="real_work")
    report = version.modalities.get(code="project_presentation")
    if state == S.DRAFT and index % 3 == 0:
        return dossier  # a fresh draft, modalities still to choose
    deadline = today + datetime.timedelta(days=(-5 if index % 4 == 0 else 20 + index))
    assignments = {}
    for row in dossier.competences.select_related("competence"):
        uses_report = row.competence.number in (6, 7, 8) and index % 2 == 0
        assignments[row.competence_id] = (report, deadline) if uses_report else (real, None)
    services.set_modalities(dossier, assignments, actor=actor)
    if state == S.WITHDRAWN:
        return services.withdraw(
            dossier, actor=actor, reason=WITHDRAW_REASONS[index % len(WITHDRAW_REASONS)]
        )
    if state == S.DRAFT:
        return dossier
    services.submit(dossier, actor=actor)
    if state == S.SUBMITTED:
        return dossier
    services.agree(dossier, actor=actor)
    if index % 2 == 0:  # the report (late when its deadline has passed: index % 4 == 0)
        upload = SimpleUploadedFile(f"rapport-{dossier.candidate.birth_name}.pdf", DEMO_PDF)
        services.upload_document(dossier, actor=actor, uploaded_file=upload)
    if state == S.AGREED:
        return dossier
    services.mark_in_evaluation(dossier, actor=actor)
    if state == S.IN_EVALUATION:
        return dossier
    services.mark_ready_for_jury(dossier, actor=actor)
    if state == S.READY_FOR_JURY:
        return dossier
    services.mark_decided(dossier, actor=actor)
    jury_date = today - datetime.timedelta(days=45)
    # A partial result: the first bloc and one more competence are validated.
    bloc = version.blocs.order_by("order").first()
    if bloc and (dossier.target == Target.WHOLE or dossier.target_blocs.filter(pk=bloc.pk)):
        services.record_credit(actor=actor, dossier=dossier, jury_date=jury_date, bloc=bloc)
    rows = list(dossier.competences.select_related("competence").order_by("competence__number"))
    if rows:
        services.record_credit(
            actor=actor, dossier=dossier, jury_date=jury_date, competence=rows[-1].competence
        )
    if state == S.DECIDED:
        return dossier
    services.close(dossier, actor=actor)
    if index % 16 == 6:  # half of the closed dossiers get a re-sit
        services.open_resit_dossier(dossier, actor=actor)
    return dossier


def seed(context: dict) -> None:
    summary = context.setdefault("summary", [])
    qualification = _qualification(summary)
    if qualification is None:
        return
    call_command("load_communes", stdout=StringIO())  # the shipped sample and the countries
    today = timezone.localdate()
    created_candidates = context.setdefault("candidates", {})
    for key, centre in _centres(context):
        actor = _actor(context, key, centre)
        companies = list(
            (context.get("companies") or {}).get(key)
            or Company.objects.filter(centre=centre).order_by("name")
        )
        made = 0
        created_candidates[key] = []
        for index in range(PER_CENTRE):
            first_name, sex = FIRST_NAMES[index % len(FIRST_NAMES)]
            last_name = LAST_NAMES[index % len(LAST_NAMES)]
            commune, department, commune_code, country_code = COMMUNES[index % len(COMMUNES)]
            birth_date = datetime.date(1975 + index % 25, 1 + index % 12, 1 + (index * 7) % 28)
            route = ROUTES[index % len(ROUTES)]
            candidate = Candidate.objects.filter(
                centre=centre, birth_name=last_name, first_names=first_name, birth_date=birth_date
            ).first()
            if candidate is None:
                candidate = services.register_candidate(
                    actor=actor,
                    data={
                        "birth_name": last_name,
                        "usage_name": "",
                        "first_names": first_name,
                        "sex": sex,
                        "birth_date": birth_date,
                        "birth_commune": commune,
                        "birth_department": department,
                        "birth_commune_code": commune_code,
                        "birth_country_code": country_code,
                        "email": _email(first_name, last_name, key),
                        "phone": f"06 00 00 {index:02d} {len(key):02d}",
                        "address": f"{index + 1} rue de l'Industrie\n{commune}",
                        "access_status": route,
                    },
                    nir=_demo_nir(sex, birth_date, department or "99", index)
                    if index % 3 == 0
                    else "",
                    confirm_duplicate=True,
                )
                made += 1
            created_candidates[key].append(candidate)
            if candidate.dossiers.exists():
                continue
            has_company = route not in {AccessStatus.VAE, AccessStatus.FREE, AccessStatus.JOBSEEKER}
            company = companies[index % len(companies)] if has_company and companies else None
            blocs = []
            if qualification.rncp_registered and index % 5 == 4:
                version = services.latest_published_version(qualification)
                blocs = list(version.blocs.order_by("order")[:2])
            dossier = services.open_dossier(
                candidate,
                actor=actor,
                qualification=qualification,
                access_route=route,
                target=Target.BLOCS if blocs else Target.WHOLE,
                blocs=blocs,
                company=company,
                tutor_name="Tuteur " + company.name.split()[0] if company else "",
                manager_name="Responsable d'atelier" if company else "",
            )
            _advance(actor, dossier, STATES[index % len(STATES)], index, today)
            if index % 11 == 2:
                services.save_accommodation(
                    dossier,
                    actor=actor,
                    needs="Trouble de l'audition déclaré (certificat médical au dossier).",
                    to_apply="Questions écrites en complément de l'oral ; salle calme.",
                )
        summary.append(
            f"Candidats — {centre.name} : {made} inscrit(s) ; "
            f"{Candidate.objects.filter(centre=centre).count()} au total."
        )
