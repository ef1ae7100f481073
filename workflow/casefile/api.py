"""The case endpoints: thin views over the services and `visible_to`."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.downloads import attachment_response
from cases.models import Attachment, Case, Category, Comment
from config import timesource
from config.api.errors import ERRORS, ErrorSerializer
from config.api.filters import FilterSet, StrictBooleanFilter
from config.api.pagination import (
    ListedFirstCursorPagination,
    NewestIdFirstCursorPagination,
    OldestFirstCursorPagination,
)
from config.api.parsers import FormParser, MultiPartParser
from config.api.rows import RowListMixin
from config.api.transitions import TransitionsView, transitions_schema
from config.locking import mark_locked
from config.replica import reads_from_replica
from departments.models import Organisation, User
from workflow.casefile.contributions import attachment_add, attachment_remove, comment_add
from workflow.casefile.selectors import (
    CLOCK_COLUMNS,
    case_detail_values,
    case_list_values,
    case_rows,
    event_list_values,
    text_search,
)
from workflow.casefile.serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseListSerializer,
    CaseUpdateSerializer,
    CommentSerializer,
    EventSerializer,
    case_detail_row,
    case_list_rows,
    event_list_rows,
)
from workflow.casefile.services import (
    case_delete_draft,
    case_edit,
    case_file,
    case_owner_set,
)
from workflow.casefile.transitions import CASE_TRANSITIONS
from workflow.deadlines.models import Clock
from workflow.deadlines.working_days import WorkingCalendar, add_working_days
from workflow.items.models import ActionItem
from workflow.items.selectors import action_item_list_values, evidence_ids
from workflow.record.models import Event
from workflow.statistics import list_exports

# A change the case's state does not allow now: a submitted case is not a draft any more.
CHANGE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(ErrorSerializer, description="Not allowed in the case's state."),
}


def case_detail_queryset(user):
    return with_detail(case_rows(user))


def case_detail_json(cases, pk) -> dict:
    """A case of `cases` as CaseDetailSerializer shows it, read from rows
    (serializers.case_detail_row) in three or four short queries; a 404 if it is not there."""
    row = case_detail_values(cases.filter(pk=pk)).first()
    if row is None:
        raise Http404
    items = list(action_item_list_values(ActionItem.objects.filter(case_id=pk)))
    evidence = evidence_ids([item["id"] for item in items]) if items else {}
    clocks = Clock.objects.filter(case_id=pk).values(*CLOCK_COLUMNS)
    return case_detail_row(
        row, items, evidence, clocks, timesource.today(), WorkingCalendar.for_display()
    )


def with_detail(cases):
    """What CaseDetailSerializer reads, besides the case's category and enterprise."""
    return cases.select_related("filed_by", "owner").prefetch_related(
        Prefetch(
            "action_items",
            # Not select_related("case"): the prefetch sets each item's case to this one.
            queryset=ActionItem.objects.select_related("owner", "handler").prefetch_related(
                "evidence"
            ),
        ),
        "clocks",
    )


class CaseFilter(FilterSet):
    status = filters.MultipleChoiceFilter(choices=Case.Status.choices, distinct=False)
    category = filters.ModelChoiceFilter(queryset=Category.objects.all())
    enterprise = filters.ModelChoiceFilter(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE)
    )
    organisation = filters.NumberFilter(
        method="filter_organisation", label="Id of an organisation with an action item in it"
    )
    owner = filters.NumberFilter(
        field_name="owner_id", min_value=1, label="Id of the case's 承办人 (coordinator)"
    )
    unowned = StrictBooleanFilter(
        field_name="owner", lookup_expr="isnull", label="Without a 承办人 (true) or with one"
    )
    created_after = filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_before = filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    q = filters.CharFilter(
        method="filter_text",
        label="Text in title, description, reference, project or enterprise name",
    )
    overdue = StrictBooleanFilter(method="filter_overdue", label="With an open clock past due")
    due_within = filters.NumberFilter(
        method="filter_due_within",
        min_value=0,
        max_value=366,
        label="With an open clock due within this many working days",
    )

    class Meta:
        model = Case
        fields = ["status", "category", "enterprise", "urgency", "source_channel"]

    def filter_organisation(self, queryset, name, organisation):
        return queryset.filter(
            pk__in=ActionItem.objects.filter(owner_id=organisation).values("case_id")
        )

    def filter_overdue(self, queryset, name, value):
        late = Clock.objects.open().filter(due__lt=timesource.today()).values("case_id")
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)

    def filter_due_within(self, queryset, name, days):
        until = add_working_days(timesource.today(), int(days))
        return queryset.filter(pk__in=Clock.objects.open().filter(due__lte=until).values("case_id"))

    def filter_text(self, queryset, name, value):
        return text_search(queryset, value)


