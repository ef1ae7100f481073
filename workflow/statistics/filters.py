"""The filters every figure takes: a period, a category, a department, an enterprise tier and a
route. Parsed once from a query string (page or API) into `Filters`; bad input is a
ValidationError naming the field, so the API answers 400 and a page shows it."""

import datetime
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Case, Category
from config import timesource
from departments.models import Organisation

PERIODS = {
    "week": gettext_lazy("本周"),
    "month": gettext_lazy("本月"),
    "quarter": gettext_lazy("本季度"),
    "year": gettext_lazy("本年度"),
    "custom": gettext_lazy("自定义"),
}
ROUTES = {
    "direct": gettext_lazy("直接交办"),
    "convened": gettext_lazy("召集审联体会议"),
}
DEFAULT_PERIOD = "month"
# A custom range longer than this is refused: figures over decades say nothing and cost much.
MAX_RANGE_DAYS = 366 * 3
ASSIGNEE_KINDS = (Organisation.Kind.DEPARTMENT, Organisation.Kind.THIRD_PARTY)


@dataclass(frozen=True)
class Filters:
    period: str = DEFAULT_PERIOD
    start: datetime.date | None = None  # first day of the period, inclusive
    end: datetime.date | None = None  # last day of the period, inclusive
    category: int | None = None
    department: int | None = None
    tier: str | None = None
    route: str | None = None
    channel: str | None = None  # the case's source channel (来源渠道)

    @property
    def since(self) -> datetime.datetime:
        """The period's first moment, local midnight."""
        return _midnight(self.start)

    @property
    def until(self) -> datetime.datetime:
        """The moment after the period's last day (exclusive)."""
        return _midnight(self.end + datetime.timedelta(days=1))

    @property
    def is_standard(self) -> bool:
        """A named period and nothing else: the figures the daily rollup keeps."""
        return self.period != "custom" and not any(
            (self.category, self.department, self.tier, self.route, self.channel)
        )

    def key(self) -> str:
        return self.query()

    def query(self, **changes) -> str:
        """These filters as a query string (for links: drill-downs, sorting, exports)."""
        f = replace(self, **changes) if changes else self
        params = {"period": f.period}
        if f.period == "custom":
            params["from"] = f.start.isoformat()
            params["to"] = f.end.isoformat()
        for name in ("category", "department", "tier", "route", "channel"):
            value = getattr(f, name)
            if value not in (None, ""):
                params[name] = value
        return urlencode(params)


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def period_range(period: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    if period == "week":
        return today - datetime.timedelta(days=today.weekday()), today
    if period == "month":
        return today.replace(day=1), today
    if period == "quarter":
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today
    return today.replace(month=1, day=1), today


def _date(value: str, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError({field: [_("请输入日期，格式为 YYYY-MM-DD。")]}) from None


def _whole(value: str, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number <= 0:
        raise ValidationError({field: [_("请选择列表中的一项。")]})
    return number


def parse(params, user=None) -> Filters:
    """`params` (a QueryDict or dict) as Filters; a department leader is held to their own."""
    if user is not None and not may_read(user):
        raise PermissionDenied(_("只有政务服务办和部门分管领导可以查看统计。"))
    errors = {}
    values = {}

    def check(field, fn):
        raw = params.get(field)
        if raw in (None, ""):
            return None
        try:
            return fn(raw, field)
        except ValidationError as invalid:
            errors.update(invalid.message_dict)
            return None

    period = params.get("period") or DEFAULT_PERIOD
    if period not in PERIODS:
        errors["period"] = [_("请选择本周、本月、本季度、本年度或自定义。")]
        period = DEFAULT_PERIOD
    today = timesource.today()
    if period == "custom":
        start = check("from", _date)
        end = check("to", _date)
        for field, day in (("from", start), ("to", end)):
            if day is None and field not in errors:
                errors[field] = [_("自定义期间需要起止日期。")]
        if start and end:
            if start > end:
                errors["to"] = [_("结束日期不能早于开始日期。")]
            elif (end - start).days > MAX_RANGE_DAYS:
                errors["to"] = [_("期间最长三年。")]
    else:
        start, end = period_range(period, today)
    values["category"] = check("category", _whole)
    if values["category"] and not Category.objects.filter(pk=values["category"]).exists():
        errors["category"] = [_("请选择列表中的一项。")]
    values["department"] = check("department", _whole)
    if (
        values["department"]
        and not Organisation.objects.filter(
            pk=values["department"], kind__in=ASSIGNEE_KINDS
        ).exists()
    ):
        errors["department"] = [_("请选择列表中的一项。")]
    tier = params.get("tier") or None
    if tier is not None and tier not in Organisation.Tier.values:
        errors["tier"] = [_("请选择列表中的一项。")]
    route = params.get("route") or None
    if route is not None and route not in ROUTES:
        errors["route"] = [_("请选择列表中的一项。")]
    channel = params.get("channel") or None
    if channel is not None and channel not in Case.SourceChannel.values:
        errors["channel"] = [_("请选择列表中的一项。")]
    if errors:
        raise ValidationError(errors)
    filters = Filters(
        period=period,
        start=start,
        end=end,
        category=values["category"],
        department=values["department"],
        tier=tier,
        route=route,
        channel=channel,
    )
    if user is not None:
        filters = scoped(filters, user)
    return filters


def may_read(user) -> bool:
    """The office (coordinators, the office leader) reads every figure; a department's or third
    party's leader reads their own organisation's."""
    return user.is_authenticated and (
        user.is_coordinator or (user.is_department_officer and user.is_leader)
    )


def scoped(filters: Filters, user) -> Filters:
    if user.is_coordinator:
        return filters
    if not may_read(user):
        raise PermissionDenied(_("只有政务服务办和部门分管领导可以查看统计。"))
    if filters.department not in (None, user.organisation_id):
        raise PermissionDenied(_("部门领导只能查看本单位的统计。"))
    return replace(filters, department=user.organisation_id)
