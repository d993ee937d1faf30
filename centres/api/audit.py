"""The audit log of the active centre, read-only (capability view_audit_log)."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from centres.audit.log import AuditFilters, apply_filters, entries_for
from centres.models import AuditEntry
from centres.roles import Capability
from centres.sorting import AUDIT_SORT
from core.api.permissions import has_capability


class AuditEntrySerializer(serializers.ModelSerializer):
    actor_username = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "created_at",
            "actor",
            "actor_username",
            "action",
            "subject_type",
            "subject_id",
            "before",
            "after",
            "reason",
        ]
        read_only_fields = fields

    def get_actor_username(self, entry) -> str | None:
        return entry.actor.get_username() if entry.actor else None


class AuditEntryFilter(filters.FilterSet):
    actor = filters.NumberFilter(label=_("identifiant de l'acteur"), method="noop")
    action = filters.CharFilter(label=_("début du nom de l'action (auth., membership.…)"))
    subject_type = filters.CharFilter(label=_("type d'objet, ex. centres.user"))
    subject_id = filters.CharFilter(label=_("identifiant de l'objet"))
    date_from = filters.DateFilter(label=_("à partir de ce jour (inclus)"), method="noop")
    date_to = filters.DateFilter(label=_("jusqu'à ce jour (inclus)"), method="noop")

    class Meta:
        model = AuditEntry
        fields = ["actor", "action", "subject_type", "subject_id", "date_from", "date_to"]

    def noop(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return apply_filters(
            queryset,
            AuditFilters(
                actor_id=data.get("actor"),
                action=data.get("action") or "",
                subject_type=data.get("subject_type") or "",
                subject_id=data.get("subject_id") or "",
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
            ),
        )


@extend_schema_view(
    list=extend_schema(
        tags=["journal d'audit"],
        summary=_("Journal d'audit du centre"),
        description=_("Qui, quoi, quand, avant, après ; le plus récent d'abord."),
    )
)
class AuditEntryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter
    sort_columns = AUDIT_SORT

    def get_permissions(self):
        return [IsAuthenticated(), has_capability(Capability.VIEW_AUDIT_LOG)()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuditEntry.objects.none()
        return entries_for(self.request.actor)
