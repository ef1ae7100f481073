"""Open311 GeoReport v2 addresses; `<fmt>` is json or xml."""

from django.urls import path, register_converter
from django.views.decorators.http import require_GET

from workflow.interchange.open311 import views


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "fmt")

urlpatterns = [
    path("discovery.<fmt:fmt>", require_GET(views.discovery), name="open311-discovery"),
    path("services.<fmt:fmt>", require_GET(views.services), name="open311-services"),
    path(
        "services/<slug:code>.<fmt:fmt>",
        require_GET(views.service_definition),
        name="open311-service",
    ),
    path("requests.<fmt:fmt>", views.requests, name="open311-requests"),
    path(
        "requests/<str:request_id>.<fmt:fmt>",
        require_GET(views.request_detail),
        name="open311-request",
    ),
    path("tokens/<uuid:token_id>.<fmt:fmt>", require_GET(views.token), name="open311-token"),
]
