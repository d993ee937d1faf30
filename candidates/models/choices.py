from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "F", _("Femme")
    MALE = "M", _("Homme")


class AccessStatus(models.TextChoices):
    """The candidate's status, which is also the access route of a dossier."""

    EMPLOYEE = "salarie", _("Salarié (formation continue)")
    JOBSEEKER = "demandeur_emploi", _("Demandeur d'emploi")
    APPRENTICE = "apprenti", _("Apprenti")
    PROFESSIONALISATION = "contrat_pro", _("Contrat de professionnalisation")
    VAE = "vae", _("VAE")
    FREE = "candidat_libre", _("Candidat libre")


# Routes without a company (no tutor, no manager, no company opinion).
ROUTES_WITHOUT_COMPANY = frozenset({AccessStatus.VAE, AccessStatus.FREE})


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Soumis")
    AGREED = "agreed", _("Modalités validées")
    IN_EVALUATION = "in_evaluation", _("En évaluation")
    READY_FOR_JURY = "ready_for_jury", _("Prêt pour le jury")
    DECIDED = "decided", _("Décidé")
    CLOSED = "closed", _("Clos")
    WITHDRAWN = "withdrawn", _("Abandonné")


OPEN_STATUSES = frozenset(
    {
        DossierStatus.DRAFT,
        DossierStatus.SUBMITTED,
        DossierStatus.AGREED,
        DossierStatus.IN_EVALUATION,
        DossierStatus.READY_FOR_JURY,
    }
)
# Editable target, company and modalities: before the centre agrees them.
EDITABLE_STATUSES = frozenset({DossierStatus.DRAFT, DossierStatus.SUBMITTED})


class Target(models.TextChoices):
    WHOLE = "whole", _("Le CQPM complet")
    BLOCS = "blocs", _("Des blocs de compétences")


class DocumentKind(models.TextChoices):
    REPORT = "report", _("Rapport")
    EVIDENCE = "evidence", _("Élément de preuve")
    OTHER = "other", _("Autre")
