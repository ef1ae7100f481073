"""Implementation rules of a case (/cases/{id}/rules/): drafted, issued, amended."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from config.api.pagination import OldestFirstCursorPagination
from departments.models import Organisation
from departments.serializers import OrganisationRefSerializer, UserRefSerializer
from workflow.casefile.api import CaseChildMixin
from workflow.implementation import services
from workflow.implementation.models import RuleAmendment, RuleItem
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
