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
        CASE_SUBMITTED = "case_submitted", _("新诉求待受理")
        CASE_RESUBMITTED = "case_resubmitted", _("诉求已补正")
        RULE_ITEM_ASSIGNED = "rule_item_assigned", _("实施细则任务")
        ACTION_ITEM_BLOCKED = "action_item_blocked", _("任务受阻")
        EXTENSION_REQUESTED = "extension_requested", _("延期申请")
        EXTENSION_DECIDED = "extension_decided", _("延期审批结果")
        SUPERVISION_ANSWERED = "supervision_answered", _("督办答复")
        REVIEW_REQUESTED = "review_requested", _("待办结审核")
        ACTION_ITEM_REWORK = "action_item_rework", _("任务退回重办")
        CASE_REOPENED = "case_reopened", _("企业不满意")
        RULES_SIGN_OFF_REQUESTED = "rules_sign_off_requested", _("细则待签批")
        RULES_SIGNED_OFF = "rules_signed_off", _("细则已签批")
        RULES_SIGN_OFF_RETURNED = "rules_sign_off_returned", _("细则签批退回")
        CASE_OWNER_NAMED = "case_owner_named", _("承办诉求事项")
        ACTION_ITEM_HANDLER_NAMED = "action_item_handler_named", _("经办任务")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=40, choices=Kind.choices)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    # The parameters of the kind's sentences (workflow.notifications.kinds), put into words in
    # the reader's language when shown. `title` and `body` hold a literal text instead: rows
    # written before kinds had sentences, and callers that pass `title=`.
    params = models.JSONField(_("参数"), default=dict, blank=True)
    title = models.CharField(_("标题"), max_length=200, blank=True)
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
        return f"{self.recipient}: {self.rendered_title}"

    def render(self) -> tuple[str, str]:
        """(title, body) in the active language: the kind's sentences with the parameters, or
        the stored literal text."""
        from workflow.notifications.kinds import kind_of

        kind = kind_of(self.kind)
        if self.title or kind is None:
            return self.title, self.body
        try:
            return kind.render(self.params or {})
        except (KeyError, TypeError, ValueError):
            return str(kind.label), ""

    @property
    def rendered_title(self) -> str:
        return self.render()[0]

    @property
    def rendered_body(self) -> str:
        return self.render()[1]

    @property
    def kind_label(self) -> str:
        from workflow.notifications.kinds import label_of

        return label_of(self.kind)
