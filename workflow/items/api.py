"""The action item endpoints: the caller's items, one item, and its transitions."""

from django.db.models import Subquery
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Case
from config import timesource
from config.api.errors import ERRORS
from config.api.filters import FilterSet, StrictBooleanFilter
from config.api.pagination import NewestIdFirstCursorPagination
from config.api.rows import RowListMixin
from config.api.transitions import TransitionsView, transitions_schema
from config.locking import is_locked, mark_locked
from config.replica import reads_from_replica
from departments.models import User
from departments.serializers import UserRefSerializer
from workflow.deadlines.working_days import add_working_days
from workflow.items.models import ActionItem
from workflow.items.selectors import ITEM_ROW_COLUMNS, action_item_list_values, evidence_ids
from workflow.items.serializers import ActionItemSerializer, action_item_list_rows
from workflow.items.services import action_item_handler_set
from workflow.items.transitions import ACTION_ITEM_TRANSITIONS
from workflow.statistics import list_exports


class ActionItemFilter(FilterSet):
    status = filters.MultipleChoiceFilter(choices=ActionItem.Status.choices, distinct=False)
    case = filters.NumberFilter(field_name="case_id")
    overdue = StrictBooleanFilter(method="filter_overdue")
    due_within = filters.NumberFilter(
        method="filter_due_within",
        min_value=0,
        max_value=366,
        label="Open and due within this many working days",
    )

    class Meta:
        model = ActionItem
        fields = ["status", "case", "owner"]

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.overdue()
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_due_within(self, queryset, name, days):
        until = add_working_days(timesource.today(), int(days))
        return queryset.exclude(status__in=ActionItem.CLOSED_STATES).filter(due_date__lte=until)


class ActionItemQuerysetMixin:
    queryset = ActionItem.objects.none()

    def get_queryset(self):
        items = ActionItem.objects.listed_for(self.request.user)
        return items.select_related("owner", "case").prefetch_related("evidence")


@extend_schema(
    summary="Action items: your organisation's own (all of them for coordinators)",
    responses={200: ActionItemSerializer, 401: ERRORS[401]},
)
class ActionItemListView(RowListMixin, ActionItemQuerysetMixin, generics.ListAPIView):
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilter
    pagination_class = NewestIdFirstCursorPagination

    def rows(self, queryset):
        return action_item_list_values(queryset)

    def represent(self, rows):
        # Evidence is rare: one query over the page's links, skipped when the page is empty.
        evidence = evidence_ids([row["id"] for row in rows]) if rows else {}
        return action_item_list_rows(rows, evidence)


@extend_schema(
    summary="The action items as an Excel workbook: the same filters and rows as the list",
    responses={**list_exports.XLSX_RESPONSES, 401: ERRORS[401]},
)
class ActionItemExportView(ActionItemQuerysetMixin, generics.ListAPIView):
    filterset_class = ActionItemFilter
    pagination_class = None

    def list(self, request, *args, **kwargs):
        items = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        with reads_from_replica():
            return list_exports.items_workbook(items.order_by("-id"))  # the list's order


@extend_schema(responses={200: ActionItemSerializer, 404: ERRORS[404]})
class ActionItemDetailView(generics.RetrieveAPIView):
    serializer_class = ActionItemSerializer
    queryset = ActionItem.objects.none()

    def get_queryset(self):
        # One item: the visibility rule itself, not the work list (`listed_for`), so the
        # detail answers for exactly the items whose transitions, extensions and supervision
        # answer.
        items = ActionItem.objects.visible_to(self.request.user)
        return items.select_related("owner", "case").prefetch_related("evidence")


@transitions_schema(ACTION_ITEM_TRANSITIONS, ActionItemSerializer, "ActionItem")
class ActionItemTransitionsView(TransitionsView):
    specs = ACTION_ITEM_TRANSITIONS
    object_kwarg = "item"
    output_serializer = ActionItemSerializer

    def get_queryset(self):
        items = ActionItem.objects.visible_to(self.request.user)
        return items.select_related("owner", "case").prefetch_related("evidence")

    def get_target_queryset(self):
        return ActionItem.objects.visible_to(self.request.user)

    def get_answer_queryset(self):
        return ActionItem.objects.select_related("owner", "case").prefetch_related("evidence")

    def get_target(self, pk):
        # The case first, then the item (the services' order, so two writers cannot deadlock):
        # the case of the item if the caller may see the item, locked in that one statement;
        # then the item with its owner. The services use these locks (config/locking.py).
        visible = ActionItem.objects.visible_to(self.request.user).filter(pk=pk)
        case = get_object_or_404(
            Case.objects.select_for_update(), pk=Subquery(visible.values("case_id"))
        )
        items = ActionItem.objects.select_related("owner").select_for_update(of=("self",))
        item = items.get(pk=pk)
        item.case = mark_locked(case)
        return mark_locked(item)

    def answer_from(self, item) -> dict:
        if not is_locked(item):
            return self.answer(item.pk)
        # The item as its service saved it, with the case and owner in hand: only its
        # evidence is read. Shaped like the list's rows (selectors.action_item_list_values).
        row = {column: getattr(item, column) for column in ITEM_ROW_COLUMNS}
        row.update(
            case_reference=item.case.reference,
            case_title=item.case.title,
            owner_name=item.owner.name,
            owner_kind=item.owner.kind,
        )
        return action_item_list_rows([row], evidence_ids([item.pk]))[0]

    def answer(self, pk) -> dict:
        # Read from rows like the list (without the visibility rule: see TransitionsView).
        rows = list(action_item_list_values(ActionItem.objects.filter(pk=pk)))
        return action_item_list_rows(rows, evidence_ids([pk]))[0]


class ActionItemHandlerSerializer(serializers.Serializer):
    handler = UserRefSerializer(read_only=True, allow_null=True)


class ActionItemHandlerInputSerializer(serializers.Serializer):
    handler = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        allow_null=True,
        help_text="An officer of the item's owning organisation, or null to clear",
    )


class ActionItemHandlerView(APIView):
    """The item's 经办人 inside its owning organisation, named by that organisation's leader."""

    def get_item(self):
        return get_object_or_404(
            ActionItem.objects.visible_to(self.request.user).select_related("handler"),
            pk=self.kwargs["pk"],
        )

    @extend_schema(
        summary="Who handles the item (经办人)",
        responses={200: ActionItemHandlerSerializer, 404: ERRORS[404]},
    )
    def get(self, request, pk):
        return Response(ActionItemHandlerSerializer(self.get_item()).data)

    @extend_schema(
        summary="Name the item's 经办人 (a leader of its owning organisation), or clear it",
        request=ActionItemHandlerInputSerializer,
        responses={200: ActionItemHandlerSerializer, **ERRORS},
    )
    def put(self, request, pk):
        serializer = ActionItemHandlerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        action_item_handler_set(item=self.get_item(), by=request.user, **serializer.validated_data)
        return Response(ActionItemHandlerSerializer(self.get_item()).data)
