"""Clocks (时限): one limit counted in working days on a case or an action item."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Case


class ClockQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=Clock.OPEN_STATES)

    def scanned(self):
        """The clocks the scan looks after: open and not paused."""
        return self.filter(state__in=Clock.SCANNED_STATES)


class Clock(models.Model):
    """A limit that started on a day and is due on a working day; stopped as met or missed."""

    class Kind(models.TextChoices):
        ACCEPT = "accept", _("受理")
        CONVENE = "convene", _("召集会议")
        ISSUE_RULES = "issue_rules", _("出台实施细则")
        ACTION_ITEM = "action_item", _("任务办理")
        CONFIRM = "confirm", _("企业确认")
        REVIEW = "review", _("办结审核")
        REOPEN = "reopen", _("重新办理")

    class State(models.TextChoices):
        RUNNING = "running", _("计时中")
        YELLOW = "yellow", _("即将到期")
        RED = "red", _("已超期")
        PAUSED = "paused", _("暂停")
        MET = "met", _("按时完成")
        MISSED = "missed", _("超期完成")

    OPEN_STATES = [State.RUNNING, State.YELLOW, State.RED, State.PAUSED]
    SCANNED_STATES = [State.RUNNING, State.YELLOW, State.RED]

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clocks")
    action_item = models.ForeignKey(
        "workflow.ActionItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="clocks",
    )
    started = models.DateField(_("起算日"))
    due = models.DateField(_("到期日"))
    limit_days = models.PositiveSmallIntegerField(_("时限（工作日）"), null=True, blank=True)
    paused_at = models.DateField(_("暂停日"), null=True, blank=True)
    paused_days = models.PositiveSmallIntegerField(_("暂停工作日数"), default=0)
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.RUNNING, db_index=True
    )
    notified = models.CharField(
        _("已提醒级别"),
        max_length=10,
        blank=True,
        help_text=_("已发出的最高一级提醒（yellow 或 red），重复扫描不再提醒。"),
    )
    yellow_on = models.DateField(
        _("黄灯日"),
        null=True,
        blank=True,
        help_text=_("用满 80% 工作日的那一天；空表示尚未计算。"),
    )
    stopped = models.DateField(_("结束日"), null=True, blank=True)
    calendar_gap = models.BooleanField(
        _("缺少节假日数据"),
        default=False,
        help_text=_("到期日落在未录入节假日的年份，仅按周末计算。"),
    )

    objects = ClockQuerySet.as_manager()

    class Meta:
        ordering = ["started", "id"]
        verbose_name = _("时限")
        verbose_name_plural = _("时限")
        indexes = [
            models.Index(fields=["state", "due"]),
            # The scan's candidates (scan.py): only the clocks it looks after (SCANNED_STATES),
            # a small share of the table.
            models.Index(
                fields=["state", "yellow_on"],
                condition=models.Q(state__in=["running", "yellow", "red"]),
                name="clock_scanned_yellow_on_idx",
            ),
            models.Index(
                fields=["state", "notified"],
                condition=models.Q(state__in=["running", "yellow", "red"]),
                name="clock_scanned_notified_idx",
            ),
            # The statistics: acceptance clocks started in a period (响应率).
            models.Index(
                fields=["started"],
                condition=models.Q(kind="accept", action_item__isnull=True),
                name="clock_accept_started",
            ),
            # A case's open clocks by due date: `?overdue=` and `?due_within=` test the cases
            # of a list newest first against it, and a closed case (most of them) has no entry;
            # the exceptions board finds by it the open cases nothing is timing.
            models.Index(
                fields=["case", "due"],
                condition=models.Q(state__in=["running", "yellow", "red", "paused"]),
                name="clock_open_by_case",
            ),
        ]

    def __str__(self):
        return f"{self.case} {self.get_kind_display()} → {self.due}"
