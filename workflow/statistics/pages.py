"""The leaders' pages: the board (统计总览), the league table (部门考核), the supervision
register (督办台账), the drill-down lists behind every figure, and the Excel downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.models import Case, Category
from config.replica import from_replica, reads_from_replica
from departments.models import Organisation
from workflow.casefile.forms import localized_name
from workflow.casefile.selectors import with_progress
from workflow.deadlines.models import Clock
from workflow.items.models import ActionItem
from workflow.pages import transitions
from workflow.pages.paging import page_of
from workflow.statistics import charts, exceptions, exports, rollup, selectors, weekly
from workflow.statistics.definitions import RATE_LABELS
from workflow.statistics.filters import ASSIGNEE_KINDS, PERIODS, ROUTES, may_read, parse
from workflow.supervision.services import supervision_issue

CASE_MEASURE_LABELS = {
    "open": gettext_lazy("办理中的诉求"),
    "filed": gettext_lazy("本期提交的诉求"),
    "resolved": gettext_lazy("本期办结的诉求"),
    "closed": gettext_lazy("本期归档的诉求"),
    "rejected": gettext_lazy("本期不予受理的诉求"),
    "withdrawn": gettext_lazy("本期撤回的诉求"),
    "convened": gettext_lazy("召集审联体会议的诉求"),
    "direct": gettext_lazy("直接交办的诉求"),
    "accept_due": gettext_lazy("应受理的诉求"),
    "accepted_on_time": gettext_lazy("按时受理的诉求"),
    "solved": gettext_lazy("企业确认解决的诉求"),
    "unanswered": gettext_lazy("企业逾期未确认的诉求"),
    "rated": gettext_lazy("企业作出评价的诉求"),
    "satisfied": gettext_lazy("评价满意或基本满意的诉求"),
}
ITEM_MEASURE_LABELS = {
    "received": gettext_lazy("收到的任务"),
    "sign_due": gettext_lazy("应签收的任务"),
    "signed_on_time": gettext_lazy("按时签收的任务"),
    "signed_late": gettext_lazy("逾期签收的任务"),
    "completion_due": gettext_lazy("应办结的任务"),
    "completed_on_time": gettext_lazy("按时办结的任务"),
    "completed": gettext_lazy("已办结的任务"),
    "overdue_now": gettext_lazy("当前超期的任务"),
    "clock_on_time": gettext_lazy("正常计时的任务"),
    "clock_yellow": gettext_lazy("黄牌预警的任务"),
    "clock_red": gettext_lazy("红牌超期的任务"),
    "returned": gettext_lazy("被退单的任务"),
    "extension_requested": gettext_lazy("申请延期的任务"),
    "extension_granted": gettext_lazy("同意延期的任务"),
    "supervised": gettext_lazy("被督办的任务"),
    "supervision_late": gettext_lazy("督办逾期答复的任务"),
}
# Which list each rate's numerator and denominator open.
RATE_MEASURES = {
    "response_cases": ("cases", "accepted_on_time", "accept_due"),
    "response_items": ("items", "signed_on_time", "sign_due"),
    "on_time": ("items", "completed_on_time", "completion_due"),
    "resolution": ("cases", "solved", "closed"),
    "satisfaction": ("cases", "satisfied", "rated"),
}
LEAGUE_HEADERS = [
    ("name", gettext_lazy("单位"), None),
    ("received", gettext_lazy("收到任务"), "received"),
    ("signed_late", gettext_lazy("逾期签收"), "signed_late"),
    ("completed_on_time", gettext_lazy("按时办结"), "completed_on_time"),
    ("overdue_now", gettext_lazy("当前超期"), "overdue_now"),
    ("returned", gettext_lazy("退单"), "returned"),
    ("extension_requested", gettext_lazy("申请延期"), "extension_requested"),
    ("extension_granted", gettext_lazy("同意延期"), "extension_granted"),
    ("supervised", gettext_lazy("收到督办"), "supervised"),
    ("supervision_late", gettext_lazy("督办逾期答复"), "supervision_late"),
    ("median_days", gettext_lazy("用时中位数（工作日）"), "completed"),
    ("response_items", gettext_lazy("响应率"), "sign_due"),
    ("on_time", gettext_lazy("按时办结率"), "completion_due"),
]
REGISTER_TABS = [
    ("", gettext_lazy("全部")),
    ("open", gettext_lazy("待答复")),
    ("late", gettext_lazy("逾期未答复")),
    ("answered", gettext_lazy("已答复")),
]


def _reader(request):
    if not may_read(request.user):
        raise PermissionDenied(_("只有政务服务办和部门分管领导可以查看统计。"))


def _office(request):
    if not request.user.is_coordinator:
        raise PermissionDenied(_("只有政务服务办可以查看。"))


def _choices(user):
    departments = Organisation.objects.filter(kind__in=ASSIGNEE_KINDS, is_active=True)
    return {
        "periods": list(PERIODS.items()),
        "categories": [(c.pk, localized_name(c)) for c in Category.objects.all()],
        "departments": list(departments.values_list("pk", "name")) if user.is_coordinator else [],
        "tiers": [(v, label) for v, label in Organisation.Tier.choices if v],
        "routes": list(ROUTES.items()),
        "channels": Case.SourceChannel.choices,
    }


def _with_filters(request, template, build, **context):
    """Parse the filters; on bad input show the form with its errors (400), not the figures."""
    try:
        f = parse(request.GET, request.user)
    except ValidationError as invalid:
        context.update(errors=invalid.message_dict, filters=None, raw=request.GET)
        context.update(_choices(request.user))
        return render(request, template, context, status=400)
    context.update(filters=f, query=f.query(), raw=request.GET, errors={})
    context.update(_choices(request.user))
    # Figures may be seconds old: from the read replica when there is one (config/replica.py).
    with reads_from_replica():
        context.update(build(f))
        return render(request, template, context)


def _rates_rows(rates: dict) -> list[dict]:
    rows = []
    for key, label in RATE_LABELS.items():
        kind, numerator, denominator = RATE_MEASURES[key]
        rows.append(
            {
                "key": key,
                "label": label,
                "kind": kind,
                "numerator_measure": numerator,
                "denominator_measure": denominator,
                **rates[key],
            }
        )
    return rows


@login_required
def board(request):
    _reader(request)
    if not request.user.is_coordinator:
        return redirect("pages:statistics-league")

    def build(f):
        data, computed_at = rollup.figures("overview", f)
        status_labels = dict(Case.Status.choices)
        urgency_labels = dict(Case.Urgency.choices)
        categories = {c.pk: localized_name(c) for c in Category.objects.all()}
        routed = data["route"]["convened"] + data["route"]["direct"]
        return {
            "data": data,
            "computed_at": computed_at,
            "rates": _rates_rows(data["rates"]),
            "by_status": [
                {**row, "label": status_labels[row["status"]]}
                for row in data["open_cases"]["by_status"]
            ],
            "by_urgency": [
                {**row, "label": urgency_labels[row["urgency"]]}
                for row in data["open_cases"]["by_urgency"]
            ],
            "by_category": [
                {**row, "label": categories.get(row["category"], row["label"])}
                for row in data["open_cases"]["by_category"]
            ],
            "convened_percent": round(100 * data["route"]["convened"] / routed, 1)
            if routed
            else None,
        }

    return _with_filters(request, "statistics/board.html", build, section="board")


@login_required
def league(request):
    _reader(request)
    sort = request.GET.get("sort") or "overdue_now"
    if sort not in dict((k, v) for k, v, _m in LEAGUE_HEADERS):
        sort = "overdue_now"
    order = request.GET.get("order") or ("asc" if sort == "name" else "desc")
    order = order if order in ("asc", "desc") else "desc"

    def build(f):
        rows, computed_at = rollup.figures("league", f)
        rows = selectors.sort_league(rows, sort, descending=order == "desc")
        officer_rows = selectors.officers(f, f.department) if f.department else []
        for row in rows:
            row["cells"] = [
                {"key": key, "label": label, "measure": measure, "value": row[key]}
                for key, label, measure in LEAGUE_HEADERS[1:]
            ]
        return {
            "rows": rows,
            "computed_at": computed_at,
            "headers": LEAGUE_HEADERS,
            "officers": officer_rows,
            "department": Organisation.objects.filter(pk=f.department).first(),
        }

    return _with_filters(
        request, "statistics/league.html", build, section="league", sort=sort, order=order
    )


@login_required
@from_replica
def league_export(request):
    _reader(request)
    try:
        f = parse(request.GET, request.user)
    except ValidationError:
        return redirect(f"{reverse('pages:statistics-league')}?{request.GET.urlencode()}")
    rows, _computed_at = rollup.figures("league", f)
    sort = request.GET.get("sort") or "overdue_now"
    if sort in dict((k, v) for k, v, _m in LEAGUE_HEADERS):
        rows = selectors.sort_league(rows, sort, descending=request.GET.get("order") != "asc")
    return exports.league_response(f, rows)


def _register_state(request):
    state = request.GET.get("state") or None
    return state if state in selectors.REGISTER_STATES else None


@login_required
def register(request):
    _office(request)
    state = _register_state(request)

    def build(f):
        page = page_of(selectors.register(f, state), request.GET.get("page"))
        for notice in page.object_list:
            notice.state = selectors.register_state(notice)
            notice.late_answer = selectors.answered_late(notice)
        return {"page": page, "overdue": list(selectors.unsupervised_overdue(f))}

    return _with_filters(
        request,
        "statistics/register.html",
        build,
        section="register",
        state=state or "",
        tabs=REGISTER_TABS,
    )


@login_required
@from_replica
def register_export(request):
    _office(request)
    try:
        f = parse(request.GET, request.user)
    except ValidationError:
        return redirect(f"{reverse('pages:statistics-register')}?{request.GET.urlencode()}")
    return exports.register_response(f, _register_state(request))


@login_required
@require_POST
def register_issue(request, pk):
    """督办 from the register: the supervision service decides who may and what is overdue."""
    _office(request)
    item = get_object_or_404(ActionItem.objects.visible_to(request.user), pk=pk)
    errors = transitions.call(
        supervision_issue, {"item": item, "by": request.user, "text": request.POST.get("text", "")}
    )
    if errors:
        for lines in errors.values():
            for line in lines:
                messages.error(request, line)
    else:
        messages.success(request, _("督办通知已发出。"))
    back = request.POST.get("next", "")
    url = reverse("pages:statistics-register")
    return redirect(f"{url}?{back}" if back.startswith("period=") else url)


@login_required
def case_drill(request):
    _reader(request)
    measure = request.GET.get("measure")
    if measure not in CASE_MEASURE_LABELS:
        raise Http404
    status = request.GET.get("status") or None
    urgency = request.GET.get("urgency") or None
    if status not in (None, *Case.Status.values) or urgency not in (None, *Case.Urgency.values):
        raise Http404

    def build(f):
        cases = selectors.case_measure(f, measure).filter(
            pk__in=Case.objects.visible_to(request.user).values("pk")
        )
        if status:
            cases = cases.filter(status=status)
        if urgency:
            cases = cases.filter(urgency=urgency)
        cases = cases.select_related("category", "enterprise").order_by("-id")
        page = page_of(cases, request.GET.get("page"))
        page.object_list = with_progress(page.object_list)
        extra = "".join(
            f"&{name}={value}"
            for name, value in (("status", status), ("urgency", urgency))
            if value
        )
        return {"page": page, "extra": f"measure={measure}{extra}"}

    return _with_filters(
        request,
        "statistics/drill_cases.html",
        build,
        section="drill",
        hidden=[
            (name, value)
            for name, value in (("measure", measure), ("status", status), ("urgency", urgency))
            if value
        ],
        label=CASE_MEASURE_LABELS[measure],
        status_label=dict(Case.Status.choices).get(status),
        urgency_label=dict(Case.Urgency.choices).get(urgency),
    )


@login_required
def item_drill(request):
    _reader(request)
    measure = request.GET.get("measure")
    if measure not in ITEM_MEASURE_LABELS:
        raise Http404
    owner = request.GET.get("owner") or None
    if owner is not None:
        if not owner.isdigit():
            raise Http404
        owner = int(owner)
        if not request.user.is_coordinator and owner != request.user.organisation_id:
            raise PermissionDenied(_("部门领导只能查看本单位的统计。"))

    def build(f):
        found = selectors.item_measure(f, measure, owner)
        found = found.select_related("owner", "case").prefetch_related(
            Prefetch("clocks", queryset=Clock.objects.open())
        )
        page = page_of(found.order_by("due_date", "id"), request.GET.get("page"))
        extra = f"measure={measure}" + (f"&owner={owner}" if owner else "")
        return {
            "page": page,
            "extra": extra,
            "owner": Organisation.objects.filter(pk=owner).first() if owner else None,
        }

    return _with_filters(
        request,
        "statistics/drill_items.html",
        build,
        section="drill",
        hidden=[("measure", measure), *([("owner", owner)] if owner else [])],
        label=ITEM_MEASURE_LABELS[measure],
    )


@login_required
def exceptions_board(request):
    """异常事项: what is stuck now, one kind at a time, each row linking to where it is resolved."""
    _office(request)
    kind = request.GET.get("kind") or "blocked_items"
    if kind not in exceptions.KINDS:
        raise Http404

    def build(f):
        counts = exceptions.counts(f)
        page = page_of(exceptions.rows(f, kind), request.GET.get("page"))
        page.object_list = [exceptions.describe(kind, row) for row in page.object_list]
        return {
            "kinds": [(k, label, counts[k]) for k, label in exceptions.KINDS.items()],
            "page": page,
            "extra": f"kind={kind}",
            "gap_years": exceptions.gap_years() if kind == "calendar_gaps" else [],
        }

    return _with_filters(
        request,
        "statistics/exceptions.html",
        build,
        section="exceptions",
        kind=kind,
        label=exceptions.KINDS[kind],
        hidden=[("kind", kind)],
        no_period=True,
    )


def _trend_rows(data: dict) -> dict:
    """The trends with the page's labels (categories in the reader's language) and charts."""
    categories = {c.pk: localized_name(c) for c in Category.objects.all()}
    by_category = [
        {
            **series,
            "label": categories.get(series["category"], series["label"]),
            "colour": index % charts.SERIES_COLOURS,
        }
        for index, series in enumerate(data["by_category"])
    ]
    months = data["months"]
    routes = [
        (str(ROUTES["convened"]), data["by_route"]["convened"]),
        (str(ROUTES["direct"]), data["by_route"]["direct"]),
    ]
    return {
        "months": months,
        "by_category": by_category,
        "category_chart": charts.stacked_bars(
            months, [(s["label"], s["counts"]) for s in by_category]
        ),
        "category_rows": [
            {"month": m, "cells": [(s["label"], s["counts"][i]) for s in by_category]}
            for i, m in enumerate(months)
        ],
        "route_chart": charts.stacked_bars(months, routes),
        "route_rows": [
            {"month": m, "convened": routes[0][1][i], "direct": routes[1][1][i]}
            for i, m in enumerate(months)
        ],
        "on_time": data["on_time"],
        "on_time_chart": charts.rate_line(months, data["on_time"]),
        "satisfaction": data["satisfaction"],
        "satisfaction_chart": charts.rate_bars(data["quarters"], data["satisfaction"]),
    }


@login_required
def trends_page(request):
    """趋势: cases per month by category and route, on-time rate per month, satisfaction per
    quarter; each chart drawn as SVG on the server with its numbers in a table beside it."""
    _office(request)

    def build(f):
        data, computed_at = rollup.figures("trends", f)
        return {
            "data": data,
            "computed_at": computed_at,
            "window_start": data["window"]["start"],
            **_trend_rows(data),
        }

    return _with_filters(request, "statistics/trends.html", build, section="trends")


def _weekly(request):
    """The week's filters, or the form's errors (a 400 page)."""
    _office(request)
    return weekly.filters_for(request.GET, request.user)


@login_required
def weekly_report(request):
    """周报: one week's figures on one printable page, with its Excel workbook."""
    try:
        f = _weekly(request)
    except ValidationError as invalid:
        context = {"errors": invalid.message_dict, "filters": None, "raw": request.GET, "week": ""}
        context.update(_choices(request.user), section="weekly", no_period=True)
        return render(request, "statistics/weekly.html", context, status=400)
    with reads_from_replica():
        data, computed_at = rollup.weekly_figures(f)
        context = {
            "computed_at": computed_at,
            "filters": f,
            "raw": request.GET,
            "errors": {},
            "data": data,
            "week": data["week"],
            "week_name": exports.week_name(f.start),
            # Drill-downs open the week as a custom period; the export takes the week.
            "query": f.query(),
            "export_query": f"week={data['week']}&{_other_filters(f)}".rstrip("&"),
            "rates": _rates_rows(data["rates"]),
            "section": "weekly",
            "no_period": True,
            **_choices(request.user),
        }
        return render(request, "statistics/weekly.html", context)


def _other_filters(f) -> str:
    """The filters beside the week, as a query string (links, the export)."""
    return "&".join(part for part in f.query().split("&") if part.split("=")[0] not in WEEK_SPAN)


WEEK_SPAN = ("period", "from", "to")


@login_required
@from_replica
def weekly_export(request):
    try:
        f = _weekly(request)
    except ValidationError:
        return redirect(f"{reverse('pages:statistics-weekly')}?{request.GET.urlencode()}")
    return exports.weekly_response(f, rollup.weekly_figures(f)[0])
