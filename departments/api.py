from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings

from config.api.errors import ERRORS
from config.api.pagination import OldestFirstCursorPagination
from departments.models import Organisation
from departments.serializers import MeSerializer, OrganisationSerializer
from departments.services import organisation_create


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (`Authorization: Token <token>`)."""

    permission_classes = [AllowAny]
    # DRF's view names its own parsers; the project's limit depth and answer in the error shape.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


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
        summary="Register an organisation (administrators only)",
        responses={201: OrganisationSerializer, **ERRORS},
    )
)
class OrganisationListView(generics.ListCreateAPIView):
    """Active organisations; filter with `kind`. Administrators register new ones."""

    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.filter(is_active=True)
    filterset_class = OrganisationFilter
    pagination_class = OldestFirstCursorPagination

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = organisation_create(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(organisation).data, status=status.HTTP_201_CREATED)
