"""The joint session endpoints: thin views over the session services and `visible_to`."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.renderers import JSONRenderer, TemplateHTMLRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.errors import ErrorSerializer
from config.api.pagination import OldestFirstCursorPagination
from config.api.transitions import TransitionsView, transitions_schema
from config.replica import reads_from_replica
from workflow.casefile.api import ERRORS as CASE_ERRORS
from workflow.sessions.minutes import session_minutes
from workflow.sessions.models import JointSession, Opinion, SessionParticipant
from workflow.sessions.opinions import opinion_record
from workflow.sessions.participants import (
    participant_invite,
    participant_mark_attendance,
    participant_rsvp,
    participants_mark_all_present,
)
from workflow.sessions.serializers import (
    AttendanceSerializer,
    InviteSerializer,
    MinutesSerializer,
    OpinionInputSerializer,
    OpinionSerializer,
    ParticipantSerializer,
    RsvpSerializer,
    SessionCreateSerializer,
    SessionDetailSerializer,
    SessionFollowUpSerializer,
    SessionListSerializer,
    SessionUpdateSerializer,
    SharedAttachmentsSerializer,
)
from workflow.sessions.services import (
    attachment_share,
    session_create,
    session_follow_up,
    session_update,
)
from workflow.sessions.transitions import SESSION_TRANSITIONS
from workflow.statistics import list_exports

ERRORS = {
    **CASE_ERRORS,
    409: OpenApiResponse(ErrorSerializer, description="Not allowed in the session's state."),
}


def visible_sessions(user):
    return JointSession.objects.visible_to(user).select_related("case", "convener")


def session_detail_queryset(user):
    participants = SessionParticipant.objects.select_related("organisation", "person", "delegate")
    return visible_sessions(user).prefetch_related(
        Prefetch("participants", queryset=participants),
        "resolution__responsible_organisations",
        "resolution__adopted_by",
    )


class SessionFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=JointSession.Status.choices, distinct=False)
    case = filters.NumberFilter(field_name="case_id")

    class Meta:
        model = JointSession
        fields = ["status", "case"]


@extend_schema_view(
    get=extend_schema(
        summary="Joint sessions visible to the caller",
        responses={200: SessionListSerializer, 401: ERRORS[401]},
    ),
    post=extend_schema(
        summary="Schedule a joint session for a case (coordinators); convenes the case",
        request=SessionCreateSerializer,
        responses={201: SessionDetailSerializer, **ERRORS},
    ),
)
class SessionListView(generics.ListCreateAPIView):
    queryset = JointSession.objects.none()
    filterset_class = SessionFilter

    def get_queryset(self):
        return visible_sessions(self.request.user)

    def get_serializer_class(self):
        return SessionCreateSerializer if self.request.method == "POST" else SessionListSerializer

    def create(self, request, *args, **kwargs):
        serializer = SessionCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        session = session_create(by=request.user, **serializer.validated_data)
        session = session_detail_queryset(request.user).get(pk=session.pk)
        return Response(SessionDetailSerializer(session).data, status=status.HTTP_201_CREATED)


@extend_schema(
    summary="The joint sessions as an Excel workbook: the same filters and rows as the list",
    responses={**list_exports.XLSX_RESPONSES, 401: ERRORS[401]},
)
class SessionExportView(generics.ListAPIView):
    queryset = JointSession.objects.none()
    filterset_class = SessionFilter
    pagination_class = None

    def get_queryset(self):
        return visible_sessions(self.request.user).order_by("-created_at", "-id")  # the list's

    def list(self, request, *args, **kwargs):
        with reads_from_replica():
            return list_exports.sessions_workbook(self.filter_queryset(self.get_queryset()))


@extend_schema_view(
    get=extend_schema(responses={200: SessionDetailSerializer, 404: ERRORS[404]}),
    patch=extend_schema(
        summary="Reschedule or re-plan a session before it starts (coordinators)",
        request=SessionUpdateSerializer,
        responses={200: SessionDetailSerializer, **ERRORS},
    ),
)
class SessionDetailView(generics.RetrieveUpdateAPIView):
    queryset = JointSession.objects.none()
    serializer_class = SessionDetailSerializer
    http_method_names = ["get", "patch", "options", "head"]

    def get_queryset(self):
        return session_detail_queryset(self.request.user)

    def partial_update(self, request, *args, **kwargs):
        serializer = SessionUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        session_update(session=self.get_object(), by=request.user, **serializer.validated_data)
        return Response(SessionDetailSerializer(self.get_object()).data)


@transitions_schema(SESSION_TRANSITIONS, SessionDetailSerializer, "Session")
class SessionTransitionsView(TransitionsView):
    specs = SESSION_TRANSITIONS
    object_kwarg = "session"
    output_serializer = SessionDetailSerializer

    def get_queryset(self):
        return session_detail_queryset(self.request.user)

    def get_target_queryset(self):
        return JointSession.objects.visible_to(self.request.user)


class SessionChildMixin:
    """Under /sessions/{pk}/: the session must be visible, or the whole resource is a 404."""

    def get_session(self):
        if not hasattr(self, "_session"):
            self._session = get_object_or_404(
                visible_sessions(self.request.user), pk=self.kwargs["pk"]
            )
        return self._session

    def get_participant(self):
        return get_object_or_404(
            SessionParticipant.objects.select_related("organisation", "person", "delegate"),
            session=self.get_session(),
            pk=self.kwargs["participant_id"],
        )


@extend_schema_view(
    get=extend_schema(
        summary="The session's participants", responses={200: ParticipantSerializer, **ERRORS}
    ),
    post=extend_schema(
        summary="Invite a participant (coordinators)",
        request=InviteSerializer,
        responses={201: ParticipantSerializer, **ERRORS},
    ),
)
class SessionParticipantListView(SessionChildMixin, generics.ListCreateAPIView):
    queryset = SessionParticipant.objects.none()
    serializer_class = ParticipantSerializer
    pagination_class = OldestFirstCursorPagination

    def get_queryset(self):
        return SessionParticipant.objects.filter(session=self.get_session()).select_related(
            "organisation", "person", "delegate"
        )

    def create(self, request, *args, **kwargs):
        session = self.get_session()
        serializer = InviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        participant = participant_invite(
            session=session, by=request.user, **serializer.validated_data
        )
        return Response(ParticipantSerializer(participant).data, status=status.HTTP_201_CREATED)


class ParticipantRsvpView(SessionChildMixin, APIView):
    @extend_schema(
        summary="Answer an invitation (the invitee): accepted, declined or delegated",
        request=RsvpSerializer,
        responses={200: ParticipantSerializer, **ERRORS},
    )
    def post(self, request, pk, participant_id):
        participant = self.get_participant()
        serializer = RsvpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        participant = participant_rsvp(
            participant=participant, by=request.user, **serializer.validated_data
        )
        return Response(ParticipantSerializer(participant).data)


class ParticipantAttendanceView(SessionChildMixin, APIView):
    @extend_schema(
        summary="Mark a participant present or absent (coordinators, during the session)",
        request=AttendanceSerializer,
        responses={200: ParticipantSerializer, **ERRORS},
    )
    def post(self, request, pk, participant_id):
        participant = self.get_participant()
        serializer = AttendanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        participant = participant_mark_attendance(
            participant=participant, by=request.user, **serializer.validated_data
        )
        return Response(ParticipantSerializer(participant).data)


@extend_schema_view(
    get=extend_schema(
        summary="Every version of every opinion in the session, oldest first",
        responses={200: OpinionSerializer, **ERRORS},
    ),
    post=extend_schema(
        summary="Record an opinion, or a new version of it (the participant or delegate)",
        request=OpinionInputSerializer,
        responses={201: OpinionSerializer, **ERRORS},
    ),
)
class SessionOpinionListView(SessionChildMixin, generics.ListCreateAPIView):
    queryset = Opinion.objects.none()
    serializer_class = OpinionSerializer
    pagination_class = OldestFirstCursorPagination

    def get_queryset(self):
        return (
            Opinion.objects.filter(participant__session=self.get_session())
            .select_related("author", "participant__organisation", "participant__person")
            .select_related("participant__delegate")
            .prefetch_related("attachments")
        )

    def create(self, request, *args, **kwargs):
        session = self.get_session()
        serializer = OpinionInputSerializer(data=request.data, context={"session": session})
        serializer.is_valid(raise_exception=True)
        opinion = opinion_record(by=request.user, **serializer.validated_data)
        return Response(OpinionSerializer(opinion).data, status=status.HTTP_201_CREATED)


class SessionMinutesView(SessionChildMixin, APIView):
    renderer_classes = [JSONRenderer, TemplateHTMLRenderer]

    @extend_schema(
        summary="The minutes (会议纪要), generated from the record; ?format=html to print",
        responses={200: MinutesSerializer, 404: ERRORS[404]},
    )
    def get(self, request, pk):
        minutes = session_minutes(self.get_session())
        data = MinutesSerializer(minutes).data
        return Response(data, template_name="workflow/minutes.html")


class SessionFollowUpView(SessionChildMixin, APIView):
    @extend_schema(
        summary="Schedule the next session after an adjournment or a cancellation "
        "(coordinators); participants are carried over unless told otherwise",
        request=SessionFollowUpSerializer,
        responses={201: SessionDetailSerializer, **ERRORS},
    )
    def post(self, request, pk):
        session = self.get_session()
        serializer = SessionFollowUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = session_follow_up(session=session, by=request.user, **serializer.validated_data)
        new = session_detail_queryset(request.user).get(pk=new.pk)
        return Response(SessionDetailSerializer(new).data, status=status.HTTP_201_CREATED)


class SessionAllPresentView(SessionChildMixin, APIView):
    @extend_schema(
        summary="Mark every participant not yet marked (and not declined) present "
        "(coordinators, during the session)",
        request=None,
        responses={200: ParticipantSerializer(many=True), **ERRORS},
    )
    def post(self, request, pk):
        marked = participants_mark_all_present(session=self.get_session(), by=request.user)
        return Response(ParticipantSerializer(marked, many=True).data)


class SessionSharedAttachmentsView(SessionChildMixin, APIView):
    @extend_schema(
        summary="Choose which of the case's attachments the session's participants may read "
        "(coordinators); the ids sent are shared, the others are not",
        request=SharedAttachmentsSerializer,
        responses={200: SharedAttachmentsSerializer, **ERRORS},
    )
    def put(self, request, pk):
        session = self.get_session()
        serializer = SharedAttachmentsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        chosen = set(serializer.validated_data["attachments"])
        for attachment in session.case.attachments.all():
            attachment_share(attachment=attachment, by=request.user, shared=attachment.pk in chosen)
        shared = session.case.attachments.filter(shared_with_participants=True)
        return Response({"attachments": list(shared.values_list("pk", flat=True))})
