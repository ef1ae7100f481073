"""Every page address, one line each, pointing into the subject that serves it."""

from django.urls import path

from workflow.casefile import pages as cases
from workflow.documents import pages as documents
from workflow.extensions import pages as extensions
from workflow.implementation import pages as implementation
from workflow.items import pages as items
from workflow.notifications import pages as notifications
from workflow.pages import home
from workflow.sessions import pages as sessions
from workflow.statistics import pages as statistics
from workflow.supervision import pages as supervision

app_name = "pages"

urlpatterns = [
    path("", home.home, name="home"),
    path("notifications/", notifications.inbox, name="inbox"),
    path("profile/", notifications.profile, name="profile"),
    path("notifications/<int:pk>/open/", notifications.notification_open, name="notification-open"),
    path(
        "notifications/read-all/", notifications.notification_read_all, name="notification-read-all"
    ),
    path("cases/", cases.case_list, name="case-list"),
    path("cases/new/", cases.case_new, name="case-new"),
    path("cases/<int:pk>/", cases.case_detail, name="case-detail"),
    path("cases/<int:pk>/edit/", cases.case_edit_page, name="case-edit"),
    path("cases/<int:pk>/delete/", cases.case_delete_page, name="case-delete"),
    path(
        "cases/<int:pk>/transitions/<str:name>/",
        cases.case_transition,
        name="case-transition",
    ),
    path("cases/<int:pk>/comments/", cases.case_comment, name="case-comment"),
    path("cases/<int:pk>/attachments/", cases.case_upload, name="case-upload"),
    path("cases/<int:pk>/rules/", implementation.rule_new, name="rule-new"),
    path("cases/<int:pk>/rules/sign-off/", implementation.sign_off_submit, name="rules-sign-off"),
    path(
        "cases/<int:pk>/rules/sign-off/<int:sign_off_id>/",
        implementation.sign_off_decide,
        name="rules-sign-off-decide",
    ),
    path("cases/<int:pk>/rules.pdf", documents.rules_pdf, name="rules-pdf"),
    path("cases/<int:pk>/owner/", cases.case_owner, name="case-owner"),
    path("office/workload/", cases.workload, name="workload"),
    path("cases/<int:pk>/rules/<int:rule_id>/", implementation.rule_amend, name="rule-amend"),
    path(
        "cases/<int:pk>/rules/<int:rule_id>/delete/", implementation.rule_delete, name="rule-delete"
    ),
    path("sessions/", sessions.session_list, name="session-list"),
    path("sessions/calendar/", sessions.session_calendar, name="session-calendar"),
    path("sessions/<int:pk>/calendar.ics", sessions.session_ics, name="session-ics"),
    path("calendar/<str:token>.ics", sessions.calendar_feed, name="calendar-feed"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session-detail"),
    path("sessions/<int:pk>/minutes/", sessions.session_minutes, name="session-minutes"),
    path("sessions/<int:pk>/minutes.pdf", documents.minutes_pdf, name="minutes-pdf"),
    path(
        "sessions/<int:pk>/transitions/<str:name>/",
        sessions.session_transition,
        name="session-transition",
    ),
    path("sessions/<int:pk>/participants/", sessions.participant_new, name="participant-new"),
    path(
        "sessions/<int:pk>/attendance/all/",
        sessions.participant_all_present,
        name="participant-all-present",
    ),
    path("sessions/<int:pk>/reschedule/", sessions.session_reschedule, name="session-reschedule"),
    path("sessions/<int:pk>/follow-up/", sessions.session_follow_up_new, name="session-follow-up"),
    path("sessions/<int:pk>/shared/", sessions.session_share, name="session-share"),
    path("sessions/<int:pk>/case/", sessions.session_case, name="session-case"),
    path(
        "sessions/<int:pk>/case/attachments/<int:attachment_id>/",
        sessions.session_case_attachment,
        name="session-case-attachment",
    ),
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
    path("items/<int:pk>/handler/", items.item_handler, name="item-handler"),
    path(
        "items/<int:pk>/transitions/<str:name>/",
        items.item_transition,
        name="item-transition",
    ),
    path("items/<int:pk>/extensions/", extensions.extension_new, name="extension-new"),
    path("items/<int:pk>/supervision/", supervision.supervision_new, name="supervision-new"),
    path(
        "extensions/<int:pk>/transitions/<str:name>/",
        extensions.extension_transition,
        name="extension-transition",
    ),
    path(
        "supervision/<int:pk>/transitions/<str:name>/",
        supervision.notice_transition,
        name="notice-transition",
    ),
    path("statistics/", statistics.board, name="statistics-board"),
    path("statistics/league/", statistics.league, name="statistics-league"),
    path("statistics/league/export/", statistics.league_export, name="statistics-league-export"),
    path("statistics/supervision/", statistics.register, name="statistics-register"),
    path(
        "statistics/supervision/export/",
        statistics.register_export,
        name="statistics-register-export",
    ),
    path(
        "statistics/supervision/items/<int:pk>/",
        statistics.register_issue,
        name="statistics-register-issue",
    ),
    path("statistics/exceptions/", statistics.exceptions_board, name="statistics-exceptions"),
    path("statistics/trends/", statistics.trends_page, name="statistics-trends"),
    path("statistics/weekly/", statistics.weekly_report, name="statistics-weekly"),
    path("statistics/weekly/export/", statistics.weekly_export, name="statistics-weekly-export"),
    path("statistics/cases/", statistics.case_drill, name="statistics-cases"),
    path("statistics/items/", statistics.item_drill, name="statistics-items"),
]
