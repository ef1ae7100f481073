"""Output and input shapes of the joint session API."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import Attachment, Case
from config.api.fields import ChoiceLabelField
from departments.models import Organisation, User
from departments.serializers import OrganisationRefSerializer, UserRefSerializer
from workflow.sessions import services
from workflow.sessions.models import JointSession, Opinion, Resolution, SessionParticipant


class ParticipantSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    person = UserRefSerializer(read_only=True, allow_null=True)
    delegate = UserRefSerializer(read_only=True, allow_null=True)
    name = serializers.CharField(source="display_name", read_only=True)
    capacity_display = ChoiceLabelField(
        source="capacity", choices=SessionParticipant.Capacity.choices
    )
    status_display = ChoiceLabelField(source="status", choices=SessionParticipant.Rsvp.choices)

    class Meta:
        model = SessionParticipant
        fields = [
            "id",
            "name",
            "capacity",
            "capacity_display",
            "organisation",
            "person",
            "required",
            "status",
            "status_display",
            "delegate",
            "rsvp_note",
            "attendance",
            "invited_at",
            "responded_at",
        ]


class ResolutionSerializer(serializers.ModelSerializer):
    responsible_organisations = OrganisationRefSerializer(many=True, read_only=True)
    adopted_by = UserRefSerializer(read_only=True)
    tally = serializers.DictField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = Resolution
        fields = [
            "summary",
            "legal_basis",
            "responsible_organisations",
            "tally",
            "adopted_by",
            "adopted_at",
        ]


class SessionListSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    case_title = serializers.CharField(source="case.title", read_only=True)
    convener = UserRefSerializer(read_only=True)
    status_display = ChoiceLabelField(source="status", choices=JointSession.Status.choices)

    class Meta:
        model = JointSession
        fields = [
            "id",
            "case",
            "case_reference",
            "case_title",
            "title",
            "scheduled_at",
            "place",
            "video_link",
            "status",
            "status_display",
            "convener",
            "created_at",
        ]


class QuorumGapSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["absent", "opinion", "legal_basis"])
    participant = serializers.IntegerField(required=False)
    name = serializers.CharField(required=False)


class SessionDetailSerializer(SessionListSerializer):
    agenda = serializers.ListField(child=serializers.CharField(), read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)
    resolution = serializers.SerializerMethodField()
    quorum_missing = serializers.SerializerMethodField()

    class Meta(SessionListSerializer.Meta):
        fields = [
            *SessionListSerializer.Meta.fields,
            "agenda",
            "outcome_reason",
            "notified_at",
            "started_at",
            "ended_at",
            "participants",
            "resolution",
            "quorum_missing",
        ]

    def get_resolution(self, session) -> ResolutionSerializer(allow_null=True):
        resolution = getattr(session, "resolution", None)
        return ResolutionSerializer(resolution).data if resolution else None

    def get_quorum_missing(self, session) -> QuorumGapSerializer(many=True):
        """What a resolution still lacks (participants and opinions), while the session is
        open; the legal basis is checked when the resolution is proposed."""
        return session.quorum_missing() if session.is_open else []


class SessionFieldsSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, label=_("会议名称"))
    scheduled_at = serializers.DateTimeField(label=_("会议时间"))
    agenda = serializers.ListField(
        child=serializers.CharField(max_length=500),
        required=False,
        max_length=50,
        label=_("议程"),
    )
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    video_link = serializers.URLField(max_length=200, required=False, allow_blank=True)


class SessionUpdateSerializer(SessionFieldsSerializer):
    """Any of the session's fields; only those sent change."""


class SessionFollowUpSerializer(SessionFieldsSerializer):
    """The next session after an adjournment or a cancellation: what is not sent is taken
    from the previous session."""

    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    carry_participants = serializers.BooleanField(
        required=False, default=True, label=_("沿用参会方")
    )


class SharedAttachmentsSerializer(serializers.Serializer):
    # Not required: a form cannot send an empty list, so "share none" is the field left out.
    attachments = serializers.ListField(
        child=serializers.IntegerField(),
        max_length=500,
        required=False,
        default=list,
        label=_("共享的附件"),
    )


class SessionCreateSerializer(SessionFieldsSerializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.none(), label=_("诉求事项"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A case the caller may not see is as unknown as one that does not exist.
        request = self.context.get("request")
        if request is not None:
            self.fields["case"].queryset = Case.objects.visible_to(request.user)


class ConcludeInput(serializers.Serializer):
    summary = serializers.CharField(max_length=10000, label=_("决议内容"))
    # Optional here so that a missing legal basis is reported with the quorum's other gaps.
    legal_basis = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, label=_("法律依据")
    )
    responsible_organisations = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True),
        many=True,
        required=False,
        label=_("责任单位"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        session = self.context.get("object")
        if session is not None:
            # Offered: the government side and the case's own enterprise (the service checks).
            self.fields[
                "responsible_organisations"
            ].child_relation.queryset = services.responsible_candidates(session).order_by(
                "kind", "name"
            )


class InviteSerializer(serializers.Serializer):
    capacity = serializers.ChoiceField(
        choices=SessionParticipant.Capacity.choices, label=_("参会身份")
    )
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True), required=False, allow_null=True
    )
    person = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    required = serializers.BooleanField(required=False, default=False, label=_("必须到会"))


class RsvpSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(
        choices=[
            SessionParticipant.Rsvp.ACCEPTED,
            SessionParticipant.Rsvp.DECLINED,
            SessionParticipant.Rsvp.DELEGATED,
        ],
        label=_("回复"),
    )
    delegate = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class AttendanceSerializer(serializers.Serializer):
    attendance = serializers.ChoiceField(
        choices=[SessionParticipant.Attendance.PRESENT, SessionParticipant.Attendance.ABSENT],
        label=_("出席"),
    )


class OpinionSerializer(serializers.ModelSerializer):
    participant_name = serializers.CharField(source="participant.display_name", read_only=True)
    stance_display = ChoiceLabelField(source="stance", choices=Opinion.Stance.choices)
    author = UserRefSerializer(read_only=True)
    attachments = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Opinion
        fields = [
            "id",
            "participant",
            "participant_name",
            "version",
            "stance",
            "stance_display",
            "reasons",
            "attachments",
            "author",
            "created_at",
        ]


class OpinionInputSerializer(serializers.Serializer):
    participant = serializers.PrimaryKeyRelatedField(
        queryset=SessionParticipant.objects.all(), label=_("参会方")
    )
    stance = serializers.ChoiceField(choices=Opinion.Stance.choices, label=_("意见"))
    reasons = serializers.CharField(
        max_length=10000, required=False, allow_blank=True, label=_("理由")
    )
    attachments = serializers.PrimaryKeyRelatedField(
        queryset=Attachment.objects.all(), many=True, required=False, label=_("附件")
    )

    def validate_participant(self, participant):
        if participant.session_id != self.context["session"].pk:
            raise serializers.ValidationError(_("该参会方不属于本次会议。"))
        return participant

    def validate_attachments(self, attachments):
        case_id = self.context["session"].case_id
        if any(attachment.case_id != case_id for attachment in attachments):
            raise serializers.ValidationError(_("附件必须是本诉求事项的附件。"))
        return attachments


class MinutesSerializer(serializers.Serializer):
    """会议纪要: what the record says, as JSON; `?format=html` gives the printable page."""

    session = SessionListSerializer()
    agenda = serializers.ListField(child=serializers.CharField())
    participants = ParticipantSerializer(many=True)
    opinions = OpinionSerializer(many=True, help_text="The latest version of each opinion.")
    resolution = ResolutionSerializer(allow_null=True)
