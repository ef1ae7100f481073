"""Notifications (通知): what a person is told, kept until they have read it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user) if user.is_authenticated else self.none()

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one person about something that needs their attention."""

    class Kind(models.TextChoices):
        ACTION_ITEM_ASSIGNED = "action_item_assigned", _("新任务")
        ACTION_ITEM_RETURNED = "action_item_returned", _("任务被退回")
        INVITATION = "invitation", _("会议邀请")
        OPINION_REQUESTED = "opinion_requested", _("请发表意见")
        RULES_ISSUED = "rules_issued", _("实施细则已发布")
        INFO_REQUESTED = "info_requested", _("请补正材料")
        CONFIRMATION_REQUESTED = "confirmation_requested", _("请确认评价")
        DEADLINE = "deadline", _("时限提醒")
        SUPERVISION = "supervision", _("督办通知")
        OTHER = "other", _("其他")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=40, choices=Kind.choices)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    # Makes a notification idempotent: a scan that runs twice sends the same key once.
    dedupe_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="unique_notification_per_recipient_and_key",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return f"{self.recipient}: {self.title}"