@extend_schema_view(
    get=extend_schema(
        summary="Cases visible to the caller", responses={200: CaseListSerializer, 401: ERRORS[401]}
    ),
    post=extend_schema(
        summary="File a case (as a draft, or submitted with submit=true)",
        request=CaseCreateSerializer,
        responses={201: CaseDetailSerializer, **ERRORS},
    ),
)
class CaseListView(RowListMixin, generics.ListCreateAPIView):
    queryset = Case.objects.none()  # for the schema; get_queryset applies visibility
    filterset_class = CaseFilter
    pagination_class = ListedFirstCursorPagination

    def get_queryset(self):
        return Case.objects.listed_for(
            self.request.user, by_status="status" in self.request.query_params
        )

    def rows(self, queryset):
        # The progress figures are subqueries that run for the page's rows only.
        return case_list_values(queryset)

    def represent(self, rows):
        return case_list_rows(rows)

    def get_serializer_class(self):
        return CaseCreateSerializer if self.request.method == "POST" else CaseListSerializer

    def create(self, request, *args, **kwargs):
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = case_file(by=request.user, **serializer.validated_data)
        case = case_detail_queryset(request.user).get(pk=case.pk)
        return Response(CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)


@extend_schema(
    summary="The case list as an Excel workbook: the same filters, the caller's cases only",
    responses={**list_exports.XLSX_RESPONSES, 401: ERRORS[401]},
)
class CaseExportView(generics.ListAPIView):
    queryset = Case.objects.none()  # for the schema; get_queryset applies visibility
    filterset_class = CaseFilter
    pagination_class = None

    def get_queryset(self):
        return case_rows(self.request.user).order_by("-created_at", "-id")  # the list's order

    def list(self, request, *args, **kwargs):
        with reads_from_replica():
            return list_exports.cases_workbook(self.filter_queryset(self.get_queryset()))


