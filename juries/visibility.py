"""Which generated documents a juror may open: the PV of the sessions they sat in."""

from django.db.models import Q

from centres.roles import Capability
from documents.models import DocumentKind
from juries.models import SIT_CODENAME, JurySessionUserObjectPermission


def juror_documents(actor) -> Q | None:
    if not actor.can(Capability.DELIBERATE) or not getattr(actor.user, "pk", None):
        return None
    session_ids = JurySessionUserObjectPermission.objects.filter(
        user=actor.user, permission__codename=SIT_CODENAME
    ).values_list("content_object_id", flat=True)
    return Q(
        kind=DocumentKind.JURY_MINUTES,
        subject_type="juries.jurysession",
        subject_id__in=[str(pk) for pk in session_ids],
    )
