"""The centre's standing juror records on the API (issue 15): centre staff who compose
juries only. The union an employee juror sits for (GDPR art. 9) is returned here, to them,
and nowhere else on the API (the members endpoint gives it to staff only, never to jurors)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from centres.access import get_object_or_404_scoped
from centres.roles import Capability
from core.api.permissions import ActorCan
from core.api.versioning import expected_version
from juries import services
from juries.access import get_juror_for_user, jurors_for
from juries.api.common import TAG
from juries.api.serializers import ScopedPK, _companies, _jurors
from juries.models import College, Juror


class JurorSerializer(serializers.ModelSerializer):
    user = ScopedPK(_jurors)
    name = serializers.CharField(read_only=True)
    company = ScopedPK(_companies, required=False, allow_null=True)
    union = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_("Organisation syndicale représentée (collège salariés ; donnée sensible)."),
    )

    class Meta:
        model = Juror
        fields = [
            "id",
            "user",
            "name",
            "college",
            "union",
            "sex",
            "company",
            "qualified_for_certification",
            "version",
        ]
        read_only_fields = ["version"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["user"].read_only = True
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        union = getattr(instance, "union_record", None) if hasattr(instance, "pk") else None
        data["union"] = union.union if union and instance.college == College.EMPLOYEE else ""
        return data


class JurorFilter(filters.FilterSet):
    college = filters.ChoiceFilter(choices=College.choices, label=_("collège"))

    class Meta:
        model = Juror
        fields = ["college"]


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("Fiches des jurés du centre")),
    retrieve=extend_schema(tags=[TAG], summary=_("Une fiche de juré")),
    create=extend_schema(tags=[TAG], summary=_("Enregistrer la fiche d'un juré")),
    partial_update=extend_schema(tags=[TAG], summary=_("Modifier une fiche de juré")),
    update=extend_schema(tags=[TAG], summary=_("Modifier une fiche de juré")),
)
class JurorViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = JurorSerializer
    permission_classes = [ActorCan]
    filterset_class = JurorFilter

    def required_capabilities(self):
        return (Capability.CONVENE_JURIES,)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Juror.objects.none()
        return (
            jurors_for(self.request.actor)
            .select_related("user", "union_record")
            .order_by("user__last_name", "user__first_name", "id")
        )

    def get_object(self):
        juror = get_object_or_404_scoped(self.get_queryset(), pk=self.kwargs["pk"])
        return get_juror_for_user(self.request.actor, juror.pk)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.register_juror(
            self.request.actor.centre,
            data.pop("user"),
            actor=self.request.actor,
            **data,
        )

    @transaction.atomic
    def perform_update(self, serializer):
        serializer.instance = services.update_juror(
            serializer.instance,
            actor=self.request.actor,
            expected_version=expected_version(self.request, required=False),
            **serializer.validated_data,
        )
