"""The leaders' figures in the API (`/api/v1/statistics/…`): the board, the 三率, the league
table and a bureau's officers, the supervision register, the drill-down lists behind every
figure, and the Excel exports; each with the same filters as the pages.

The office reads every figure; a department's or third party's leader reads their own
organisation's (the department filter is theirs, another is refused with 403)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Case
from config.api.errors import ERRORS
from config.api.pagination import NewestIdFirstCursorPagination, OldestFirstCursorPagination
from config.api.rows import RowListMixin
from config.replica import reads_from_replica
from departments.serializers import OrganisationRefSerializer
from workflow.casefile.selectors import case_list_values
from workflow.casefile.serializers import CaseListSerializer, case_list_rows
from workflow.items.models import ActionItem
from workflow.items.selectors import action_item_list_values, evidence_ids
from workflow.items.serializers import ActionItemSerializer, action_item_list_rows
from workflow.statistics import exceptions, exports, rollup, selectors, weekly
from workflow.statistics.filters import PERIODS, ROUTES, Filters, parse
from workflow.supervision.models import SupervisionNotice

FILTER_PARAMETERS = [
    OpenApiParameter(
        "period",
        str,
        enum=list(PERIODS),
        description="This week, month, quarter or year; "
        "`custom` with `from` and `to`. Default `month`.",
    ),
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (with period=custom)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (with period=custom)."),
    OpenApiParameter("category", int, description="A category's id."),
    OpenApiParameter(
        "department",
        int,
        description="A department's or third party's id (a leader's own, whatever is given).",
    ),
    OpenApiParameter(
        "tier", str, description="The filing enterprise's tier (专精特新 ladder); empty for none."
    ),
    OpenApiParameter("route", str, enum=list(ROUTES), description="Assigned directly or convened."),
    OpenApiParameter(
        "channel", str, enum=Case.SourceChannel.values, description="The case's source channel."
    ),
]
READ_ERRORS = {400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403]}
XLSX = OpenApiResponse(OpenApiTypes.BINARY, description="An Excel workbook (.xlsx).")
SORTABLE = ["name", *selectors.LEAGUE_COLUMNS]


class FiltersMixin:
    """Figures and exports read from the read replica when there is one (config/replica.py);
    signing in and the permission checks before them read the primary."""

    filter_backends = []

    def filters(self) -> Filters:
        return parse(self.request.query_params, self.request.user)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._replica_reads = reads_from_replica()
        self._replica_reads.__enter__()

    def finalize_response(self, request, response, *args, **kwargs):
        if hasattr(self, "_replica_reads"):
            self._replica_reads.__exit__(None, None, None)
            del self._replica_reads
        return super().finalize_response(request, response, *args, **kwargs)


class RateSerializer(serializers.Serializer):
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True, help_text="None when nothing was due.")


class RatesSerializer(serializers.Serializer):
    response_cases = RateSerializer(help_text="Cases accepted within their acceptance limit.")
    response_items = RateSerializer(help_text="Action items signed for within their sign limit.")
    on_time = RateSerializer(help_text="Action items completed by their (extended) due date.")
    resolution = RateSerializer(help_text="Closed cases the enterprise confirmed as solved.")
    resolution_apart = serializers.DictField(child=serializers.IntegerField())
    satisfaction = RateSerializer(help_text="满意 + 基本满意 among the enterprise's answers.")
    satisfaction_apart = serializers.DictField(child=serializers.IntegerField())


class CountRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


class OpenCasesSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = CountRowSerializer(many=True)
    by_category = CountRowSerializer(many=True)
    by_urgency = CountRowSerializer(many=True)


class ClockSplitSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    name = serializers.CharField()
    on_time = serializers.IntegerField()
    yellow = serializers.IntegerField()
    red = serializers.IntegerField()


class OverviewSerializer(serializers.Serializer):
    period = serializers.DictField(child=serializers.DateField())
    open_cases = OpenCasesSerializer()
    items_by_department = ClockSplitSerializer(many=True)
    flow = serializers.DictField(child=serializers.IntegerField())
    route = serializers.DictField(child=serializers.IntegerField())
    median_working_days = serializers.DictField(child=serializers.FloatField(allow_null=True))
    rates = RatesSerializer()
    computed_at = serializers.DateTimeField(
        allow_null=True, help_text="When the daily rollup computed these; None when live."
    )


class LeagueRowSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    received = serializers.IntegerField()
    signed_late = serializers.IntegerField()
    completed_on_time = serializers.IntegerField()
    overdue_now = serializers.IntegerField()
    returned = serializers.IntegerField()
    extension_requested = serializers.IntegerField()
    extension_granted = serializers.IntegerField()
    supervised = serializers.IntegerField()
    supervision_late = serializers.IntegerField()
    median_days = serializers.FloatField(allow_null=True)
    response_items = RateSerializer()
    on_time = RateSerializer()


class LeagueSerializer(serializers.Serializer):
    results = LeagueRowSerializer(many=True)
    computed_at = serializers.DateTimeField(allow_null=True)


class OfficerRowSerializer(serializers.Serializer):
    officer = serializers.IntegerField(allow_null=True, help_text="None: not signed for yet.")
    name = serializers.CharField()
    received = serializers.IntegerField()
    completed = serializers.IntegerField()
    completed_on_time = serializers.IntegerField()
    overdue = serializers.IntegerField()


class RegisterRowSerializer(serializers.ModelSerializer):
    owner = OrganisationRefSerializer(read_only=True)
    action_item_title = serializers.CharField(source="action_item.title")
    case_reference = serializers.CharField(source="case.reference")
    state = serializers.SerializerMethodField(help_text="answered, late or open")
    answered_late = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionNotice
        fields = [
            "id",
            "case",
            "case_reference",
            "action_item",
            "action_item_title",
            "owner",
            "text",
            "answer_due",
            "state",
            "answered_late",
            "created_at",
            "answered_at",
        ]

    def get_state(self, notice) -> str:
        return selectors.register_state(notice)

    def get_answered_late(self, notice) -> bool:
        return selectors.answered_late(notice)


def _sorted(rows, params):
    sort = params.get("sort") or "overdue_now"
    if sort not in SORTABLE:
        raise ApiValidationError({"sort": [f"one of {', '.join(SORTABLE)}"]})
    order = params.get("order") or ("asc" if sort == "name" else "desc")
    if order not in ("asc", "desc"):
        raise ApiValidationError({"order": ["asc or desc"]})
    return selectors.sort_league(rows, sort, descending=order == "desc")


def league_rows(f: Filters, params):
    rows, computed_at = rollup.figures("league", f)
    return _sorted(rows, params), computed_at


def _state(params):
    state = params.get("state") or None
    if state is not None and state not in selectors.REGISTER_STATES:
        raise ApiValidationError({"state": ["answered, late or open"]})
    return state


@extend_schema(
    summary="The board: open cases, items by clock, flow, route, medians and the 三率",
    parameters=FILTER_PARAMETERS,
    responses={200: OverviewSerializer, **READ_ERRORS},
)
class OverviewView(FiltersMixin, APIView):
    def get(self, request):
        data, computed_at = rollup.figures("overview", self.filters())
        return Response({**data, "computed_at": computed_at})


@extend_schema(
    summary="The 三率, each as numerator, denominator and percentage",
    parameters=FILTER_PARAMETERS,
    responses={200: RatesSerializer, **READ_ERRORS},
)
class RatesView(FiltersMixin, APIView):
    def get(self, request):
        return Response(selectors.rates(self.filters()))


SORT_PARAMETERS = [
    OpenApiParameter("sort", str, enum=SORTABLE, description="Column; default overdue_now."),
    OpenApiParameter("order", str, enum=["asc", "desc"]),
]


@extend_schema(
    summary="部门考核: the league table of departments and third parties",
    parameters=FILTER_PARAMETERS + SORT_PARAMETERS,
    responses={200: LeagueSerializer, **READ_ERRORS},
)
class LeagueView(FiltersMixin, APIView):
    def get(self, request):
        rows, computed_at = league_rows(self.filters(), request.query_params)
        return Response({"results": rows, "computed_at": computed_at})


@extend_schema(
    summary="The league table as an Excel workbook",
    parameters=FILTER_PARAMETERS + SORT_PARAMETERS,
    responses={200: XLSX, **READ_ERRORS},
)
class LeagueExportView(FiltersMixin, APIView):
    def get(self, request):
        f = self.filters()
        rows, _computed_at = league_rows(f, request.query_params)
        return exports.league_response(f, rows)


@extend_schema(
    summary="A bureau's items of the period by the officer who signed for them",
    parameters=FILTER_PARAMETERS,
    responses={200: OfficerRowSerializer(many=True), **READ_ERRORS, 404: ERRORS[404]},
)
class OfficersView(FiltersMixin, APIView):
    def get(self, request, pk):
        f = parse({**request.query_params.dict(), "department": str(pk)}, request.user)
        return Response(selectors.officers(f, f.department))


REGISTER_PARAMETERS = [
    *FILTER_PARAMETERS,
    OpenApiParameter("state", str, enum=selectors.REGISTER_STATES),
]


@extend_schema(
    summary="督办台账: supervision notices with item, department, deadline and status",
    parameters=REGISTER_PARAMETERS,
    responses={200: RegisterRowSerializer(many=True), **READ_ERRORS},
)
class RegisterView(FiltersMixin, generics.ListAPIView):
    serializer_class = RegisterRowSerializer
    pagination_class = NewestIdFirstCursorPagination

    def get_queryset(self):
        return selectors.register(self.filters(), _state(self.request.query_params))


@extend_schema(
    summary="The supervision register as an Excel workbook",
    parameters=REGISTER_PARAMETERS,
    responses={200: XLSX, **READ_ERRORS},
)
class RegisterExportView(FiltersMixin, APIView):
    def get(self, request):
        return exports.register_response(self.filters(), _state(request.query_params))


def _measure(params, allowed, field="measure"):
    measure = params.get(field)
    if measure not in allowed:
        raise ApiValidationError({field: [f"one of {', '.join(allowed)}"]})
    return measure


@extend_schema(
    summary="The cases behind a figure",
    parameters=[
        *FILTER_PARAMETERS,
        OpenApiParameter("measure", str, enum=selectors.CASE_MEASURES, required=True),
    ],
    responses={200: CaseListSerializer(many=True), **READ_ERRORS},
)
class CaseDrillView(FiltersMixin, RowListMixin, generics.ListAPIView):
    queryset = Case.objects.none()
    serializer_class = CaseListSerializer
    pagination_class = NewestIdFirstCursorPagination

    def get_queryset(self):
        measure = _measure(self.request.query_params, selectors.CASE_MEASURES)
        cases = selectors.case_measure(self.filters(), measure)
        return cases.filter(pk__in=Case.objects.visible_to(self.request.user).values("pk"))

    def rows(self, queryset):
        return case_list_values(queryset.select_related("category", "enterprise"))

    def represent(self, rows):
        return case_list_rows(rows)


@extend_schema(
    summary="The action items behind a figure",
    parameters=[
        *FILTER_PARAMETERS,
        OpenApiParameter("measure", str, enum=selectors.ITEM_MEASURES, required=True),
    ],
    responses={200: ActionItemSerializer(many=True), **READ_ERRORS},
)
class ItemDrillView(FiltersMixin, RowListMixin, generics.ListAPIView):
    queryset = ActionItem.objects.none()
    serializer_class = ActionItemSerializer
    pagination_class = NewestIdFirstCursorPagination

    def get_queryset(self):
        measure = _measure(self.request.query_params, selectors.ITEM_MEASURES)
        return selectors.item_measure(self.filters(), measure)

    def rows(self, queryset):
        return action_item_list_values(queryset)

    def represent(self, rows):
        evidence = evidence_ids([row["id"] for row in rows]) if rows else {}
        return action_item_list_rows(rows, evidence)


class OfficeOnlyMixin(FiltersMixin):
    """Figures the office reads (coordinators, the office leader); a department leader: 403."""

    def filters(self) -> Filters:
        if not self.request.user.is_coordinator:
            raise PermissionDenied(_("只有政务服务办可以查看。"))
        return super().filters()


class ExceptionKindSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="One of: " + ", ".join(exceptions.KINDS))
    label = serializers.CharField()
    count = serializers.IntegerField()


class ExceptionRowSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="One of: " + ", ".join(exceptions.KINDS))
    id = serializers.IntegerField(help_text="The item's, case's, session's or clock's id.")
    case = serializers.IntegerField()
    case_reference = serializers.CharField()
    case_title = serializers.CharField()
    title = serializers.CharField()
    owner = serializers.CharField(help_text="The owning organisation (or the enterprise).")
    state = serializers.CharField()
    reason = serializers.CharField(help_text="Why it was blocked, returned, adjourned, cancelled.")
    since = serializers.DateField(
        help_text="Since when: the last change, the adjournment or cancellation, the clock's start."
    )
    due = serializers.DateField(allow_null=True)
    url = serializers.CharField(help_text="The page where it is resolved.")


EXCEPTION_PARAMETERS = [p for p in FILTER_PARAMETERS if p.name not in ("period", "from", "to")]


@extend_schema(
    summary="异常事项: how many of each kind stand now",
    parameters=EXCEPTION_PARAMETERS,
    responses={200: ExceptionKindSerializer(many=True), **READ_ERRORS},
)
class ExceptionsView(OfficeOnlyMixin, APIView):
    def get(self, request):
        counts = exceptions.counts(self.filters())
        return Response(
            [
                {"kind": kind, "label": str(label), "count": counts[kind]}
                for kind, label in exceptions.KINDS.items()
            ]
        )


class ExceptionRowsPagination(OldestFirstCursorPagination):
    """Oldest first by id: what has waited longest comes first."""


@extend_schema(
    summary="异常事项: the rows of one kind, each with the page where it is resolved",
    parameters=[
        *EXCEPTION_PARAMETERS,
        OpenApiParameter("kind", str, enum=list(exceptions.KINDS), required=True),
    ],
    responses={200: ExceptionRowSerializer(many=True), **READ_ERRORS},
)
class ExceptionRowsView(OfficeOnlyMixin, generics.ListAPIView):
    serializer_class = ExceptionRowSerializer
    pagination_class = ExceptionRowsPagination

    def kind(self) -> str:
        return _measure(self.request.query_params, list(exceptions.KINDS), field="kind")

    def get_queryset(self):
        f = self.filters()
        return exceptions.rows(f, self.kind()).order_by()

    def list(self, request, *args, **kwargs):
        kind = self.kind()
        page = self.paginate_queryset(self.get_queryset())
        rows = [exceptions.describe(kind, row) for row in page]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class CategorySeriesSerializer(serializers.Serializer):
    category = serializers.IntegerField()
    label = serializers.CharField()
    label_en = serializers.CharField()
    counts = serializers.ListField(child=serializers.IntegerField(), help_text="Per month.")


class MonthRateSerializer(RateSerializer):
    month = serializers.CharField(help_text="YYYY-MM")


class QuarterRateSerializer(RateSerializer):
    quarter = serializers.CharField(help_text="YYYYQn")


class TrendsSerializer(serializers.Serializer):
    window = serializers.DictField(
        child=serializers.DateField(), help_text="The period widened to twelve whole months."
    )
    months = serializers.ListField(child=serializers.CharField())
    by_category = CategorySeriesSerializer(many=True, help_text="Cases filed per month.")
    by_route = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="convened and direct: cases filed per month.",
    )
    on_time = MonthRateSerializer(many=True)
    quarters = serializers.ListField(child=serializers.CharField())
    satisfaction = QuarterRateSerializer(many=True)
    computed_at = serializers.DateTimeField(allow_null=True)


@extend_schema(
    summary="Trends: cases per month by category and route, on-time rate per month, "
    "satisfaction per quarter",
    parameters=FILTER_PARAMETERS,
    responses={200: TrendsSerializer, **READ_ERRORS},
)
class TrendsView(OfficeOnlyMixin, APIView):
    def get(self, request):
        data, computed_at = rollup.figures("trends", self.filters())
        return Response({**data, "computed_at": computed_at})


class WeeklyFiltersMixin(OfficeOnlyMixin):
    def filters(self) -> Filters:
        super().filters()  # the office only, and the other filters checked
        return weekly.filters_for(self.request.query_params, self.request.user)


class WeeklyOverdueRowSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    name = serializers.CharField()
    due = serializers.IntegerField(help_text="Items due in the week.")
    late = serializers.IntegerField(help_text="Of those, done after or still open past the date.")
    overdue_at_end = serializers.IntegerField(
        help_text="Overdue at the week's end (yesterday, for this week), earlier ones included."
    )


class WeeklySerializer(serializers.Serializer):
    week = serializers.CharField(help_text="ISO week, YYYY-Www.")
    start = serializers.DateField()
    end = serializers.DateField()
    flow = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="filed, accepted, resolved, closed, rejected, withdrawn.",
    )
    overdue_by_department = WeeklyOverdueRowSerializer(many=True)
    supervision = serializers.DictField(
        child=serializers.IntegerField(), help_text="issued, answered, answered_late."
    )
    sessions = serializers.DictField(
        child=serializers.IntegerField(), help_text="held, concluded, adjourned, cancelled."
    )
    rates = RatesSerializer()
    computed_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the daily rollup computed it (the last full week); None when live.",
    )


WEEKLY_PARAMETERS = [
    OpenApiParameter(
        "week", str, description="An ISO week, YYYY-Www (e.g. 2026-W48); default the last full one."
    ),
    *EXCEPTION_PARAMETERS,
]


@extend_schema(
    summary="周报: one week's figures",
    parameters=WEEKLY_PARAMETERS,
    responses={200: WeeklySerializer, **READ_ERRORS},
)
class WeeklyView(WeeklyFiltersMixin, APIView):
    def get(self, request):
        data, computed_at = rollup.weekly_figures(self.filters())
        return Response({**data, "computed_at": computed_at})


@extend_schema(
    summary="周报 as an Excel workbook",
    parameters=WEEKLY_PARAMETERS,
    responses={200: XLSX, **READ_ERRORS},
)
class WeeklyExportView(WeeklyFiltersMixin, APIView):
    def get(self, request):
        f = self.filters()
        return exports.weekly_response(f, rollup.weekly_figures(f)[0])
