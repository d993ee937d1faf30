from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionModality(models.TextChoices):
    """The referential's modalities (codes of ``cqpm.EvaluationModality``)."""

    REAL_WORK = "real_work", _("Évaluation en situation professionnelle réelle")
    PROJECT_PRESENTATION = (
        "project_presentation",
        _("Présentation de projets ou activités réalisés en milieu professionnel"),
    )


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planifiée")
    IN_PROGRESS = "in_progress", _("En cours")
    CLOSED = "closed", _("Clôturée")


class LinkKind(models.TextChoices):
    """What an assessor declares about their link with the candidate."""

    NONE = "none", _("Aucun lien")
    COMPANY = "company", _("Même entreprise ou lien professionnel")
    TRAINER = "trainer", _("Formateur ou tuteur du candidat")
    ACCOMPANIST = "accompanist", _("Accompagnateur du candidat (VAE)")
    PERSONAL = "personal", _("Lien personnel ou familial")


class GridStatus(models.TextChoices):
    OPEN = "open", _("À compléter")
    SIGNED = "signed", _("Signée")
    REOPENED = "reopened", _("Rouverte")


class Proposal(models.TextChoices):
    ACQUIRED = "acquise", _("Acquise")
    NOT_ACQUIRED = "non_acquise", _("Non acquise")


class ScoreState(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfait")
    NOT_SATISFIED = "not_satisfied", _("Non satisfait")
    NOT_APPLICABLE = "not_applicable", _("Non applicable")


class OpinionStatus(models.TextChoices):
    DRAFT = "draft", _("En cours de saisie")
    SIGNED = "signed", _("Signé")
    UNAVAILABLE = "unavailable", _("Non obtenu")


class OpinionValue(models.TextChoices):
    FAVOURABLE = "favourable", _("Favorable")
    RESERVED = "reserved", _("Réservé")
    UNFAVOURABLE = "unfavourable", _("Défavorable")


class AuthorCapacity(models.TextChoices):
    TUTOR = "tutor", _("Tuteur")
    MANAGER = "manager", _("Responsable hiérarchique")
