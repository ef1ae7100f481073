"""Open311 GeoReport v2 at /open311/v2/ (http://wiki.open311.org/GeoReport_v2): discovery,
services and their definitions, service requests (list, one, file one with an API key) and
tokens. Each address ends in `.json` or `.xml`; errors come in the specification's format."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from rest_framework.exceptions import AuthenticationFailed

from cases.models import Case, Category
from workflow.interchange.authentication import system_for_key
from workflow.interchange.models import ExternalSystem, PublicRequest
from workflow.interchange.open311 import mapping
from workflow.interchange.open311.render import error, respond
from workflow.interchange.services import case_file_external

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# The spec's default and widest window of requested_datetime, and the most requests one answer
# lists (newest first; a client narrows the window for more).
WINDOW = timedelta(days=90)
MOST = 200
MOST_IDS = 50


def discovery(request, fmt):
    url = request.build_absolute_uri("/open311/v2/")
    return respond(
        fmt,
        "discovery",
        {
            "changeset": "2026-12-03T00:00:00+08:00",
            "contact": settings.SITE_URL,
            "key_service": _("请向系统管理员申请外部系统密钥。"),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": url,
                    "changeset": "2026-12-03T00:00:00+08:00",
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


def services(request, fmt):
    categories = Category.objects.filter(is_active=True)
    return respond(fmt, "services", [mapping.service(c) for c in categories])


def service_definition(request, fmt, code):
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        return error(fmt, 404, _("没有这个服务代码。"))
    return respond(fmt, "service_definition", mapping.service_definition(category))


def listed():
    return PublicRequest.objects.select_related("case__category").order_by("-requested_at", "-id")


def request_list(request, fmt):
    query = request.GET
    ids = [i.strip() for i in query.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        # The ids name the requests; every other filter is ignored, as the spec says.
        rows = listed().filter(case__reference__in=ids[:MOST_IDS])
        return respond(fmt, "service_requests", mapping.service_requests(rows))
    try:
        start, end = window(query.get("start_date", ""), query.get("end_date", ""))
    except ValueError as problem:
        return error(fmt, 400, str(problem))
    rows = listed().filter(requested_at__gte=start, requested_at__lte=end)
    codes = [c.strip() for c in query.get("service_code", "").split(",") if c.strip()]
    if codes:
        rows = rows.filter(service_code__in=codes)
    states = {s.strip() for s in query.get("status", "").split(",") if s.strip()}
    if states - {"open", "closed"}:
        return error(fmt, 400, _("status 只能是 open 或 closed。"))
    rows = rows.filter(**mapping.status_filter(states))
    return respond(fmt, "service_requests", mapping.service_requests(rows[:MOST]))


def window(start_text: str, end_text: str):
    """The requested_datetime range: the last 90 days unless given; never wider."""

    def moment(text, name):
        if not text:
            return None
        value = parse_datetime(text.strip().replace(" ", "+"))
        if value is None:
            raise ValueError(
                _("%(name)s 应为 W3C 日期时间，例如 2026-01-01T00:00:00Z。") % {"name": name}
            )
        return value if timezone.is_aware(value) else timezone.make_aware(value)

    start, end = moment(start_text, "start_date"), moment(end_text, "end_date")
    if end is None:
        end = start + WINDOW if start else timezone.now()
    start = start or end - WINDOW
    if start > end or end - start > WINDOW:
        raise ValueError(_("start_date 与 end_date 之间不能超过 90 天。"))
    return start, end


def request_detail(request, fmt, request_id):
    rows = listed().filter(case__reference=request_id)
    found = mapping.service_requests(rows)
    if not found:
        return error(fmt, 404, _("没有这个服务请求。"))
    return respond(fmt, "service_requests", found)


def token(request, fmt, token_id):
    row = PublicRequest.objects.select_related("case").filter(token=token_id).first()
    if row is None:
        return error(fmt, 404, _("没有这个令牌。"))
    answer = [{"service_request_id": row.case.reference, "token": str(row.token)}]
    return respond(fmt, "service_requests", answer)


def attributes(data) -> dict:
    """`attribute[code]=value` fields of the form."""
    return {
        key[len("attribute[") : -1]: value.strip()
        for key, value in data.items()
        if key.startswith("attribute[") and key.endswith("]")
    }


def request_create(request, fmt):
    data = request.POST
    key = data.get("api_key", "") or request.headers.get("X-Api-Key", "")
    if not key:
        return error(fmt, 401, _("请提供 api_key。"))
    try:
        system = system_for_key(key)
    except AuthenticationFailed as refused:
        return error(fmt, 401, str(refused.detail))
    category = Category.objects.filter(code=data.get("service_code", ""), is_active=True).first()
    if category is None:
        return error(fmt, 400, _("service_code 无效。"))
    fields = attributes(data)
    description = data.get("description", "").strip()
    location = data.get("address_string", "").strip()
    if not location and data.get("lat") and data.get("long"):
        location = f"{data['lat']},{data['long']}"
    location = location or data.get("address_id", "").strip()
    if not description:
        return error(fmt, 400, _("description 必填。"))
    if not location:
        return error(fmt, 400, _("请提供 address_string、lat 与 long 或 address_id 之一。"))
    urgency = fields.get("urgency") or Case.Urgency.NORMAL
    if urgency not in Case.Urgency.values:
        return error(fmt, 400, _("attribute[urgency] 无效。"))
    desired = parse_datetime(fields["desired_date"]) if fields.get("desired_date") else None
    try:
        case, _created = case_file_external(
            system=system,
            operation=ExternalSystem.Operation.OPEN311_POST,
            external_reference=fields.get("external_reference") or f"open311-{uuid.uuid4()}",
            credit_code=fields.get("credit_code", ""),
            enterprise_name=fields.get("enterprise_name", ""),
            title=(fields.get("title") or description)[:200],
            description=description,
            category=category,
            project_name=fields.get("project_name", "")[:200],
            location=location[:200],
            urgency=urgency,
            desired_date=desired.date() if desired else None,
            open311=True,
        )
    except PermissionDenied as refused:
        return error(fmt, 403, str(refused))
    except ValidationError as invalid:
        return error(fmt, 400, " ".join(invalid.messages))
    public = PublicRequest.objects.filter(case=case).first()
    answer = {
        "service_request_id": case.reference,
        "token": str(public.token) if public else None,
        "service_notice": "",
        "account_id": None,
    }
    return respond(fmt, "service_requests", [answer], status=201 if _created else 200)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def requests(request, fmt):
    if request.method == "POST":
        return request_create(request, fmt)
    return request_list(request, fmt)
