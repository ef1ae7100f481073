"""The issued documents by API: the minutes of a session and a case's rules, as PDF."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.views import APIView

from workflow.casefile.api import CaseChildMixin
from workflow.documents.downloads import minutes_pdf_response, rules_pdf_response
from workflow.sessions.api import ERRORS, SessionChildMixin

PDF = {
    (200, "application/pdf"): OpenApiResponse(
        OpenApiTypes.BINARY, description="The document, with its number (文号)"
    ),
    **ERRORS,
}


class SessionMinutesPdfView(SessionChildMixin, APIView):
    @extend_schema(
        summary="The minutes as an issued PDF document, numbered on first download "
        "(concluded or adjourned sessions)",
        responses=PDF,
    )
    def get(self, request, pk):
        return minutes_pdf_response(self.get_session())


class CaseRulesPdfView(CaseChildMixin, APIView):
    @extend_schema(
        summary="The issued implementation rules as a PDF document, with the number the "
        "office leader's sign-off gave them",
        responses=PDF,
    )
    def get(self, request, pk):
        return rules_pdf_response(self.get_case())
