from django.urls import path

from workflow.api import implementation_rules, sessions

urlpatterns = [
    path("sessions/", sessions.SessionListView.as_view(), name="api-session-list"),
    path("sessions/<int:pk>/", sessions.SessionDetailView.as_view(), name="api-session-detail"),
    path(
        "sessions/<int:pk>/transitions/",
        sessions.SessionTransitionsView.as_view(),
        name="api-session-transitions",
    ),
    path(
        "sessions/<int:pk>/participants/",
        sessions.SessionParticipantListView.as_view(),
        name="api-session-participants",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_id>/rsvp/",
        sessions.ParticipantRsvpView.as_view(),
        name="api-session-participant-rsvp",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_id>/attendance/",
        sessions.ParticipantAttendanceView.as_view(),
        name="api-session-participant-attendance",
    ),
    path(
        "sessions/<int:pk>/opinions/",
        sessions.SessionOpinionListView.as_view(),
        name="api-session-opinions",
    ),
    path(
        "sessions/<int:pk>/minutes/",
        sessions.SessionMinutesView.as_view(),
        name="api-session-minutes",
    ),
    path(
        "cases/<int:pk>/rules/",
        implementation_rules.CaseRuleListView.as_view(),
        name="api-case-rules",
    ),
    path(
        "cases/<int:pk>/rules/<int:rule_id>/",
        implementation_rules.CaseRuleDetailView.as_view(),
        name="api-case-rule-detail",
    ),
]
