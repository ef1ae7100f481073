"""Standing rules (常态化机制): /standing-rules/ (list, promote), a rule, its versions (amend,
put in force), retire; and /cases/{id}/standing-rule/ (the offer at triage, and applying it)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Case
from config.api.errors import ERRORS, ErrorSerializer
from config.api.pagination import NewestIdFirstCursorPagination, OldestFirstCursorPagination
from workflow.casefile.api import CaseChildMixin
from workflow.standing_rules import selectors, services
from workflow.standing_rules.models import StandingRule, StandingRuleVersion
from workflow.standing_rules.serializers import (
    AmendSerializer,
    ApplicationSerializer,
    ApplySerializer,
    CaseStandingRuleSerializer,
    PromoteSerializer,
    RetireSerializer,
    StandingRuleSerializer,
    StandingRuleVersionSerializer,
)

WRITE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(ErrorSerializer, description="Not allowed in the rule's or case's state."),
}


class RuleMixin:
    def get_rule(self):
        return get_object_or_404(selectors.rules_for(self.request.user), pk=self.kwargs["pk"])


@extend_schema_view(
    get=extend_schema(
        summary="Standing rules the caller may read (the office: all; a department: those "
        "that give it work)",
        responses={200: StandingRuleSerializer, 401: ERRORS[401]},
    ),
    post=extend_schema(
        summary="Promote a resolved case to a standing rule of its category (office leader)",
        request=PromoteSerializer,
        responses={201: StandingRuleSerializer, **WRITE_ERRORS},
    ),
)
class StandingRuleListView(generics.ListCreateAPIView):
    queryset = StandingRule.objects.none()
    serializer_class = StandingRuleSerializer
    pagination_class = NewestIdFirstCursorPagination

    def get_queryset(self):
        return selectors.rules_for(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            self.get_serializer(selectors.with_current(page), many=True).data
        )

    def create(self, request, *args, **kwargs):
        serializer = PromoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case = get_object_or_404(Case.objects.visible_to(request.user), pk=data.pop("case"))
        rule = services.standing_rule_promote(case=case, by=request.user, **data)
        return Response(
            StandingRuleSerializer(selectors.with_current([rule])[0]).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(summary="A standing rule", responses={200: StandingRuleSerializer, **ERRORS})
class StandingRuleDetailView(RuleMixin, generics.RetrieveAPIView):
    queryset = StandingRule.objects.none()
    serializer_class = StandingRuleSerializer

    def get_object(self):
        return selectors.with_current([self.get_rule()])[0]


@extend_schema_view(
    get=extend_schema(
        summary="A standing rule's versions, oldest first (departments: the published ones)",
        responses={200: StandingRuleVersionSerializer, **ERRORS},
    ),
    post=extend_schema(
        summary="Amend a standing rule: a new version, superseding the one in force on its "
        "effective date (office leader)",
        request=AmendSerializer,
        responses={201: StandingRuleVersionSerializer, **WRITE_ERRORS},
    ),
)
class StandingRuleVersionListView(RuleMixin, generics.ListCreateAPIView):
    queryset = StandingRuleVersion.objects.none()
    serializer_class = StandingRuleVersionSerializer
    pagination_class = OldestFirstCursorPagination

    def get_queryset(self):
        return selectors.versions_for(self.request.user, self.get_rule())

    def create(self, request, *args, **kwargs):
        serializer = AmendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = services.standing_rule_amend(
            rule=self.get_rule(), by=request.user, **serializer.validated_data
        )
        version = selectors.versions_for(request.user, version.rule).get(pk=version.pk)
        return Response(StandingRuleVersionSerializer(version).data, status=status.HTTP_201_CREATED)


@extend_schema(
    summary="Put a drafted version in force from its effective date (office leader)",
    request=None,
    responses={200: StandingRuleVersionSerializer, **WRITE_ERRORS},
)
class StandingRuleEnactView(RuleMixin, APIView):
    def post(self, request, pk, version):
        rule = self.get_rule()
        drafted = get_object_or_404(selectors.versions_for(request.user, rule), version=version)
        services.standing_rule_enact(version=drafted, by=request.user)
        return Response(
            StandingRuleVersionSerializer(
                selectors.versions_for(request.user, rule).get(pk=drafted.pk)
            ).data
        )


@extend_schema(
    summary="Retire a standing rule: no new case is handled under it (office leader)",
    request=RetireSerializer,
    responses={200: StandingRuleSerializer, **WRITE_ERRORS},
)
class StandingRuleRetireView(RuleMixin, APIView):
    def post(self, request, pk):
        rule = self.get_rule()
        serializer = RetireSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.standing_rule_retire(rule=rule, by=request.user, **serializer.validated_data)
        return Response(StandingRuleSerializer(selectors.with_current([self.get_rule()])[0]).data)


@extend_schema_view(
    get=extend_schema(
        summary="The standing rule the case was handled under, and (coordinators, at triage) "
        "the rules in force for its category",
        responses={200: CaseStandingRuleSerializer, **ERRORS},
    ),
    post=extend_schema(
        summary="Assign the case directly under a standing rule in force, without convening "
        "(coordinators; accepts a submitted case on the way)",
        request=ApplySerializer,
        responses={201: ApplicationSerializer, **WRITE_ERRORS},
    ),
)
class CaseStandingRuleView(CaseChildMixin, APIView):
    def get(self, request, pk):
        context = selectors.case_context(request.user, self.get_case())
        return Response(
            CaseStandingRuleSerializer(
                {
                    "application": context["standing_application"],
                    "offers": context["standing_offers"],
                }
            ).data
        )

    def post(self, request, pk):
        case = self.get_case()
        if not request.user.is_coordinator:
            # Before the rule is looked up: a department reads some rules, but applies none.
            raise PermissionDenied(_("只有协调员可以依常态化机制交办。"))
        serializer = ApplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rule = get_object_or_404(
            selectors.rules_for(request.user), pk=serializer.validated_data["standing_rule"]
        )
        application = services.standing_rule_apply(
            case=case, rule=rule, by=request.user, version=serializer.validated_data.get("version")
        )
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)
