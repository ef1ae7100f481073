"""Supervision notices (督办) in the API: issue on an overdue action item, list per case or per
organisation, answer by transition."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from config.api.fields import ChoiceLabelField
from config.api.pagination import NewestIdFirstCursorPagination
from config.api.transitions import TransitionSpec, TransitionsView, transitions_schema
from departments.serializers import OrganisationRefSerializer, UserRefSerializer
from workflow.items.models import ActionItem
from workflow.supervision import services
from workflow.supervision.models import SupervisionNotice


class SupervisionNoticeSerializer(serializers.ModelSerializer):
    owner = OrganisationRefSerializer(read_only=True)
    issued_by = UserRefSerializer(read_only=True)
    answered_by = UserRefSerializer(read_only=True, allow_null=True)
    status_display = ChoiceLabelField(source="status", choices=SupervisionNotice.Status.choices)

    class Meta:
        model = SupervisionNotice
        fields = [
            "id",
            "case",
            "action_item",
            "owner",
            "issued_by",
            "text",
            "answer_due",
            "status",
            "status_display",
            "answer",
            "answered_by",
            "created_at",
            "answered_at",
        ]


class IssueInput(serializers.Serializer):
    text = serializers.CharField(max_length=5000, label=_("督办意见"))


class AnswerInput(serializers.Serializer):
    answer = serializers.CharField(max_length=5000, label=_("书面答复"))


SUPERVISION_TRANSITIONS = {
    "answer": TransitionSpec(
        "answer_in_writing", _("书面答复"), services.supervision_answer, AnswerInput
    ),
}


def visible_notices(user):
    return SupervisionNotice.objects.filter(
        action_item__in=ActionItem.objects.visible_to(user)
    ).select_related("owner", "issued_by", "answered_by")


class SupervisionFilter(filters.FilterSet):
    class Meta:
        model = SupervisionNotice
        fields = ["case", "owner", "status"]


@extend_schema_view(get=extend_schema(summary="Supervision notices (filter by case, owner)"))
class SupervisionListView(generics.ListAPIView):
    serializer_class = SupervisionNoticeSerializer
    pagination_class = NewestIdFirstCursorPagination
    filterset_class = SupervisionFilter
    queryset = SupervisionNotice.objects.none()

    def get_queryset(self):
        return visible_notices(self.request.user)


@extend_schema(
    summary="Issue a supervision notice on an overdue action item",
    request=IssueInput,
    responses={201: SupervisionNoticeSerializer},
)
class ActionItemSupervisionView(generics.GenericAPIView):
    serializer_class = SupervisionNoticeSerializer
    queryset = SupervisionNotice.objects.none()

    def post(self, request, pk):
        item = get_object_or_404(ActionItem.objects.visible_to(request.user), pk=pk)
        data = IssueInput(data=request.data)
        data.is_valid(raise_exception=True)
        notice = services.supervision_issue(item=item, by=request.user, **data.validated_data)
        return Response(SupervisionNoticeSerializer(notice).data, status=status.HTTP_201_CREATED)


@transitions_schema(SUPERVISION_TRANSITIONS, SupervisionNoticeSerializer, "Supervision")
class SupervisionTransitionsView(TransitionsView):
    specs = SUPERVISION_TRANSITIONS
    object_kwarg = "notice"
    output_serializer = SupervisionNoticeSerializer

    def get_queryset(self):
        return visible_notices(self.request.user)
