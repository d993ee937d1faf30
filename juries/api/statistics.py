"""``GET /api/v1/statistics/``: the statistics of results (issue 17), with the filters and
the access rules of the "Statistiques" page (centre staff: their centre; the national
administrator: every centre, counts only)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from juries.forms import StatisticsFilterForm
from juries.statistics import (
    france_competences_rows,
    is_national_view,
    require_statistics_reader,
    statistics_for,
)
from juries.views.statistics import insertion_note

RATE = {"max_digits": 4, "decimal_places": 1, "allow_null": True, "coerce_to_string": False}


class OutcomeRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("année, identifiant du CQPM ou du centre, voie"))
    label = serializers.CharField()
    presented = serializers.IntegerField()
    awarded = serializers.IntegerField()
    awarded_vae = serializers.IntegerField()
    partial = serializers.IntegerField()
    not_awarded = serializers.IntegerField()
    absent = serializers.IntegerField()
    success_rate = serializers.DecimalField(**RATE, help_text=_("délivrés / présents, en %"))


class TotalsSerializer(OutcomeRowSerializer):
    key = None
    label = None
    average_days = serializers.DecimalField(
        max_digits=8,
        decimal_places=1,
        allow_null=True,
        coerce_to_string=False,
        help_text=_("délai moyen de l'inscription à la décision, en jours"),
    )


class MonthRowSerializer(serializers.Serializer):
    month = serializers.DateField(help_text=_("premier jour du mois du jury"))
    decided = serializers.IntegerField()
    average_days = serializers.DecimalField(
        max_digits=8, decimal_places=1, allow_null=True, coerce_to_string=False
    )


class CompetenceRowSerializer(serializers.Serializer):
    qualification = serializers.CharField()
    code = serializers.CharField()
    title = serializers.CharField()
    evaluated = serializers.IntegerField()
    acquired = serializers.IntegerField()
    acquisition_rate = serializers.DecimalField(**RATE)


class FranceCompetencesRowSerializer(serializers.Serializer):
    cqpm_code = serializers.CharField()
    cqpm_title = serializers.CharField()
    year = serializers.IntegerField()
    certified = serializers.IntegerField()
    certified_vae = serializers.IntegerField()
    insertion_6_months = serializers.DecimalField(**RATE)
    insertion_trade_6_months = serializers.DecimalField(**RATE)
    insertion_trade_2_years = serializers.DecimalField(**RATE)


class InsertionWaveSerializer(serializers.Serializer):
    sent = serializers.IntegerField(help_text=_("questionnaires envoyés"))
    answered = serializers.IntegerField(help_text=_("réponses"))
    employed = serializers.IntegerField(help_text=_("titulaires en emploi"))
    in_trade = serializers.IntegerField(help_text=_("en emploi dans le métier visé"))
    insertion_rate = serializers.DecimalField(**RATE)
    trade_rate = serializers.DecimalField(**RATE)


class InsertionRowSerializer(serializers.Serializer):
    cqpm_code = serializers.CharField(source="code")
    cqpm_title = serializers.CharField(source="title")
    year = serializers.IntegerField()
    six_months = InsertionWaveSerializer(source="6m")
    two_years = InsertionWaveSerializer(source="2y")


class InsertionTotalsSerializer(serializers.Serializer):
    six_months = InsertionWaveSerializer(source="6m")
    two_years = InsertionWaveSerializer(source="2y")


class StatisticsSerializer(serializers.Serializer):
    national = serializers.BooleanField()
    centre = serializers.CharField(allow_null=True)
    totals = TotalsSerializer()
    by_year = OutcomeRowSerializer(many=True)
    by_cqpm = OutcomeRowSerializer(many=True)
    by_route = OutcomeRowSerializer(many=True)
    by_centre = OutcomeRowSerializer(many=True, help_text=_("vue nationale seulement"))
    competences = CompetenceRowSerializer(many=True)
    by_month = MonthRowSerializer(many=True)
    insertion = InsertionRowSerializer(many=True)
    insertion_totals = InsertionTotalsSerializer()
    france_competences = FranceCompetencesRowSerializer(many=True)
    insertion_note = serializers.CharField()


FC_FIELDS = [
    "cqpm_code",
    "cqpm_title",
    "year",
    "certified",
    "certified_vae",
    "insertion_6_months",
    "insertion_trade_6_months",
    "insertion_trade_2_years",
]


class StatisticsView(GenericAPIView):
    """Results of the standing jury decisions, per year, CQPM, access route, centre
    (national administrator) and competence, and the France Compétences rows."""

    permission_classes = [IsAuthenticated]
    serializer_class = StatisticsSerializer
    pagination_class = None

    @extend_schema(
        operation_id="statistics_retrieve",
        parameters=[
            OpenApiParameter("cqpm", OpenApiTypes.INT, description="identifiant du CQPM"),
            OpenApiParameter("year", OpenApiTypes.INT, description="année du jury"),
            OpenApiParameter(
                "route",
                OpenApiTypes.STR,
                description="voie d'accès (salarie, demandeur_emploi, apprenti, contrat_pro, "
                "vae, candidat_libre)",
            ),
            OpenApiParameter(
                "centre", OpenApiTypes.INT, description="centre (administrateur national)"
            ),
        ],
        responses=StatisticsSerializer,
    )
    def get(self, request):
        actor = request.actor
        require_statistics_reader(actor)
        national = is_national_view(actor)
        form = StatisticsFilterForm(request.query_params or None, national=national)
        if form.is_bound and not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        stats = statistics_for(actor, form.filters())
        data = {
            "national": stats.national,
            "centre": None if national else actor.centre.name,
            "totals": stats.totals,
            "by_year": stats.by_year,
            "by_cqpm": stats.by_cqpm,
            "by_route": stats.by_route,
            "by_centre": stats.by_centre,
            "competences": stats.competences,
            "by_month": stats.by_month,
            "insertion": stats.insertion,
            "insertion_totals": stats.insertion_totals,
            "france_competences": [
                dict(zip(FC_FIELDS, row, strict=True)) for row in france_competences_rows(stats)
            ],
            "insertion_note": insertion_note(),
        }
        return Response(StatisticsSerializer(data).data)
