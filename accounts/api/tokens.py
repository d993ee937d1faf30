"""The user's own API tokens: list, revoke one, log out (revoke the token in use).

A token is only ever seen by its owner: someone else's token is a 404, like a missing one.
The key is never shown again after its creation (``POST /api/v1/auth/token/``)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import tokens
from centres.models import ApiToken

TAG = "authentification"


class ApiTokenSerializer(serializers.ModelSerializer):
    expires_at = serializers.SerializerMethodField()
    is_expired = serializers.SerializerMethodField()
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "prefix",
            "name",
            "created_at",
            "last_used_at",
            "expires_at",
            "is_expired",
            "is_current",
        ]
        read_only_fields = fields

    def get_expires_at(self, token) -> str:
        return serializers.DateTimeField().to_representation(tokens.expires_at(token))

    def get_is_expired(self, token) -> bool:
        return tokens.is_expired(token)

    def get_is_current(self, token) -> bool:
        current = self.context["request"].auth
        return isinstance(current, ApiToken) and current.pk == token.pk


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary=_("Mes jetons d'accès")),
    destroy=extend_schema(tags=[TAG], summary=_("Révoquer un de mes jetons")),
)
class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = ApiTokenSerializer
    pagination_class = None  # a handful per user

    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema: no user
            return ApiToken.objects.none()
        return tokens.tokens_of(self.request.user)

    def get_object(self):
        token = tokens.get_token_for_user(self.request.user, self.kwargs["pk"])
        if token is None:
            raise NotFound()
        return token

    def perform_destroy(self, instance):
        tokens.revoke_token(instance, actor=self.request.user, reason="api")


class LogoutView(APIView):
    """Revoke the token this request is authenticated with (nothing for a session)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        summary=_("Se déconnecter (révoquer le jeton utilisé)"),
        request=None,
        responses={204: OpenApiResponse(description=_("jeton révoqué"))},
        operation_id="auth_logout",
    )
    def post(self, request):
        if isinstance(request.auth, ApiToken):
            tokens.revoke_token(request.auth, actor=request.user, reason="logout")
        return Response(status=status.HTTP_204_NO_CONTENT)