@extend_schema_view(
    get=extend_schema(responses={200: CaseDetailSerializer, 404: ERRORS[404]}),
    patch=extend_schema(
        summary="Edit a draft, or correct a case returned for more information (its enterprise)",
        request=CaseUpdateSerializer,
        responses={200: CaseDetailSerializer, **CHANGE_ERRORS},
    ),
    delete=extend_schema(
        summary="Delete a draft (its enterprise); a submitted case is withdrawn instead",
        responses={204: None, **CHANGE_ERRORS},
    ),
)
class CaseDetailView(generics.RetrieveAPIView):
    queryset = Case.objects.none()
    serializer_class = CaseDetailSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return case_detail_queryset(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        return Response(case_detail_json(Case.objects.visible_to(request.user), kwargs["pk"]))

    def patch(self, request, *args, **kwargs):
        case = self.get_object()
        changes = CaseUpdateSerializer(data=request.data)
        changes.is_valid(raise_exception=True)
        case_edit(case=case, by=request.user, **changes.validated_data)
        return Response(CaseDetailSerializer(self.get_object()).data)

    def delete(self, request, *args, **kwargs):
        case_delete_draft(case=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@transitions_schema(CASE_TRANSITIONS, CaseDetailSerializer, "Case")
class CaseTransitionsView(TransitionsView):
    specs = CASE_TRANSITIONS
    object_kwarg = "case"
    output_serializer = CaseDetailSerializer

    def get_queryset(self):
        return case_detail_queryset(self.request.user)

    def get_target_queryset(self):
        return Case.objects.visible_to(self.request.user)

    def get_target(self, pk):
        # Visible and locked in one statement; fire_case and the services that take the case
        # from it use this lock instead of reading the case again.
        locked = self.get_target_queryset().select_for_update(of=("self",))
        return mark_locked(get_object_or_404(locked, pk=pk))

    def get_answer_queryset(self):
        return with_detail(Case.objects.select_related("category", "enterprise"))

    def answer(self, pk) -> dict:
        # Read from rows like the detail; without the visibility rule (see TransitionsView).
        return case_detail_json(Case.objects.all(), pk)


class CaseChildMixin:
    """A list under /cases/{pk}/: the case must be visible, or the whole list is a 404."""

    def get_case(self):
        if not hasattr(self, "_case"):
            self._case = get_object_or_404(
                Case.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
            )
        return self._case


@extend_schema(
    summary="The case's timeline, oldest first", responses={200: EventSerializer, 404: ERRORS[404]}
)
class CaseEventListView(RowListMixin, CaseChildMixin, generics.ListAPIView):
    queryset = Event.objects.none()
    serializer_class = EventSerializer
    pagination_class = OldestFirstCursorPagination

    def rows(self, queryset):
        return event_list_values(queryset)

    def represent(self, rows):
        return event_list_rows(rows)

    def get_queryset(self):
        return (
            Event.objects.visible_to(self.request.user)
            .filter(case=self.get_case())
            .select_related("actor", "actor_organisation")
        )


@extend_schema_view(
    get=extend_schema(responses={200: AttachmentSerializer, 404: ERRORS[404]}),
    post=extend_schema(
        summary="Upload an attachment (multipart, field `file`)",
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer, **ERRORS},
    ),
)
class CaseAttachmentListView(CaseChildMixin, generics.ListCreateAPIView):
    queryset = Attachment.objects.none()
    serializer_class = AttachmentSerializer
    pagination_class = NewestIdFirstCursorPagination
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return Attachment.objects.filter(case=self.get_case()).select_related("uploaded_by")

    def create(self, request, *args, **kwargs):
        case = self.get_case()
        upload = AttachmentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        attachment = attachment_add(
            case=case, by=request.user, upload=upload.validated_data["file"]
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class CaseAttachmentDetailView(CaseChildMixin, APIView):
    @extend_schema(
        summary="Remove an attachment from a draft or a case being corrected (its enterprise)",
        responses={204: None, **CHANGE_ERRORS},
    )
    def delete(self, request, pk, attachment_id):
        attachment = get_object_or_404(Attachment, case=self.get_case(), pk=attachment_id)
        attachment_remove(attachment=attachment, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CaseAttachmentDownloadView(CaseChildMixin, APIView):
    @extend_schema(
        summary="Download an attachment",
        responses={(200, "application/octet-stream"): bytes, 404: ERRORS[404]},
    )
    def get(self, request, pk, attachment_id):
        attachment = get_object_or_404(Attachment, case=self.get_case(), pk=attachment_id)
        return attachment_response(attachment)


@extend_schema_view(
    get=extend_schema(responses={200: CommentSerializer, 404: ERRORS[404]}),
    post=extend_schema(responses={201: CommentSerializer, **ERRORS}),
)
class CaseCommentListView(CaseChildMixin, generics.ListCreateAPIView):
    queryset = Comment.objects.none()
    serializer_class = CommentSerializer
    pagination_class = NewestIdFirstCursorPagination

    def get_queryset(self):
        return (
            Comment.objects.visible_to(self.request.user)
            .filter(case=self.get_case())
            .select_related("author")
        )

    def create(self, request, *args, **kwargs):
        case = self.get_case()
        serializer = CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = comment_add(case=case, by=request.user, **serializer.validated_data)
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class CaseOwnerInputSerializer(serializers.Serializer):
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        allow_null=True,
        label=_("承办人"),
        help_text="A coordinator of the office, or null to clear",
    )


@extend_schema(
    summary="Name the case's 承办人 (the office leader), or clear it with null",
    request=CaseOwnerInputSerializer,
    responses={200: CaseDetailSerializer, **CHANGE_ERRORS},
)
class CaseOwnerView(APIView):
    def put(self, request, pk):
        case = get_object_or_404(case_rows(request.user), pk=pk)
        serializer = CaseOwnerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case_owner_set(case=case, by=request.user, **serializer.validated_data)
        return Response(CaseDetailSerializer(case_detail_queryset(request.user).get(pk=pk)).data)
