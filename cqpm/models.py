"""The CQPM referential: national data, shared by every centre (not tenant-owned).

A ``Qualification`` (a CQPM) has versions; a dossier pins the version it was registered on.
A published version is immutable: editing starts a new draft (see ``cqpm.services``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.limits import TEXT_LONG, TEXT_REFERENTIAL, TEXT_SEARCH, BoundedTextField
from core.text import fold
from cqpm.errors import ReferentialError

NOT_YET_KNOWN = _("à renseigner")


def immutable_error(status: str) -> ReferentialError:
    """The error raised when something tries to change a published or archived version."""
    if status == ReferentialVersion.Status.ARCHIVED:
        message = _("version archivée immuable : créez un nouveau brouillon pour la modifier")
    else:
        message = _("version publiée immuable : créez un nouveau brouillon pour la modifier")
    return ReferentialError(message, code="published_immutable")


class Qualification(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    code = models.CharField(_("code CQPM"), max_length=40, blank=True)
    title = models.CharField(_("intitulé"), max_length=255)
    rncp_code = models.CharField(_("numéro de fiche RNCP"), max_length=20, blank=True)
    level = models.CharField(_("niveau (cadre national)"), max_length=20, blank=True)
    european_level = models.CharField(_("niveau européen (CEC)"), max_length=20, blank=True)
    rncp_registered = models.BooleanField(_("inscrit au RNCP"), default=False)
    registration_decision_date = models.DateField(
        _("date de la décision de France Compétences"), null=True, blank=True
    )
    certifier = models.CharField(_("certificateur"), max_length=200, blank=True)
    description = BoundedTextField(
        _("mission et activités visées"), blank=True, max_length=TEXT_REFERENTIAL
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("CQPM")
        verbose_name_plural = _("CQPM")

    def __str__(self):
        return self.title


class ReferentialVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publiée")
        ARCHIVED = "archived", _("Archivée")

    qualification = models.ForeignKey(
        Qualification, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    competence_credit_months = models.PositiveSmallIntegerField(
        _("validité d'une compétence acquise (mois)"), default=24
    )
    bloc_credit_months = models.PositiveSmallIntegerField(
        _("validité d'un bloc acquis (mois)"), default=60
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["qualification", "-number"]
        verbose_name = _("version de référentiel")
        verbose_name_plural = _("versions de référentiel")
        constraints = [
            models.UniqueConstraint(
                fields=["qualification", "number"], name="referential_version_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.qualification.title} — v{self.number}"

    def save(self, *args, **kwargs):
        # Model-level protection (the services are the first guard): once published, only the
        # status transitions (``status``, ``published_at``) may be saved; the content is frozen.
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and not (
            update_fields is not None and set(update_fields) <= _TRANSITION_FIELDS
        ):
            stored = (
                type(self).objects.filter(pk=self.pk).values("status", *_CONTENT_FIELDS).first()
            )
            if (
                stored
                and stored["status"] != self.Status.DRAFT
                and any(stored[f] != getattr(self, f) for f in _CONTENT_FIELDS)
            ):
                raise immutable_error(stored["status"])
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if stored is not None and stored != self.Status.DRAFT:
            raise immutable_error(stored)
        return super().delete(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


_TRANSITION_FIELDS = frozenset({"status", "published_at"})
_CONTENT_FIELDS = ("qualification_id", "number", "competence_credit_months", "bloc_credit_months")


class _VersionContent(models.Model):
    """Part of a version's content: refuses to be saved or deleted once it is published.

    One small query per save/delete; bulk writes (the loader) bypass it and guard themselves.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._guard_version()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._guard_version()
        return super().delete(*args, **kwargs)

    def _stored_version_status(self) -> str | None:
        return (
            ReferentialVersion.objects.filter(pk=self.version_id)
            .values_list("status", flat=True)
            .first()
        )

    def _guard_version(self) -> None:
        status = self._stored_version_status()
        if status is not None and status != ReferentialVersion.Status.DRAFT:
            raise immutable_error(status)


