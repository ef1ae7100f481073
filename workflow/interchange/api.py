"""The inbound API of external systems: file a case (idempotent on the system's reference) and
read one back by that reference."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Case
from config.api.errors import ERRORS
from workflow.interchange.authentication import AllowsOperation, ApiKeyAuthentication
from workflow.interchange.models import ExternalSystem
from workflow.interchange.serializers import ExternalCaseCreateSerializer, ExternalCaseSerializer
from workflow.interchange.services import case_file_external


def external_case(system, pk):
    cases = Case.objects.select_related("external", "enterprise")
    return cases.get(pk=pk, external__system=system)


class ExternalSystemView(APIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [AllowsOperation]

    def check_permissions(self, request):
        # A body that cannot be read is a 400 whoever sends it, as on every other endpoint.
        request.data  # noqa: B018
        super().check_permissions(request)


class ExternalCaseListView(ExternalSystemView):
    operation = ExternalSystem.Operation.FILE_CASE

    @extend_schema(
        summary="File a case for an enterprise (external systems, API key)",
        request=ExternalCaseCreateSerializer,
        responses={
            201: ExternalCaseSerializer,
            200: OpenApiResponse(
                ExternalCaseSerializer, description="Already filed under this reference."
            ),
            **{code: ERRORS[code] for code in (400, 401, 403)},
        },
    )
    def post(self, request):
        serializer = ExternalCaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case, created = case_file_external(
            system=request.auth, operation=self.operation, **serializer.validated_data
        )
        return Response(
            ExternalCaseSerializer(external_case(request.auth, case.pk)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ExternalCaseDetailView(ExternalSystemView):
    operation = ExternalSystem.Operation.READ_CASE

    @extend_schema(
        summary="A case the system filed, by its own reference",
        responses={200: ExternalCaseSerializer, **{c: ERRORS[c] for c in (401, 403, 404)}},
    )
    def get(self, request, external_reference):
        case = (
            Case.objects.select_related("external", "enterprise")
            .filter(external__system=request.auth, external__external_reference=external_reference)
            .first()
        )
        if case is None:
            raise Http404
        return Response(ExternalCaseSerializer(case).data)
