"""The precedents' and the search's API shapes."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import Case
from departments.serializers import OrganisationRefSerializer, UserRefSerializer
from workflow.precedents.models import PrecedentFollow
from workflow.precedents.search import KINDS, MAX_LENGTH
from workflow.precedents.services import assignment_rows
from workflow.precedents.similarity import MAX_SHOWN, SHOWN


class SimilarQuery(serializers.Serializer):
    limit = serializers.IntegerField(
        min_value=1,
        max_value=MAX_SHOWN,
        required=False,
        default=SHOWN,
        help_text=f"How many precedents, 1 to {MAX_SHOWN}; default {SHOWN}.",
    )


class PrecedentCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    reference = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    category = serializers.CharField(source="category.name")
    project_name = serializers.CharField()
    location = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    resolved_at = serializers.DateTimeField(allow_null=True)


class OutcomeSerializer(serializers.Serializer):
    route = serializers.ChoiceField(choices=["session", "direct"])
    route_label = serializers.CharField()
    departments = serializers.ListField(child=serializers.CharField())
    working_days = serializers.IntegerField(
        allow_null=True, help_text="Working days from submission to resolution."
    )
    rating = serializers.CharField(source="case.rating")
    satisfaction = serializers.CharField()


class ResolutionRefSerializer(serializers.Serializer):
    summary = serializers.CharField()
    legal_basis = serializers.CharField()


class PrecedentRuleSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    owner = OrganisationRefSerializer()
    deliverable = serializers.CharField()
    due_date = serializers.DateField()
    version = serializers.IntegerField()


class StepSerializer(serializers.Serializer):
    owner = OrganisationRefSerializer()
    title = serializers.CharField()
    deliverable = serializers.CharField()
    working_days = serializers.IntegerField()


class PrecedentSerializer(serializers.Serializer):
    case = PrecedentCaseSerializer()
    enterprise_name = serializers.CharField(
        allow_null=True, help_text="Null where the reader's role does not see who filed it."
    )
    score = serializers.FloatField()
    reasons = serializers.ListField(
        child=serializers.ChoiceField(
            choices=["category", "title", "description", "project", "location"]
        )
    )
    reason_labels = serializers.ListField(child=serializers.CharField())
    outcome = serializers.SerializerMethodField()
    resolution = ResolutionRefSerializer(allow_null=True)
    rules = PrecedentRuleSerializer(many=True)
    steps = StepSerializer(many=True)

    def get_outcome(self, precedent) -> OutcomeSerializer:
        return OutcomeSerializer(precedent).data


class SimilarSerializer(serializers.Serializer):
    results = PrecedentSerializer(many=True)


class FollowInput(serializers.Serializer):
    precedent = serializers.IntegerField(min_value=1, max_value=2**31 - 1, label=_("参照类案"))
    mode = serializers.ChoiceField(choices=PrecedentFollow.Mode.choices, label=_("参照方式"))


class FollowStepSerializer(serializers.Serializer):
    owner = serializers.IntegerField()
    owner_name = serializers.CharField()
    title = serializers.CharField()
    deliverable = serializers.CharField()
    working_days = serializers.IntegerField()


class PrecedentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "reference", "title"]


class AssignmentRowSerializer(serializers.Serializer):
    """A row for the assign transition (`organisation`, `title`, `deliverable`, `due_date`),
    due dates counted from today."""

    organisation = serializers.IntegerField()
    title = serializers.CharField()
    deliverable = serializers.CharField()
    due_date = serializers.DateField()


class FollowSerializer(serializers.ModelSerializer):
    precedent = serializers.SerializerMethodField()
    steps = FollowStepSerializer(many=True, read_only=True)
    followed_by = UserRefSerializer(read_only=True)
    assignments = serializers.SerializerMethodField()

    class Meta:
        model = PrecedentFollow
        fields = ["id", "precedent", "mode", "steps", "assignments", "followed_by", "followed_at"]

    def get_precedent(self, follow) -> PrecedentRefSerializer:
        return PrecedentRefSerializer(follow.precedent).data

    def get_assignments(self, follow) -> AssignmentRowSerializer(many=True):
        return AssignmentRowSerializer(assignment_rows(follow), many=True).data


class SearchQuery(serializers.Serializer):
    q = serializers.CharField(max_length=MAX_LENGTH, label=_("搜索词"))
    type = serializers.ChoiceField(choices=list(KINDS), required=False, default="case")


class SearchCaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    reference = serializers.CharField()
    title = serializers.CharField()


class HitSerializer(serializers.Serializer):
    type = serializers.CharField(source="kind")
    type_label = serializers.CharField(source="kind_label")
    id = serializers.IntegerField()
    title = serializers.CharField()
    excerpt = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    case = SearchCaseRefSerializer(allow_null=True)
    url = serializers.CharField(help_text="The page that shows it.")
    created_at = serializers.DateTimeField()
