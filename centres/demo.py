"""Demo data of the tenancy app: two centres, their people and companies.

Idempotent: everything is found or created by natural key (centre slug, username, company
name within its centre); passwords are set only when an account is created, so a password
changed during a demo survives a re-run. The people and companies are fictitious: no SIRET
or official code is invented (those fields stay empty).

What later ``<app>.demo`` modules find in ``context``:

- ``centres``: ``{"lyon": Centre, "grenoble": Centre}``
- ``users``: ``{username: User}`` (``national.admin`` included)
- ``roles``: ``{"lyon": {"centre_admin": [User], "staff": [...], "assessor": [...],
  "juror": [...], "company_rep": [...]}, "grenoble": {...}}``
- ``jurors``: ``{"lyon": {"employer": [User, User], "employee": [User, User]}, ...}``
  (the college is not stored yet: the juries app will)
- ``companies``: ``{"lyon": [Company, Company], "grenoble": [...]}``, and
  ``representatives``: ``{company.pk: User}``
- ``password``: the shared demo password; ``summary``: lines printed by ``seed_demo``;
  ``logins``: the table of the demo accounts, which ``seed_demo`` prints last.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from centres.models import Centre, Company, Membership
from centres.roles import Role

DEMO_PASSWORD = "parchemin-demo"  # noqa: S105 - documented demo password, DEBUG only
EMAIL_DOMAIN = "demo.parchemin.invalid"

CENTRES = [
    {
        "key": "lyon",
        "name": "UIMM Auvergne-Rhône-Alpes — Centre de Lyon",
        "region": "Auvergne-Rhône-Alpes",
        "city": "Lyon",
        "companies": [
            (
                "Mécanique de Précision du Rhône",
                "Vénissieux",
                "Vénissieux — atelier d'usinage\nCorbas — logistique",
            ),
            ("Chaudronnerie Lyonnaise Industrie", "Saint-Priest", "Saint-Priest"),
        ],
        "people": {
            Role.CENTRE_ADMIN: [("admin.lyon", "Claire", "Martin")],
            Role.STAFF: [("staff1.lyon", "Julien", "Bernard"), ("staff2.lyon", "Sophie", "Petit")],
            Role.ASSESSOR: [
                ("assessor1.lyon", "Marc", "Durand"),
                ("assessor2.lyon", "Nadia", "Lefèvre"),
                ("assessor.shared", "Thierry", "Moreau"),
            ],
            Role.JUROR: [
                ("juror1.lyon", "Patrick", "Girard"),
                ("juror2.lyon", "Isabelle", "Roux"),
                ("juror3.lyon", "Karim", "Benali"),
                ("juror4.lyon", "Valérie", "Fontaine"),
            ],
            Role.COMPANY_REP: [
                ("rep1.lyon", "Éric", "Garnier"),
                ("rep2.lyon", "Laura", "Chevalier"),
            ],
        },
    },
    {
        "key": "grenoble",
        "name": "UIMM Auvergne-Rhône-Alpes — Centre de Grenoble",
        "region": "Auvergne-Rhône-Alpes",
        "city": "Grenoble",
        "companies": [
            ("Alpes Usinage Services", "Voiron", "Voiron"),
            ("Électromécanique du Grésivaudan", "Crolles", "Crolles\nMontbonnot-Saint-Martin"),
        ],
        "people": {
            Role.CENTRE_ADMIN: [("admin.grenoble", "Hélène", "Perrin")],
            Role.STAFF: [
                ("staff1.grenoble", "Antoine", "Robin"),
                ("staff2.grenoble", "Camille", "Faure"),
            ],
            Role.ASSESSOR: [
                ("assessor1.grenoble", "Olivier", "Blanc"),
                ("assessor2.grenoble", "Mélanie", "Guérin"),
                ("assessor.shared", "Thierry", "Moreau"),
            ],
            Role.JUROR: [
                ("juror1.grenoble", "Bruno", "Muller"),
                ("juror2.grenoble", "Sandrine", "Henry"),
                ("juror3.grenoble", "Yannick", "Rousseau"),
                ("juror4.grenoble", "Fatima", "Haddad"),
            ],
            Role.COMPANY_REP: [
                ("rep1.grenoble", "Stéphane", "Mercier"),
                ("rep2.grenoble", "Aurélie", "Lambert"),
            ],
        },
    },
]

NATIONAL_ADMIN = ("national.admin", "Gérard", "Lemoine")


def _user(username, first_name, last_name, password_hash, **extra):
    user, _created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@{EMAIL_DOMAIN}",
            "password": password_hash,
            **extra,
        },
    )
    return user


def _membership(user, centre, role, *, company=None, handles_accommodations=False):
    membership, _created = Membership.objects.get_or_create(
        user=user,
        centre=centre,
        role=role,
        defaults={"company": company, "handles_accommodations": handles_accommodations},
    )
    return membership


def seed(context: dict) -> None:
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: fast, and set on creation only
    context.setdefault("summary", [])
    centres = context.setdefault("centres", {})
    users = context.setdefault("users", {})
    roles = context.setdefault("roles", {})
    jurors = context.setdefault("jurors", {})
    companies = context.setdefault("companies", {})
    representatives = context.setdefault("representatives", {})
    context["password"] = DEMO_PASSWORD
    table: list[tuple[str, str, str, str]] = []

    for spec in CENTRES:
        key = spec["key"]
        centre, _created = Centre.objects.get_or_create(
            slug=key,
            defaults={"name": spec["name"], "region": spec["region"], "city": spec["city"]},
        )
        centres[key] = centre
        companies[key] = [
            Company.objects.get_or_create(
                centre=centre, name=name, defaults={"city": city, "sites": sites}
            )[0]
            for name, city, sites in spec["companies"]
        ]
        roles[key] = {}
        for role, people in spec["people"].items():
            roles[key][role] = []
            for index, (username, first_name, last_name) in enumerate(people):
                user = _user(username, first_name, last_name, password_hash)
                users[username] = user
                company = companies[key][index] if role == Role.COMPANY_REP else None
                _membership(
                    user,
                    centre,
                    role,
                    company=company,
                    handles_accommodations=role == Role.STAFF and index == 0,
                )
                roles[key][role].append(user)
                if company is not None:
                    representatives[company.pk] = user
                label = Role(role).label
                if role == Role.STAFF and index == 0:
                    label += " (aménagements)"
                if role == Role.JUROR:
                    label += " — collège " + ("employeurs" if index < 2 else "salariés")
                if role == Role.COMPANY_REP:
                    label += f" — {company.name}"
                if username == "assessor.shared":
                    label += " (aussi dans l'autre centre)"
                table.append((centre.name, label, username, f"{first_name} {last_name}"))
        juror_list = roles[key][Role.JUROR]
        jurors[key] = {"employer": juror_list[:2], "employee": juror_list[2:]}

    username, first_name, last_name = NATIONAL_ADMIN
    national = _user(
        username, first_name, last_name, password_hash, is_national_admin=True, is_staff=True
    )
    users[username] = national
    table.append(("—", "Administrateur national (GTP)", username, f"{first_name} {last_name}"))

    # Printed last by seed_demo, right above the address to open.
    summary = context.setdefault("logins", [])
    summary.append(f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD})")
    width = max(len(label) for _centre, label, _u, _n in table)
    current = None
    for centre_name, label, login, name in table:
        if centre_name != current:
            summary.append(f"  {centre_name}")
            current = centre_name
        summary.append(f"    {label:<{width}}  {login:<20}  {name}")
