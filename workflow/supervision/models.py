"""Supervision notices (督办): the office or a leader presses an overdue action item's owner,
who answers in writing within a number of working days."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from cases.models import Case
from departments.models import Organisation
from workflow.items import permissions


class SupervisionNotice(ConcurrentTransitionMixin, models.Model):
    class Status(models.TextChoices):
        ISSUED = "issued", _("待答复")
        ANSWERED = "answered", _("已答复")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supervision_notices")
    action_item = models.ForeignKey(
        "workflow.ActionItem", on_delete=models.CASCADE, related_name="supervision_notices"
    )
    owner = models.ForeignKey(
        Organisation, verbose_name=_("被督办单位"), on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("督办意见"))
    answer_due = models.DateField(_("答复期限"))
    status = FSMField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ISSUED, protected=True
    )
    answer = models.TextField(_("书面答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("督办时间"), auto_now_add=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("督办通知")
        verbose_name_plural = _("督办通知")

    def __str__(self):
        return f"{self.case} {self.action_item}"

    @transition(
        field=status, source=Status.ISSUED, target=Status.ANSWERED, permission=permissions.is_owner
    )
    def answer_in_writing(self, answer):
        self.answer = answer
