"""Writes on the national referential: the life cycle of a referential version.

draft --publish--> published --archive--> archived; editing a published (or archived) version
starts a new draft, a copy of it (``start_new_draft``). Only national administrators (GTP)
act here. Loading a file is ``cqpm.loader.load_referential``.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cqpm import audit
from cqpm.errors import ReferentialError
from cqpm.loader import content_of, export_referential, write_content
from cqpm.models import ReferentialVersion
from cqpm.selectors import is_national_admin
from cqpm.validation import ReferentialValidationError, validate_referential

Status = ReferentialVersion.Status


def _require_national_admin(user) -> None:
    if not is_national_admin(user):
        raise PermissionDenied(_("Réservé aux administrateurs nationaux."))


def _locked(version: ReferentialVersion) -> ReferentialVersion:
    return (
        ReferentialVersion.objects.select_for_update()
        .select_related("qualification")
        .get(pk=version.pk)
    )


def publish_version(version: ReferentialVersion, *, actor) -> ReferentialVersion:
    """Publish a draft once its content is complete; it is immutable from then on."""
    _require_national_admin(actor)
    with transaction.atomic():
        version = _locked(version)
        if version.status == Status.PUBLISHED:
            return version
        if version.status == Status.ARCHIVED:
            raise ReferentialError(
                _("Une version archivée ne peut pas être republiée : créez un nouveau brouillon."),
                code="invalid_transition",
            )
        try:  # the same rules as a loaded file: nothing incomplete gets published
            validate_referential(export_referential(version))
        except ReferentialValidationError as exc:
            raise ReferentialError(
                _("Brouillon incomplet, publication impossible.") + "\n" + "\n".join(exc.errors),
                code="incomplete_referential",
            ) from exc
        before = {"status": version.status}
        version.status = Status.PUBLISHED
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
        audit.record(
            actor,
            "referential.publish",
            version,
            before=before,
            after={"status": "published"},
        )
        return version


def archive_version(version: ReferentialVersion, *, actor, reason: str = ""):
    """Archive a published version: kept for the dossiers that pin it, no longer offered."""
    _require_national_admin(actor)
    with transaction.atomic():
        version = _locked(version)
        if version.status == Status.ARCHIVED:
            return version
        if version.status == Status.DRAFT:
            raise ReferentialError(
                _("Un brouillon ne s'archive pas : publiez-le ou supprimez-le."),
                code="invalid_transition",
            )
        version.status = Status.ARCHIVED
        version.save(update_fields=["status"])
        audit.record(
            actor,
            "referential.archive",
            version,
            before={"status": "published"},
            after={"status": "archived"},
            reason=reason,
        )
        return version


def start_new_draft(version: ReferentialVersion, *, actor) -> ReferentialVersion:
    """A new draft (next number) copying ``version``: how a published referential is edited.

    A CQPM has at most one draft at a time: when one exists, it is returned unchanged.
    """
    _require_national_admin(actor)
    with transaction.atomic():
        source = _locked(version)
        qualification = source.qualification
        # Lock the qualification row: two concurrent calls cannot both create a draft.
        type(qualification).objects.select_for_update().filter(pk=qualification.pk).first()
        existing = (
            ReferentialVersion.objects.filter(qualification=qualification, status=Status.DRAFT)
            .order_by("-number")
            .first()
        )
        if existing is not None:
            return existing
        content = content_of(export_referential(source))
        number = (
            ReferentialVersion.objects.filter(qualification=qualification).aggregate(
                n=Max("number")
            )["n"]
            + 1
        )
        draft = ReferentialVersion.objects.create(
            qualification=qualification,
            number=number,
            status=Status.DRAFT,
            competence_credit_months=source.competence_credit_months,
            bloc_credit_months=source.bloc_credit_months,
        )
        write_content(draft, content)
        audit.record(
            actor,
            "referential.start_draft",
            draft,
            after={"status": "draft", "copied_from": source.number},
        )
        return draft