class EvaluationModality(_VersionContent):
    version = models.ForeignKey(
        ReferentialVersion, on_delete=models.CASCADE, related_name="modalities"
    )
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("libellé"), max_length=200)
    description = BoundedTextField(_("description"), blank=True, max_length=TEXT_REFERENTIAL)
    requires_report = models.BooleanField(_("rapport écrit à remettre"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("modalité d'évaluation")
        verbose_name_plural = _("modalités d'évaluation")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="modality_unique_code")
        ]

    def __str__(self):
        return self.label


class Bloc(_VersionContent):
    version = models.ForeignKey(ReferentialVersion, on_delete=models.CASCADE, related_name="blocs")
    code = models.CharField(_("code"), max_length=20)
    rncp_code = models.CharField(_("code RNCP du bloc"), max_length=30, blank=True)
    title = models.CharField(_("intitulé"), max_length=255)
    description = BoundedTextField(_("activité"), blank=True, max_length=TEXT_REFERENTIAL)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("bloc de compétences")
        verbose_name_plural = _("blocs de compétences")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="bloc_unique_code")]

    def __str__(self):
        return f"{self.code} — {self.title}"


class Competence(_VersionContent):
    version = models.ForeignKey(
        ReferentialVersion, on_delete=models.CASCADE, related_name="competences"
    )
    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="competences")
    code = models.CharField(_("code"), max_length=20)
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("intitulé"), max_length=255)
    short_title = models.CharField(_("intitulé du référentiel de compétences"), max_length=255)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "number"]
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="competence_unique_code"),
            models.UniqueConstraint(fields=["version", "number"], name="competence_unique_number"),
        ]

    def __str__(self):
        return f"{self.code} — {self.title}"


class _CompetenceItem(_VersionContent):
    text = BoundedTextField(_("texte"), max_length=TEXT_LONG)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["competence", "order"]

    def __str__(self):
        return self.text[:80]

    def _stored_version_status(self) -> str | None:
        return (
            Competence.objects.filter(pk=self.competence_id)
            .values_list("version__status", flat=True)
            .first()
        )


class Condition(_CompetenceItem):
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="conditions")

    class Meta(_CompetenceItem.Meta):
        verbose_name = _("condition de réalisation")
        verbose_name_plural = _("conditions de réalisation")


class Criterion(_CompetenceItem):
    class Category(models.TextChoices):
        METHODS = "methods", _("Méthodes utilisées")
        MEANS = "means", _("Moyens utilisés")
        RELATIONS = "relations", _("Liens professionnels / relationnels")
        CONSTRAINTS = (
            "constraints",
            _("Contraintes liées au milieu et à l'environnement de travail"),
        )

    class Conditional(models.TextChoices):
        HANDICAP = "handicap", _("En cas d'accueil de personnes en situation de handicap déclaré")

    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="criteria")
    category = models.CharField(_("rubrique"), max_length=12, choices=Category.choices)
    conditional = models.CharField(
        _("condition d'application"),
        max_length=12,
        choices=Conditional.choices,
        blank=True,
        help_text=_("Vide : le critère s'applique toujours."),
    )
    # Accent- and case-free copy of ``text`` for searching (see ``core.text.fold``).
    search_text = BoundedTextField(editable=False, default="", max_length=TEXT_SEARCH)

    class Meta(_CompetenceItem.Meta):
        verbose_name = _("critère observable")
        verbose_name_plural = _("critères observables")

    def save(self, *args, **kwargs):
        self.search_text = fold(self.text)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "text" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def is_conditional(self) -> bool:
        return bool(self.conditional)


class ExpectedResult(_CompetenceItem):
    competence = models.ForeignKey(
        Competence, on_delete=models.CASCADE, related_name="expected_results"
    )

    class Meta(_CompetenceItem.Meta):
        verbose_name = _("résultat attendu")
        verbose_name_plural = _("résultats attendus")


class Knowledge(_CompetenceItem):
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="knowledge")

    class Meta(_CompetenceItem.Meta):
        verbose_name = _("connaissance associée")
        verbose_name_plural = _("connaissances associées")
