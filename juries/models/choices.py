from django.db import models
from django.utils.translation import gettext_lazy as _

from candidates.models.choices import Sex as _Sex


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planifiée")
    OPEN = "open", _("Séance ouverte")
    DELIBERATING = "deliberating", _("En délibération")
    CLOSED = "closed", _("Clôturée")


class College(models.TextChoices):
    EMPLOYER = "employer", _("Collège employeurs")
    EMPLOYEE = "employee", _("Collège salariés")


class Attendance(models.TextChoices):
    UNKNOWN = "unknown", _("À confirmer")
    PRESENT = "present", _("Présent")
    EXCUSED = "excused", _("Excusé")
    ABSENT = "absent", _("Absent")


# Women and men (VAE juries must be balanced): the same choices as the candidates'.
Sex = _Sex


class ConflictKind(models.TextChoices):
    COMPANY = "company", _("Même entreprise que le candidat")
    TRAINER = "trainer", _("Formateur ou tuteur du candidat")
    ACCOMPANIST = "accompanist", _("Accompagnateur du candidat (VAE)")
    PERSONAL = "personal", _("Lien personnel ou familial")


class ConflictSource(models.TextChoices):
    DETECTED = "detected", _("Détecté par la plateforme")
    DECLARED = "declared", _("Déclaré")


class VoteValue(models.TextChoices):
    ACQUIRED = "acquise", _("Acquise")
    NOT_ACQUIRED = "non_acquise", _("Non acquise")


class Outcome(models.TextChoices):
    AWARDED = "awarded", _("CQPM délivré")
    PARTIAL = "partial", _("Validation partielle")
    NOT_AWARDED = "not_awarded", _("Non délivré")
    ABSENT = "absent", _("Candidat absent")


class CompetenceSource(models.TextChoices):
    EVALUATED = "evaluated", _("Évaluée lors de cette session")
    CREDIT = "credit", _("Acquis antérieur encore valable")
    NOT_TARGETED = "not_targeted", _("Hors de l'objectif du dossier")


class LateInvitationReason(models.TextChoices):
    """Why the unions were invited less than 15 days before the session (printed on the PV)."""

    RESCHEDULED = "rescheduled", _("Séance reportée ou avancée")
    MEMBER_REPLACED = "member_replaced", _("Remplacement d'un membre empêché")
    LATE_DESIGNATION = "late_designation", _("Désignation tardive par une organisation")
    CANDIDATE_DEADLINE = "candidate_deadline", _("Échéance du parcours d'un candidat")
    OTHER = "other", _("Autre motif")
