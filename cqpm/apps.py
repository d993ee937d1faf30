from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CqpmConfig(AppConfig):
    name = "cqpm"
    verbose_name = _("Référentiels CQPM")

    def ready(self):
        from cqpm import models
        from cqpm.selectors import forget_competence_texts

        for model in (
            models.ReferentialVersion,
            models.Competence,
            models.Criterion,
            models.Condition,
            models.ExpectedResult,
        ):
            post_save.connect(
                forget_competence_texts, sender=model, dispatch_uid=f"texts-s-{model}"
            )
            post_delete.connect(
                forget_competence_texts, sender=model, dispatch_uid=f"texts-d-{model}"
            )
