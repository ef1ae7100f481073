"""Implementation rules of a case (/cases/{id}/rules/): drafted, issued, amended."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from config.api.pagination import OldestFirstCursorPagination
from config.api.transitions import TransitionSpec, TransitionsView, transitions_schema
from departments.models import Organisation
from departments.serializers import OrganisationRefSerializer, UserRefSerializer
from workflow.casefile.api import CaseChildMixin
from workflow.implementation import services
from workflow.implementation.models import RuleAmendment, RuleItem, RuleSignOff
from workflow.implementation.selectors import rules_readable_by
from workflow.sessions.api import ERRORS


class AmendmentSerializer(serializers.ModelSerializer):
    amended_by = UserRefSerializer(read_only=True)
    changes = serializers.DictField(child=serializers.ListField(), read_only=True)

    class Meta:
        model = RuleAmendment
        fields = ["version", "reason", "changes", "amended_by", "amended_at"]


class RuleItemSerializer(serializers.ModelSerializer):
    owner = OrganisationRefSerializer(read_only=True)
    action_item_status = serializers.CharField(
        source="action_item.status", read_only=True, allow_null=True, default=None
    )
    amendments = AmendmentSerializer(many=True, read_only=True)

    class Meta:
        model = RuleItem
        fields = [
            "id",
            "number",
            "title",
            "owner",
            "deliverable",
            "due_date",
            "version",
            "session",
            "published_at",
            "action_item",
            "action_item_status",
            "amendments",
        ]


class RuleItemInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, label=_("事项"))
    owner = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(
            is_active=True, kind__in=[Organisation.Kind.DEPARTMENT, Organisation.Kind.THIRD_PARTY]
        ),
        label=_("责任单位"),
    )
    deliverable = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    due_date = serializers.DateField(label=_("完成期限"))


class RuleItemUpdateSerializer(RuleItemInputSerializer):
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        label=_("修订原因"),
        help_text="Required once the rules are published: the change is then an amendment.",
    )


@extend_schema_view(
    get=extend_schema(
        summary="The case's implementation rules, by number",
        responses={200: RuleItemSerializer, **ERRORS},
    ),
    post=extend_schema(
        summary="Draft a rule item (coordinators, while the case is deliberated)",
        request=RuleItemInputSerializer,
        responses={201: RuleItemSerializer, **ERRORS},
    ),
)
class CaseRuleListView(CaseChildMixin, generics.ListCreateAPIView):
    queryset = RuleItem.objects.none()
    serializer_class = RuleItemSerializer
    pagination_class = OldestFirstCursorPagination

    def get_queryset(self):
        return rules_readable_by(self.request.user, self.get_case())

    def create(self, request, *args, **kwargs):
        serializer = RuleItemInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.rule_item_add(
            case=self.get_case(), by=request.user, **serializer.validated_data
        )
        return Response(RuleItemSerializer(item).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(responses={200: RuleItemSerializer, **ERRORS}),
    patch=extend_schema(
        summary="Edit a draft rule item, or amend a published one (with a reason)",
        request=RuleItemUpdateSerializer,
        responses={200: RuleItemSerializer, **ERRORS},
    ),
    delete=extend_schema(summary="Delete a draft rule item", responses={204: None, **ERRORS}),
)
class CaseRuleDetailView(CaseChildMixin, generics.RetrieveUpdateDestroyAPIView):
    queryset = RuleItem.objects.none()
    serializer_class = RuleItemSerializer
    http_method_names = ["get", "patch", "delete", "options", "head"]

    def get_object(self):
        rules = rules_readable_by(self.request.user, self.get_case())
        return get_object_or_404(rules, pk=self.kwargs["rule_id"])

    def partial_update(self, request, *args, **kwargs):
        serializer = RuleItemUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.rule_item_update(
            item=self.get_object(), by=request.user, **serializer.validated_data
        )
        return Response(RuleItemSerializer(self.get_object()).data)

    def destroy(self, request, *args, **kwargs):
        services.rule_item_delete(item=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# The office leader's sign-off (领导签批) of the drafted rules.


class RuleSignOffSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    submitted_by = UserRefSerializer(read_only=True)
    decided_by = UserRefSerializer(read_only=True, allow_null=True)
    submitted_rules = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = RuleSignOff
        fields = [
            "id",
            "case",
            "status",
            "status_display",
            "note",
            "submitted_by",
            "submitted_at",
            "submitted_rules",
            "decided_by",
            "decided_at",
            "remarks",
        ]


class SignOffSubmitSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, label=_("报送说明")
    )


class SignOffApproveInput(serializers.Serializer):
    remarks = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, label=_("签批意见")
    )


class SignOffReturnInput(serializers.Serializer):
    # Blank is let through so the service answers in one place (and after the role check).
    remarks = serializers.CharField(max_length=2000, allow_blank=True, label=_("签批意见"))


SIGN_OFF_TRANSITIONS = {
    "approve": TransitionSpec(
        "approve",
        _("签批同意并发布"),
        services.rule_sign_off_approve,
        SignOffApproveInput,
        confirm=True,
    ),
    "send_back": TransitionSpec(
        "send_back", _("退回修改"), services.rule_sign_off_return, SignOffReturnInput
    ),
}


def sign_offs_visible_to(user):
    """Sign-offs are the office's own business: coordinators see them, nobody else."""
    if not (user.is_authenticated and user.is_coordinator):
        return RuleSignOff.objects.none()
    return RuleSignOff.objects.select_related("case", "submitted_by", "decided_by")


@extend_schema_view(
    get=extend_schema(
        summary="The case's sign-offs of its rules (领导签批), oldest first (coordinators)",
        responses={200: RuleSignOffSerializer, **ERRORS},
    ),
    post=extend_schema(
        summary="Submit the drafted rules to the office leader for sign-off (coordinators)",
        request=SignOffSubmitSerializer,
        responses={201: RuleSignOffSerializer, **ERRORS},
    ),
)
class CaseRuleSignOffListView(CaseChildMixin, generics.ListCreateAPIView):
    queryset = RuleSignOff.objects.none()
    serializer_class = RuleSignOffSerializer
    pagination_class = OldestFirstCursorPagination

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.get_case()  # 404 first for a case the caller does not see
        if not request.user.is_coordinator:
            raise PermissionDenied(_("只有政务服务办可以查看和报送细则签批。"))

    def get_queryset(self):
        return sign_offs_visible_to(self.request.user).filter(case=self.get_case())

    def create(self, request, *args, **kwargs):
        serializer = SignOffSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sign_off = services.rule_sign_off_submit(
            case=self.get_case(), by=request.user, **serializer.validated_data
        )
        return Response(RuleSignOffSerializer(sign_off).data, status=status.HTTP_201_CREATED)


@transitions_schema(SIGN_OFF_TRANSITIONS, RuleSignOffSerializer, "RuleSignOff")
class RuleSignOffTransitionsView(TransitionsView):
    """The office leader approves (which issues the rules) or returns them with remarks."""

    specs = SIGN_OFF_TRANSITIONS
    object_kwarg = "sign_off"
    output_serializer = RuleSignOffSerializer

    def get_queryset(self):
        return sign_offs_visible_to(self.request.user)
