from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.errors import ERRORS, ErrorSerializer
from config.api.pagination import OldestFirstCursorPagination
from departments.models import ApiToken, Organisation
from departments.serializers import (
    IssuedTokenSerializer,
    MeSerializer,
    OrganisationSerializer,
    SignInSerializer,
)
from departments.services import (
    organisation_create,
    token_issue,
    token_revoke,
    tokens_revoke_all,
)

LOCKED_OUT = OpenApiResponse(
    ErrorSerializer,
    description="Too many wrong passwords for this account from this address: locked out "
    "(code `locked_out`); the `Retry-After` header says how many seconds to wait.",
)


class TokenView(APIView):
    """Exchange a username and password for a new API token (`Authorization: Token <token>`).
    Every sign-in issues a new token, valid until `expires_at`; `auth/logout/` revokes it.
    Wrong passwords are counted per account and address: past the limit, 429."""

    permission_classes = [AllowAny]
    authentication_classes = []  # only the body's credentials count here

    @extend_schema(
        request=SignInSerializer,
        responses={200: IssuedTokenSerializer, 400: ERRORS[400], 429: LOCKED_OUT},
    )
    def post(self, request):
        sign_in = SignInSerializer(data=request.data)
        sign_in.is_valid(raise_exception=True)
        # Django's own request: django-axes counts the failure on it and refuses a locked-out
        # account before the password is checked (departments/lockout.py).
        user = authenticate(
            request._request,
            username=sign_in.validated_data["username"],
            password=sign_in.validated_data["password"],
        )
        if user is None:
            raise ValidationError(
                {"non_field_errors": [_("用户名或密码不正确。")]}, code="authorization"
            )
        device = sign_in.validated_data.get("device") or request.headers.get("User-Agent", "")
        token, key = token_issue(user=user, device=device)
        # As a page sign-in does: the last login is noted and django-axes clears the count.
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        return Response(IssuedTokenSerializer({"token": key, "expires_at": token.expires_at}).data)


class LogoutView(APIView):
    """Revoke the token this request is signed in with: it signs no one in any more."""

    @extend_schema(request=None, responses={204: None, 400: ERRORS[400], 401: ERRORS[401]})
    def post(self, request):
        if not isinstance(request.auth, ApiToken):
            raise ValidationError(
                {"non_field_errors": [_("此请求不是用接口令牌登录的，没有可撤销的令牌。")]}
            )
        token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """Revoke every API token of the signed-in person, on every device."""

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer("LogoutAllResponse", {"revoked": serializers.IntegerField()}),
            401: ERRORS[401],
        },
    )
    def post(self, request):
        return Response({"revoked": tokens_revoke_all(user=request.user)})


class MeView(generics.RetrieveAPIView):
    """The signed-in user, their organisation and roles."""

    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user


class OrganisationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Organisation.Kind.choices)

    class Meta:
        model = Organisation
        fields = ["kind"]


@extend_schema_view(
    post=extend_schema(
        summary="Register an organisation (the office leader and administrators)",
        responses={201: OrganisationSerializer, **ERRORS},
    )
)
class OrganisationListView(generics.ListCreateAPIView):
    """Active organisations; filter with `kind`. The office leader and administrators register
    new ones."""

    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.filter(is_active=True)
    filterset_class = OrganisationFilter
    pagination_class = OldestFirstCursorPagination

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = organisation_create(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(organisation).data, status=status.HTTP_201_CREATED)
