from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny

from config.api.pagination import OldestFirstCursorPagination
from departments.models import Organisation
from departments.serializers import MeSerializer, OrganisationSerializer


class TokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (`Authorization: Token <token>`)."""

    permission_classes = [AllowAny]

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


class OrganisationListView(generics.ListAPIView):
    """Active organisations; filter with `kind`."""

    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.filter(is_active=True)
    filterset_class = OrganisationFilter
    pagination_class = OldestFirstCursorPagination
