"""The case seen through Open311 GeoReport v2 (docs/interchange.md has the table): categories
are services, the fields a case asks for are a service's attributes, a public case is a service
request whose state is open or closed."""

from datetime import date, datetime, time

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cases.models import Case, Category
from workflow.deadlines.models import Clock
from workflow.interchange.outbound import CLOSED_STATES, open311_status
from workflow.items.models import ActionItem


def category_name(category: Category) -> str:
    return (get_language() == "en" and category.name_en) or category.name


def service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category_name(category),
        "description": category.description,
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": "",
    }


def attribute(order, code, datatype, required, description, values=()) -> dict:
    return {
        "variable": True,
        "code": code,
        "datatype": datatype,
        "required": required,
        "datatype_description": "",
        "order": order,
        "description": description,
        "values": [{"key": key, "name": str(name)} for key, name in values],
    }


def service_definition(category: Category) -> dict:
    """The fields a case asks for beyond Open311's own (description, address), as attributes
    sent as `attribute[<code>]`."""
    return {
        "service_code": category.code,
        "attributes": [
            attribute(1, "title", "string", True, _("诉求标题")),
            attribute(
                2,
                "credit_code",
                "string",
                False,
                _("企业统一社会信用代码（密钥只代一家企业提交时可不填）"),
            ),
            attribute(3, "enterprise_name", "string", False, _("企业名称")),
            attribute(4, "external_reference", "string", False, _("外部编号（重发时不重复立案）")),
            attribute(5, "project_name", "string", False, _("涉及项目")),
            attribute(6, "urgency", "singlevaluelist", False, _("紧急程度"), Case.Urgency.choices),
            attribute(7, "desired_date", "datetime", False, _("期望解决日期")),
        ],
    }


def status_filter(states: set[str]) -> dict:
    """The case states of Open311's `status` values."""
    if states == {"closed"}:
        return {"case__status__in": CLOSED_STATES}
    if states == {"open"}:
        return {"case__status__in": set(Case.Status.values) - CLOSED_STATES - {"draft"}}
    return {}


def end_of(day: date | None) -> datetime | None:
    """The last second of a due day, in the site's time zone."""
    if day is None:
        return None
    return datetime.combine(day, time(23, 59, 59), tzinfo=timezone.get_default_timezone())


def w3c(moment) -> str | None:
    """In the site's time zone, as the people reading it count days."""
    return timezone.localtime(moment).isoformat() if moment else None


def service_requests(public_requests) -> list[dict]:
    """The page's service requests; two more queries for all of them (agencies, due dates)."""
    rows = list(public_requests)
    ids = [row.case_id for row in rows]
    agencies: dict[int, list[str]] = {}
    owners = (
        ActionItem.objects.filter(case_id__in=ids)
        .exclude(status=ActionItem.Status.CANCELLED)
        .values_list("case_id", "owner__name")
        .distinct()
        .order_by("case_id", "owner__name")
    )
    for case_id, name in owners:
        agencies.setdefault(case_id, []).append(name)
    due = dict(
        Clock.objects.open()
        .filter(case_id__in=ids)
        .values("case_id")
        .annotate(nearest=Min("due"))
        .values_list("case_id", "nearest")
    )
    return [
        service_request(row, agencies.get(row.case_id, []), due.get(row.case_id)) for row in rows
    ]


def service_request(public_request, agencies: list[str], nearest_due) -> dict:
    case = public_request.case
    return {
        "service_request_id": case.reference,
        "status": open311_status(case.status),
        "status_notes": str(case.get_status_display()),
        "service_name": category_name(case.category),
        "service_code": public_request.service_code,
        # The title only: the description may hold what the enterprise told the office alone.
        "description": case.title,
        "agency_responsible": "、".join(agencies),
        "service_notice": "",
        "requested_datetime": w3c(case.created_at),
        "updated_datetime": w3c(case.updated_at),
        "expected_datetime": w3c(end_of(nearest_due)),
        "address": case.location,
        "address_id": "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }
