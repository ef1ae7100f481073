"""Every page address, one line each, pointing into the subject that serves it."""

from django.urls import path

from cases import pages as categories
from departments import directory
from workflow.casefile import pages as cases
from workflow.deadlines import pages as working_calendar
from workflow.documents import pages as documents
from workflow.extensions import pages as extensions
from workflow.implementation import pages as implementation
from workflow.interchange import pages as interchange
from workflow.items import pages as items
from workflow.notifications import pages as notifications
from workflow.pages import home
from workflow.precedents import pages as precedents
from workflow.sessions import pages as sessions
from workflow.standing_rules import pages as standing_rules
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
    path("cases/export/", cases.case_export, name="case-export"),
    path("cases/<int:pk>/", cases.case_detail, name="case-detail"),
    path("cases/<int:pk>/edit/", cases.case_edit_page, name="case-edit"),
    path("cases/<int:pk>/precedents/follow/", precedents.follow, name="precedent-follow"),
    path("search/", precedents.search_page, name="search"),
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
    path("cases/<int:pk>/open311/", interchange.case_open311, name="case-open311"),
    path("office/workload/", cases.workload, name="workload"),
    path("cases/<int:pk>/rules/<int:rule_id>/", implementation.rule_amend, name="rule-amend"),
    path(
        "cases/<int:pk>/rules/<int:rule_id>/delete/", implementation.rule_delete, name="rule-delete"
    ),
    path("sessions/", sessions.session_list, name="session-list"),
    path("sessions/export/", sessions.session_export, name="session-export"),
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
    path("items/export/", items.item_export, name="item-export"),
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
    path("standing-rules/", standing_rules.rule_list, name="standing-rule-list"),
    path("standing-rules/<int:pk>/", standing_rules.rule_detail, name="standing-rule-detail"),
    path("standing-rules/<int:pk>/amend/", standing_rules.rule_amend, name="standing-rule-amend"),
    path(
        "standing-rules/<int:pk>/retire/", standing_rules.rule_retire, name="standing-rule-retire"
    ),
    path(
        "standing-rules/<int:pk>/versions/<int:version>/enact/",
        standing_rules.rule_enact,
        name="standing-rule-enact",
    ),
    path(
        "cases/<int:pk>/standing-rule/promote/",
        standing_rules.rule_promote,
        name="standing-rule-promote",
    ),
    path(
        "cases/<int:pk>/standing-rule/apply/", standing_rules.rule_apply, name="standing-rule-apply"
    ),
    path("reference/calendar/", working_calendar.calendar_year, name="working-calendar"),
    path(
        "reference/calendar/import/",
        working_calendar.calendar_import,
        name="working-calendar-import",
    ),
    path("reference/calendar/<int:pk>/", working_calendar.calendar_day_edit, name="calendar-day"),
    path(
        "reference/calendar/<int:pk>/delete/",
        working_calendar.calendar_day_delete_page,
        name="calendar-day-delete",
    ),
    path("reference/categories/", categories.category_list, name="category-list"),
    path("reference/categories/new/", categories.category_new, name="category-new"),
    path("reference/categories/<int:pk>/", categories.category_edit, name="category-edit"),
    path(
        "reference/categories/<int:pk>/active/",
        categories.category_active,
        name="category-active",
    ),
    path(
        "reference/categories/<int:pk>/delete/",
        categories.category_delete_page,
        name="category-delete",
    ),
    path("reference/organisations/", directory.organisation_list, name="organisation-list"),
    path("reference/organisations/new/", directory.organisation_new, name="organisation-new"),
    path(
        "reference/organisations/<int:pk>/",
        directory.organisation_detail,
        name="organisation-detail",
    ),
    path(
        "reference/organisations/<int:pk>/edit/",
        directory.organisation_edit,
        name="organisation-edit",
    ),
    path(
        "reference/organisations/<int:pk>/active/",
        directory.organisation_active,
        name="organisation-active",
    ),
    path("reference/organisations/<int:pk>/people/new/", directory.person_new, name="person-new"),
    path("reference/people/<int:pk>/", directory.person_edit, name="person-edit"),
    path("reference/people/<int:pk>/active/", directory.person_active, name="person-active"),
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
