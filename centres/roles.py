"""Roles and the named capabilities they carry (pretix teams).

A membership gives a user one role in one centre. What the role may do is a set of named
capabilities; views and services ask for a capability, never for a role name. Per-object
grants (this assessor on this evaluation, this juror on this jury session…) are held by
django-guardian on top of these capabilities.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CENTRE_ADMIN = "centre_admin", _("Administrateur du centre")
    STAFF = "staff", _("Chargé de certification")
    ASSESSOR = "assessor", _("Évaluateur")
    JUROR = "juror", _("Juré")
    COMPANY_REP = "company_rep", _("Représentant d'entreprise")


class Capability(models.TextChoices):
    VIEW_CENTRE = "view_centre", _("Voir les données du centre")
    MANAGE_USERS = "manage_users", _("Gérer les utilisateurs et les rôles")
    MANAGE_SETTINGS = "manage_settings", _("Gérer les réglages du centre")
    MANAGE_COMPANIES = "manage_companies", _("Gérer les entreprises")
    REGISTER_CANDIDATES = "register_candidates", _("Inscrire les candidats")
    MANAGE_ACCOMMODATIONS = "manage_accommodations", _("Organiser les aménagements (handicap)")
    SCHEDULE_EVALUATIONS = "schedule_evaluations", _("Planifier les évaluations")
    CONVENE_JURIES = "convene_juries", _("Convoquer les jurys")
    MANAGE_DOCUMENTS = "manage_documents", _("Produire les documents")
    EVALUATE = "evaluate", _("Évaluer les candidats")
    DELIBERATE = "deliberate", _("Délibérer en jury")
    GIVE_COMPANY_OPINION = "give_company_opinion", _("Donner l'avis de l'entreprise")
    VIEW_AUDIT_LOG = "view_audit_log", _("Consulter et exporter le journal d'audit")
    MANAGE_PERSONAL_DATA = (
        "manage_personal_data",
        _("Exporter et anonymiser les données personnelles des candidats"),
    )


_STAFF = {
    Capability.VIEW_CENTRE,
    Capability.MANAGE_COMPANIES,
    Capability.REGISTER_CANDIDATES,
    Capability.SCHEDULE_EVALUATIONS,
    Capability.CONVENE_JURIES,
    Capability.MANAGE_DOCUMENTS,
}

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.CENTRE_ADMIN: frozenset(
        _STAFF
        | {
            Capability.MANAGE_USERS,
            Capability.MANAGE_SETTINGS,
            Capability.MANAGE_ACCOMMODATIONS,
            Capability.VIEW_AUDIT_LOG,
            Capability.MANAGE_PERSONAL_DATA,
        }
    ),
    Role.STAFF: frozenset(_STAFF),
    Role.ASSESSOR: frozenset({Capability.EVALUATE}),
    Role.JUROR: frozenset({Capability.DELIBERATE}),
    Role.COMPANY_REP: frozenset({Capability.GIVE_COMPANY_OPINION}),
}


def capabilities_for(roles, *, handles_accommodations: bool = False) -> frozenset[str]:
    caps: set[str] = set()
    for role in roles:
        caps |= ROLE_CAPABILITIES.get(role, frozenset())
    if handles_accommodations and Role.STAFF in roles:
        caps.add(Capability.MANAGE_ACCOMMODATIONS)
    return frozenset(caps)
