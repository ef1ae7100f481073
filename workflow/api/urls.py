"""Every API address, one line each, pointing into the subject that serves it."""

from django.urls import path

from workflow.casefile import api as cases
from workflow.documents import api as documents
from workflow.extensions import api as extensions
from workflow.implementation import api as implementation
from workflow.interchange import api as interchange
from workflow.items import api as items
from workflow.notifications import api as notifications
from workflow.precedents import api as precedents
from workflow.sessions import api as sessions
from workflow.standing_rules import api as standing_rules
from workflow.statistics import api as statistics
from workflow.supervision import api as supervision

urlpatterns = [
    path(
        "interchange/cases/",
        interchange.ExternalCaseListView.as_view(),
        name="api-interchange-cases",
    ),
    path(
        "interchange/cases/<str:external_reference>/",
        interchange.ExternalCaseDetailView.as_view(),
        name="api-interchange-case",
    ),
    path("cases/", cases.CaseListView.as_view(), name="api-case-list"),
    path("cases/export/", cases.CaseExportView.as_view(), name="api-case-export"),
    path("cases/<int:pk>/", cases.CaseDetailView.as_view(), name="api-case-detail"),
    path(
        "cases/<int:pk>/transitions/",
        cases.CaseTransitionsView.as_view(),
        name="api-case-transitions",
    ),
    path("cases/<int:pk>/events/", cases.CaseEventListView.as_view(), name="api-case-events"),
    path(
        "cases/<int:pk>/attachments/",
        cases.CaseAttachmentListView.as_view(),
        name="api-case-attachments",
    ),
    path(
        "cases/<int:pk>/attachments/<int:attachment_id>/",
        cases.CaseAttachmentDetailView.as_view(),
        name="api-case-attachment-detail",
    ),
    path(
        "cases/<int:pk>/attachments/<int:attachment_id>/download/",
        cases.CaseAttachmentDownloadView.as_view(),
        name="api-case-attachment-download",
    ),
    path("cases/<int:pk>/comments/", cases.CaseCommentListView.as_view(), name="api-case-comments"),
    path("cases/<int:pk>/similar/", precedents.CaseSimilarView.as_view(), name="api-case-similar"),
    path(
        "cases/<int:pk>/precedent-follows/",
        precedents.CasePrecedentFollowListView.as_view(),
        name="api-case-precedent-follows",
    ),
    path("search/", precedents.SearchView.as_view(), name="api-search"),
    path("action-items/", items.ActionItemListView.as_view(), name="api-action-item-list"),
    path(
        "action-items/export/", items.ActionItemExportView.as_view(), name="api-action-item-export"
    ),
    path(
        "action-items/<int:pk>/",
        items.ActionItemDetailView.as_view(),
        name="api-action-item-detail",
    ),
    path(
        "action-items/<int:pk>/transitions/",
        items.ActionItemTransitionsView.as_view(),
        name="api-action-item-transitions",
    ),
    path(
        "notifications/",
        notifications.NotificationListView.as_view(),
        name="api-notification-list",
    ),
    path(
        "notifications/<int:pk>/read/",
        notifications.NotificationReadView.as_view(),
        name="api-notification-read",
    ),
    path(
        "notifications/read-all/",
        notifications.NotificationReadAllView.as_view(),
        name="api-notification-read-all",
    ),
    path(
        "action-items/<int:pk>/extensions/",
        extensions.ActionItemExtensionsView.as_view(),
        name="api-action-item-extensions",
    ),
    path(
        "extensions/<int:pk>/transitions/",
        extensions.ExtensionTransitionsView.as_view(),
        name="api-extension-transitions",
    ),
    path(
        "action-items/<int:pk>/supervision/",
        supervision.ActionItemSupervisionView.as_view(),
        name="api-action-item-supervision",
    ),
    path("supervision/", supervision.SupervisionListView.as_view(), name="api-supervision-list"),
    path(
        "supervision/<int:pk>/transitions/",
        supervision.SupervisionTransitionsView.as_view(),
        name="api-supervision-transitions",
    ),
    path("sessions/", sessions.SessionListView.as_view(), name="api-session-list"),
    path("sessions/export/", sessions.SessionExportView.as_view(), name="api-session-export"),
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
        "sessions/<int:pk>/follow-up/",
        sessions.SessionFollowUpView.as_view(),
        name="api-session-follow-up",
    ),
    path(
        "sessions/<int:pk>/attendance/all-present/",
        sessions.SessionAllPresentView.as_view(),
        name="api-session-all-present",
    ),
    path(
        "sessions/<int:pk>/shared-attachments/",
        sessions.SessionSharedAttachmentsView.as_view(),
        name="api-session-shared-attachments",
    ),
    path(
        "sessions/<int:pk>/minutes/",
        sessions.SessionMinutesView.as_view(),
        name="api-session-minutes",
    ),
    path(
        "cases/<int:pk>/rules/",
        implementation.CaseRuleListView.as_view(),
        name="api-case-rules",
    ),
    path(
        "cases/<int:pk>/rules/sign-offs/",
        implementation.CaseRuleSignOffListView.as_view(),
        name="api-case-rule-sign-offs",
    ),
    path(
        "rule-sign-offs/<int:pk>/transitions/",
        implementation.RuleSignOffTransitionsView.as_view(),
        name="api-rule-sign-off-transitions",
    ),
    path("cases/<int:pk>/rules/pdf/", documents.CaseRulesPdfView.as_view(), name="api-rules-pdf"),
    path(
        "sessions/<int:pk>/minutes/pdf/",
        documents.SessionMinutesPdfView.as_view(),
        name="api-minutes-pdf",
    ),
    path("cases/<int:pk>/owner/", cases.CaseOwnerView.as_view(), name="api-case-owner"),
    path(
        "action-items/<int:pk>/handler/",
        items.ActionItemHandlerView.as_view(),
        name="api-action-item-handler",
    ),
    path(
        "cases/<int:pk>/rules/<int:rule_id>/",
        implementation.CaseRuleDetailView.as_view(),
        name="api-case-rule-detail",
    ),
    path(
        "standing-rules/",
        standing_rules.StandingRuleListView.as_view(),
        name="api-standing-rule-list",
    ),
    path(
        "standing-rules/<int:pk>/",
        standing_rules.StandingRuleDetailView.as_view(),
        name="api-standing-rule-detail",
    ),
    path(
        "standing-rules/<int:pk>/versions/",
        standing_rules.StandingRuleVersionListView.as_view(),
        name="api-standing-rule-versions",
    ),
    path(
        "standing-rules/<int:pk>/versions/<int:version>/enact/",
        standing_rules.StandingRuleEnactView.as_view(),
        name="api-standing-rule-enact",
    ),
    path(
        "standing-rules/<int:pk>/retire/",
        standing_rules.StandingRuleRetireView.as_view(),
        name="api-standing-rule-retire",
    ),
    path(
        "cases/<int:pk>/standing-rule/",
        standing_rules.CaseStandingRuleView.as_view(),
        name="api-case-standing-rule",
    ),
    path("statistics/overview/", statistics.OverviewView.as_view(), name="api-statistics-overview"),
    path("statistics/rates/", statistics.RatesView.as_view(), name="api-statistics-rates"),
    path("statistics/league/", statistics.LeagueView.as_view(), name="api-statistics-league"),
    path(
        "statistics/league/export/",
        statistics.LeagueExportView.as_view(),
        name="api-statistics-league-export",
    ),
    path(
        "statistics/league/<int:pk>/officers/",
        statistics.OfficersView.as_view(),
        name="api-statistics-officers",
    ),
    path(
        "statistics/supervision/",
        statistics.RegisterView.as_view(),
        name="api-statistics-register",
    ),
    path(
        "statistics/supervision/export/",
        statistics.RegisterExportView.as_view(),
        name="api-statistics-register-export",
    ),
    path(
        "statistics/exceptions/",
        statistics.ExceptionsView.as_view(),
        name="api-statistics-exceptions",
    ),
    path(
        "statistics/exceptions/rows/",
        statistics.ExceptionRowsView.as_view(),
        name="api-statistics-exception-rows",
    ),
    path("statistics/trends/", statistics.TrendsView.as_view(), name="api-statistics-trends"),
    path("statistics/weekly/", statistics.WeeklyView.as_view(), name="api-statistics-weekly"),
    path(
        "statistics/weekly/export/",
        statistics.WeeklyExportView.as_view(),
        name="api-statistics-weekly-export",
    ),
    path("statistics/cases/", statistics.CaseDrillView.as_view(), name="api-statistics-cases"),
    path("statistics/items/", statistics.ItemDrillView.as_view(), name="api-statistics-items"),
]
