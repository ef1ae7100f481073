"""Extensions (延期申请) in the API: request and list on an action item, decide by transition."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from config.api.fields import ChoiceLabelField
from config.api.pagination import NewestIdFirstCursorPagination
from config.api.transitions import TransitionSpec, TransitionsView, transitions_schema
from departments.serializers import UserRefSerializer
from workflow.extensions import services
from workflow.extensions.models import Extension
from workflow.items.models import ActionItem


class ExtensionSerializer(serializers.ModelSerializer):
    requested_by = UserRefSerializer(read_only=True)
    decided_by = UserRefSerializer(read_only=True, allow_null=True)
    status_display = ChoiceLabelField(source="status", choices=Extension.Status.choices)

    class Meta:
        model = Extension
        fields = [
            "id",
            "action_item",
            "requested_by",
            "reason",
            "old_due_date",
            "requested_due_date",
            "status",
            "status_display",
            "decided_by",
            "decision_note",
            "created_at",
            "decided_at",
        ]


class ExtensionRequestSerializer(serializers.Serializer):
    due_date = serializers.DateField(label=_("申请延至"))
    reason = serializers.CharField(max_length=2000, label=_("申请理由"))


class DecisionInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


EXTENSION_TRANSITIONS = {
    "approve": TransitionSpec("approve", _("同意延期"), services.extension_approve, DecisionInput),
    "refuse": TransitionSpec("refuse", _("不同意延期"), services.extension_refuse, DecisionInput),
}


def visible_extensions(user):
    return Extension.objects.filter(
        action_item__in=ActionItem.objects.visible_to(user)
    ).select_related("requested_by", "decided_by", "action_item")


@extend_schema(
    summary="Extension requests of an action item",
    request=ExtensionRequestSerializer,
    responses={200: ExtensionSerializer, 201: ExtensionSerializer},
)
class ActionItemExtensionsView(generics.ListCreateAPIView):
    serializer_class = ExtensionSerializer
    pagination_class = NewestIdFirstCursorPagination
    queryset = Extension.objects.none()

    def item(self):
        return get_object_or_404(
            ActionItem.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def get_queryset(self):
        return visible_extensions(self.request.user).filter(action_item=self.item())

    def create(self, request, *args, **kwargs):
        data = ExtensionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        extension = services.extension_request(
            item=self.item(), by=request.user, **data.validated_data
        )
        return Response(ExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)


@transitions_schema(EXTENSION_TRANSITIONS, ExtensionSerializer, "Extension")
class ExtensionTransitionsView(TransitionsView):
    specs = EXTENSION_TRANSITIONS
    object_kwarg = "extension"
    output_serializer = ExtensionSerializer

    def get_queryset(self):
        return visible_extensions(self.request.user)
