"""``POST /api/v1/auth/token/``: a new API token against the password (and the second factor
where it is enforced)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import tokens, twofactor
from core.api.throttling import ScopedThrottle


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        read_only=True, help_text=_("la clé, montrée cette fois seulement")
    )
    id = serializers.IntegerField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)


class TokenRequestSerializer(AuthTokenSerializer):
    """Username and password, plus the second factor for the roles that must use one."""

    username = serializers.CharField(label=_("Username"), write_only=True, max_length=150)
    password = serializers.CharField(
        label=_("Password"),
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
        max_length=1024,
    )
    otp = serializers.CharField(
        label=_("code à usage unique"),
        required=False,
        allow_blank=True,
        max_length=20,
        write_only=True,
        help_text=_(
            "Code de l'application d'authentification (ou code de secours) : obligatoire "
            "pour les administrateurs de centre, chargés de certification et jurés."
        ),
    )


class ObtainTokenView(APIView):
    """``POST username, password[, otp]`` → ``{"token": …}``; throttled (scope ``token``).

    Each call creates a new token (``accounts.tokens``: stored hashed, the key is only in
    this response; it expires and is revoked by a password or second-factor change). When
    two-factor authentication is enforced, the roles that must use it (centre
    administrators, staff, jurors) also send ``otp``: a token is a long-lived credential,
    so it is only handed out against the second factor (``accounts.twofactor``)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "token"
    serializer_class = TokenRequestSerializer

    @extend_schema(
        tags=["authentification"],
        summary=_("Obtenir un jeton d'API"),
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                description=_("identifiants incorrects, ou code à usage unique manquant")
            ),
            429: OpenApiResponse(description=_("trop de tentatives")),
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        if twofactor.is_enforced() and twofactor.requires_two_factor(user):
            code = serializer.validated_data.get("otp", "")
            if not twofactor.check_api_code(user, code):
                twofactor.record_for_user(user, "auth.otp_failure", reason="api token")
                return Response(
                    {
                        "code": "otp_invalid" if code else "otp_required",
                        "detail": str(
                            _(
                                "Code à usage unique manquant ou incorrect : ajoutez le champ "
                                "otp (code de votre application ou code de secours)."
                            )
                        ),
                    },
                    status=400,
                )
        token, key = tokens.create_token(user, name=request.META.get("HTTP_USER_AGENT", "")[:100])
        return Response({"token": key, "id": token.pk, "expires_at": tokens.expires_at(token)})
