"""One JSON shape for every API error, and the one place domain errors become HTTP statuses.

    {"error": {"code": "invalid", "message": "...", "fields": {"title": ["..."]}}}

not visible → 404, not permitted → 403, illegal transition or lost race → 409,
invalid input → 400 naming the field.
"""

from django.core.exceptions import (
    PermissionDenied as DjangoPermissionDenied,
)
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.views import defaults
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, renderers, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from config.fsm import Conflict


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
    details = serializers.DictField(
        required=False, help_text="What a refused change lacks, e.g. `missing` for a quorum."
    )


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx and 5xx response."""

    error = ErrorDetailSerializer()


# The error responses most endpoints document in the schema.
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; the fields are named."),
    401: OpenApiResponse(ErrorSerializer, description="Not signed in."),
    403: OpenApiResponse(ErrorSerializer, description="Not permitted for your role."),
    404: OpenApiResponse(ErrorSerializer, description="Not found or not visible to you."),
}


def _flatten(detail, prefix=""):
    """Turn DRF's nested error detail into {"field.sub": [messages]}."""
    flat = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            flat[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                if item:
                    flat.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat[prefix or "non_field_errors"] = [str(detail)]
    return flat


def _body(code, message, fields=None, status_code=400, details=None):
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    if details:
        error["details"] = details
    return Response({"error": error}, status=status_code)


def api_exception_handler(exc, context):
    _answer_in_json(context)
    if isinstance(exc, RequestDataTooBig):
        return _body(
            "too_large",
            _("请求体超过大小上限。"),
            status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return _body("too_many_fields", _("请求中的字段或文件过多。"))
    if isinstance(exc, MultiPartParserError):
        return _body("parse_error", _("上传的表单格式有误，无法读取。"))
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("未找到，或您无权查看。"))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Conflict):
        return _body(
            exc.code, exc.message, status_code=status.HTTP_409_CONFLICT, details=exc.details
        )
    elif isinstance(exc, TransitionNotAllowed | ConcurrentTransition):
        return _body(
            "conflict",
            _("当前状态不能执行此操作，请刷新后重试。"),
            status_code=status.HTTP_409_CONFLICT,
        )

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        first = next(iter(fields.items()))
        message = _("输入有误：%(field)s — %(message)s") % {
            "field": first[0],
            "message": first[1][0],
        }
        response.data = {"error": {"code": "invalid", "message": message, "fields": fields}}
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = {
            "error": {"code": code if isinstance(code, str) else "error", "message": str(detail)}
        }
    return response


def _answer_in_json(context):
    """An error is answered in the error shape, in JSON, even by a view that can also render
    HTML (the printable minutes, `?format=html`): its template has nothing to show for one."""
    request = context.get("request")
    if request is not None and not isinstance(
        getattr(request, "accepted_renderer", None), renderers.JSONRenderer
    ):
        request.accepted_renderer = renderers.JSONRenderer()
        request.accepted_media_type = renderers.JSONRenderer.media_type


# Errors raised before a request reaches an API view (an address that matches no route, such as
# a non-integer id; a body Django refuses while reading it; an unhandled exception) are answered
# by Django's handlers, named in config/urls.py. Under /api/ they answer in the error shape.
API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _json_error(code, message, status_code):
    return JsonResponse(
        {"error": {"code": code, "message": str(message)}},
        status=status_code,
        json_dumps_params={"ensure_ascii": False},
    )


def bad_request(request, exception):
    if not _is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return _json_error("too_large", _("请求体超过大小上限。"), 413)
    return _json_error("bad_request", _("请求有误，无法处理。"), 400)


def permission_denied(request, exception):
    if not _is_api(request):
        return defaults.permission_denied(request, exception)
    return _json_error("permission_denied", _("您无权执行此操作。"), 403)


def page_not_found(request, exception):
    if not _is_api(request):
        return defaults.page_not_found(request, exception)
    return _json_error("not_found", _("未找到，或您无权查看。"), 404)


def server_error(request):
    if not _is_api(request):
        return defaults.server_error(request)
    return _json_error("server_error", _("服务器出错，请稍后重试。"), 500)
