from django.urls import path

from workflow.pages import cases, home, items, rules, sessions

app_name = "pages"

urlpatterns = [
    path("", home.home, name="home"),
    path("notifications/", home.inbox, name="inbox"),
    path("notifications/<int:pk>/open/", home.notification_open, name="notification-open"),
    path("notifications/read-all/", home.notification_read_all, name="notification-read-all"),
    path("cases/", cases.case_list, name="case-list"),
    path("cases/new/", cases.case_new, name="case-new"),
    path("cases/<int:pk>/", cases.case_detail, name="case-detail"),
    path(
        "cases/<int:pk>/transitions/<str:name>/",
        cases.case_transition,
        name="case-transition",
    ),
    path("cases/<int:pk>/comments/", cases.case_comment, name="case-comment"),
    path("cases/<int:pk>/attachments/", cases.case_upload, name="case-upload"),
    path("cases/<int:pk>/rules/", rules.rule_new, name="rule-new"),
    path("cases/<int:pk>/rules/<int:rule_id>/", rules.rule_amend, name="rule-amend"),
    path("cases/<int:pk>/rules/<int:rule_id>/delete/", rules.rule_delete, name="rule-delete"),
    path("sessions/", sessions.session_list, name="session-list"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session-detail"),
    path("sessions/<int:pk>/minutes/", sessions.session_minutes, name="session-minutes"),
    path(
        "sessions/<int:pk>/transitions/<str:name>/",
        sessions.session_transition,
        name="session-transition",
    ),
    path("sessions/<int:pk>/participants/", sessions.participant_new, name="participant-new"),
    path(
        "sessions/<int:pk>/participants/<int:participant_id>/rsvp/",
        sessions.participant_answer,
        name="participant-rsvp",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_id>/attendance/",
        sessions.participant_attendance,
        name="participant-attendance",
    ),
    path(
        "sessions/<int:pk>/participants/<int:participant_id>/opinions/",
        sessions.opinion_new,
        name="opinion-new",
    ),
    path("items/", items.item_list, name="item-list"),
    path("items/<int:pk>/", items.item_detail, name="item-detail"),
    path(
        "items/<int:pk>/transitions/<str:name>/",
        items.item_transition,
        name="item-transition",
    ),
    path("items/<int:pk>/extensions/", items.extension_new, name="extension-new"),
    path("items/<int:pk>/supervision/", items.supervision_new, name="supervision-new"),
    path(
        "extensions/<int:pk>/transitions/<str:name>/",
        items.extension_transition,
        name="extension-transition",
    ),
    path(
        "supervision/<int:pk>/transitions/<str:name>/",
        items.notice_transition,
        name="notice-transition",
    ),
]
