from django.urls import include, path

from workflow.api import extensions, notifications, supervision, views

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="api-case-list"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="api-case-detail"),
    path(
        "cases/<int:pk>/transitions/",
        views.CaseTransitionsView.as_view(),
        name="api-case-transitions",
    ),
    path("cases/<int:pk>/events/", views.CaseEventListView.as_view(), name="api-case-events"),
    path(
        "cases/<int:pk>/attachments/",
        views.CaseAttachmentListView.as_view(),
        name="api-case-attachments",
    ),
    path(
        "cases/<int:pk>/attachments/<int:attachment_id>/download/",
        views.CaseAttachmentDownloadView.as_view(),
        name="api-case-attachment-download",
    ),
    path("cases/<int:pk>/comments/", views.CaseCommentListView.as_view(), name="api-case-comments"),
    path("action-items/", views.ActionItemListView.as_view(), name="api-action-item-list"),
    path(
        "action-items/<int:pk>/",
        views.ActionItemDetailView.as_view(),
        name="api-action-item-detail",
    ),
    path(
        "action-items/<int:pk>/transitions/",
        views.ActionItemTransitionsView.as_view(),
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
    path("", include("workflow.api.session_urls")),
]
