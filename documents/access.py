"""Who may see which documents, batches and register entries (one helper per resource).

Today the centre's staff (``view_centre``) see every document of their centre. Later apps
widen this without touching the views: :func:`register_visibility_rule` adds a rule
``rule(actor) -> Q | None`` (e.g. a company representative sees the documents whose subject
is one of its employees' dossiers); a document is visible when any rule matches.
"""

from collections.abc import Callable

from django.db.models import Q

from centres.access import get_object_or_404_scoped, require
from centres.roles import Capability
from documents.models import CertificateRecord, DocumentBatch, GeneratedDocument, subject_ref

VisibilityRule = Callable[[object], Q | None]
_rules: list[VisibilityRule] = []


def register_visibility_rule(rule: VisibilityRule) -> VisibilityRule:
    if rule not in _rules:
        _rules.append(rule)
    return rule


def documents_for(actor):
    qs = GeneratedDocument.objects.all()
    if actor.can(Capability.VIEW_CENTRE):
        return qs
    condition = Q(pk__in=[])
    matched = False
    for rule in _rules:
        q = rule(actor)
        if q is not None:
            condition |= q
            matched = True
    return qs.filter(condition) if matched else qs.none()


def subject_documents_for(actor, subject):
    """The visible documents of one subject (a dossier, a jury session…), newest first: what
    the owning app's page lists with ``{% include "documents/_subject_documents.html" %}``."""
    subject_type, subject_id = subject_ref(subject)
    return (
        documents_for(actor)
        .filter(subject_type=subject_type, subject_id=subject_id)
        .select_related("certificate")
        .order_by("-created_at", "-pk")
    )


def get_document_for_user(actor, pk, *, write: bool = False) -> GeneratedDocument:
    """404 when missing, foreign or not visible; 403 when visible but ``write`` is refused."""
    document = get_object_or_404_scoped(
        documents_for(actor).select_related("centre", "certificate", "created_by", "batch"),
        pk=pk,
    )
    if write:
        require(actor, Capability.MANAGE_DOCUMENTS)
    return document


def batches_for(actor):
    if actor.can(Capability.VIEW_CENTRE):
        return DocumentBatch.objects.all()
    return DocumentBatch.objects.none()


def get_batch_for_user(actor, pk) -> DocumentBatch:
    return get_object_or_404_scoped(batches_for(actor).select_related("created_by"), pk=pk)


def certificates_for(actor):
    if actor.can(Capability.VIEW_CENTRE):
        return CertificateRecord.objects.all()
    return CertificateRecord.objects.none()


def get_certificate_for_user(actor, pk, *, write: bool = False) -> CertificateRecord:
    record = get_object_or_404_scoped(
        certificates_for(actor).select_related("revoked_by", "created_by"), pk=pk
    )
    if write:
        require(actor, Capability.MANAGE_DOCUMENTS)
    return record
