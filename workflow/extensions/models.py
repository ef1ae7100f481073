"""Extensions (延期申请): an action item's owner asks for a later due date; the office decides."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from workflow.items import permissions


class Extension(ConcurrentTransitionMixin, models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("待审批")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("未同意")

    action_item = models.ForeignKey(
        "workflow.ActionItem", on_delete=models.CASCADE, related_name="extensions"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("申请理由"))
    old_due_date = models.DateField(_("原办理期限"))
    requested_due_date = models.DateField(_("申请延至"))
    status = FSMField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.REQUESTED, protected=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = models.TextField(_("审批意见"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            models.UniqueConstraint(
                fields=["action_item"],
                condition=models.Q(status="requested"),
                name="one_pending_extension_per_action_item",
            )
        ]

    def __str__(self):
        return f"{self.action_item} → {self.requested_due_date}"

    @transition(
        field=status,
        source=Status.REQUESTED,
        target=Status.APPROVED,
        permission=permissions.is_coordinator,
    )
    def approve(self, note):
        self.decision_note = note

    @transition(
        field=status,
        source=Status.REQUESTED,
        target=Status.REFUSED,
        permission=permissions.is_coordinator,
    )
    def refuse(self, note):
        self.decision_note = note
