"""Issue 18: the juror's dossier file through the API — what the deliberation page
(``juries.views.deliberation.item_detail``) shows of one dossier on the agenda: the
regularity checks, the signed grids and their detail, the company's avis with the
disagreements flagged, the documents (each downloadable at ``jury-documents/{id}/download/``,
as the page's ``juries:item_document``), the credits, the accommodation to apply and the
grids and avis signed late. Built by the page's own selector
(``juries.dossier_file.build_dossier_file``) and reached through the page's own access
helper (``juries.access.items_for``): a juror reads it only for a session they sit on
(losing the seat revokes the grant: 404); the centre-wide ``/grids/``,
``/company-opinions/``, ``/dossier-documents/`` and ``/dossiers/`` stay for the centre's
staff (evaluations and candidates sit below juries and cannot ask it who sits where)."""

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from candidates.models import DossierDocument
from centres.access import get_object_or_404_scoped
from centres.roles import Capability
from core.api.permissions import ActorCan
from core.disposition import name_download
from juries.access import items_for
from juries.api.common import ERROR, TAG
from juries.dossier_file import build_dossier_file


class CheckSerializer(serializers.Serializer):
    label = serializers.CharField()
    ok = serializers.BooleanField(allow_null=True, help_text=_("null : sans objet"))
    detail = serializers.CharField()


class CriterionLineSerializer(serializers.Serializer):
    text = serializers.CharField()
    state = serializers.CharField(help_text=_("vide : non évalué"))
    state_label = serializers.CharField()
    conditional = serializers.BooleanField()
    comment = serializers.CharField()


class CriteriaGroupSerializer(serializers.Serializer):
    heading = serializers.CharField()
    criteria = CriterionLineSerializer(many=True)


class CompetenceFileSerializer(serializers.Serializer):
    competence = serializers.IntegerField(source="competence.pk")
    code = serializers.CharField(source="competence.code")
    title = serializers.CharField(source="competence.title")
    bloc = serializers.CharField(source="competence.bloc.code")
    status = serializers.ChoiceField(
        choices=["to_decide", "credit", "not_targeted"],
        help_text=_("à décider dans la séance, acquise antérieurement, hors de l'objectif"),
    )
    modality = serializers.CharField()
    report_late = serializers.BooleanField()
    grid_status = serializers.CharField()
    grid_status_label = serializers.CharField()
    proposal = serializers.CharField()
    proposal_label = serializers.CharField()
    justification = serializers.CharField()
    signatories = serializers.ListField(child=serializers.CharField())
    unscored = serializers.IntegerField()
    groups = CriteriaGroupSerializer(many=True)
    opinion = serializers.CharField()
    opinion_label = serializers.CharField()
    opinion_comment = serializers.CharField()
    disagreement = serializers.BooleanField(
        help_text=_("la commission et l'entreprise divergent sur cette compétence")
    )
    signed_late = serializers.CharField(
        help_text=_("grille signée après le début de la délibération (hors du dossier)")
    )


class CreditSerializer(serializers.Serializer):
    code = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    jury_date = serializers.DateField()
    valid_until = serializers.DateField()

    def _of(self, credit):
        return credit.competence if credit.competence_id else credit.bloc

    def get_code(self, credit) -> str:
        return self._of(credit).code

    def get_title(self, credit) -> str:
        return self._of(credit).title


class FileDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    uploaded_at = serializers.DateTimeField()
    late = serializers.BooleanField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, document) -> str:
        return reverse("api:jury-document-download", kwargs={"pk": document.pk})


class FileDossierSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    candidate = serializers.CharField(source="candidate.full_name")
    qualification = serializers.CharField(source="referential_version.qualification.title")
    version = serializers.IntegerField(source="referential_version.number")
    access_route = serializers.CharField()
    access_route_label = serializers.CharField(source="get_access_route_display")
    company = serializers.SerializerMethodField()
    target = serializers.CharField()
    target_label = serializers.CharField(source="get_target_display")

    def get_company(self, dossier) -> str:
        return dossier.company.name if dossier.has_company and dossier.company else ""


class CompanyAvisSerializer(serializers.Serializer):
    required = serializers.BooleanField(source="opinion_required")
    status = serializers.CharField(source="opinion_status", help_text=_("vide : non recueilli"))
    status_label = serializers.CharField(source="opinion_status_label")
    comment = serializers.CharField(source="opinion_comment")
    author = serializers.CharField(source="opinion_author")
    disagreements = serializers.SerializerMethodField()

    def get_disagreements(self, file) -> list[str]:
        return [c.competence.code for c in file.disagreements]


class DossierFileSerializer(serializers.Serializer):
    item = serializers.SerializerMethodField()
    session = serializers.SerializerMethodField()
    candidate_absent = serializers.SerializerMethodField()
    dossier = FileDossierSerializer()
    checks = CheckSerializer(many=True)
    late = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("grilles et avis signés après le début de la délibération, hors du dossier"),
    )
    accommodation = serializers.CharField(help_text=_("aménagements appliqués"))
    documents = FileDocumentSerializer(many=True)
    credits = CreditSerializer(many=True)
    company_opinion = CompanyAvisSerializer(source="*")
    competences = CompetenceFileSerializer(many=True)

    def get_item(self, file) -> int:
        return self.context["item"].pk

    def get_session(self, file) -> int:
        return self.context["item"].session_id

    def get_candidate_absent(self, file) -> bool:
        return self.context["item"].candidate_absent


class DossierFileMixin:
    """The dossier file of an agenda item (on ``AgendaItemViewSet``, whose ``get_object``
    resolves the item through ``juries.access``)."""

    @extend_schema(
        tags=[TAG],
        summary=_("Le dossier du candidat tel que le jury le voit (grilles, avis, documents)"),
        responses={200: DossierFileSerializer, 404: ERROR},
    )
    @action(detail=True, methods=["get"], url_path="dossier-file", url_name="dossier-file")
    def dossier_file(self, request, pk=None):
        item = self.get_object()
        session = item.session
        file = build_dossier_file(
            item.dossier,
            on=session.jury_date,
            deliberation_started_at=session.deliberation_started_at,
        )
        return Response(DossierFileSerializer(file, context={"item": item}).data)


class JuryDocumentViewSet(viewsets.GenericViewSet):
    """The download of a document the dossier file lists: the documents of the dossiers on
    the agenda of the actor's sessions (``juries.access.items_for``), and no other."""

    permission_classes = [ActorCan]

    def required_capabilities(self):
        return (Capability.CONVENE_JURIES, Capability.DELIBERATE)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DossierDocument.objects.none()
        dossiers = items_for(self.request.actor).values("dossier_id")
        return DossierDocument.objects.filter(dossier_id__in=dossiers)

    @extend_schema(
        tags=[TAG],
        summary=_("Télécharger un document du dossier (ceux que liste le dossier du jury)"),
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            404: ERROR,
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        document = get_object_or_404_scoped(self.get_queryset(), pk=pk)
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
        name_download(response, document.original_name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response
