"""Action items (任务): each organisation's part of a case."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from cases.models import Attachment, Case
from config import timesource
from departments.models import Organisation
from workflow.items import permissions


class ActionItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one rule for which action items a person may see: owners see their items;
        whoever sees the case sees its items. Every read and every write of one item (its
        detail, transitions, extensions, supervision, the item page and its forms) finds the
        item here, so an item a person may not see is a 404 on every address
        (tests/test_item_access.py walks them).

        The case is checked per item (an EXISTS on its row), so looking up one item never builds
        the set of every case the user sees; lists use `listed_for`.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_coordinator or user.is_superuser:
            return self
        case_visible = Case.objects.visible_to(user).filter(pk=OuterRef("case_id"))
        return self.filter(Q(owner_id=user.organisation_id) | Exists(case_visible))

    def listed_for(self, user):
        """The items a person's lists show, always within `visible_to`: a department's or
        third party's own items (their work list; the other parties' items of a case they are
        involved in are read on the case and opened one by one), and for everyone else the
        items of the cases they see (the same rows as `visible_to`, read from the visible
        cases' side as their lists read them, a few hundred for an enterprise)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_coordinator or user.is_superuser:
            return self
        if user.is_department_officer:
            return self.owned_by(user)
        return self.filter(case__in=Case.objects.listed_for(user).order_by().values("pk"))

    def owned_by(self, user):
        return self.filter(owner_id=user.organisation_id) if user.organisation_id else self.none()

    def overdue(self, today=None):
        today = today or timesource.today()
        return self.filter(due_date__lt=today).exclude(status__in=ActionItem.CLOSED_STATES)


class ActionItem(ConcurrentTransitionMixin, models.Model):
    """An action item (任务): one organisation's part of a case: a deliverable by a due date."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("待签收")
        SIGNED = "signed", _("已签收")
        IN_PROGRESS = "in_progress", _("办理中")
        BLOCKED = "blocked", _("受阻")
        DONE = "done", _("已完成")
        RETURNED = "returned", _("已退回")
        CANCELLED = "cancelled", _("已撤销")

    CLOSED_STATES = [Status.DONE, Status.CANCELLED]

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="action_items")
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    # 经办人: the officer of the owning organisation who handles the item, named by its leader
    # (workflow.items.services.action_item_handler_set).
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_action_items",
    )
    title = models.CharField(_("任务"), max_length=200)
    deliverable = models.TextField(_("交付成果"), blank=True)
    due_date = models.DateField(_("办理期限"))
    status = FSMField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.ASSIGNED, protected=True
    )
    status_reason = models.TextField(_("退回或受阻原因"), blank=True)
    completion_note = models.TextField(_("办结说明"), blank=True)
    evidence = models.ManyToManyField(
        Attachment, verbose_name=_("佐证材料"), blank=True, related_name="evidence_for"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("交办时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        indexes = [
            models.Index(fields=["owner", "status"]),
            # Open items by due date: a department's work list and home card, and what is
            # overdue; a tenth of a city's items, so the closed ones stay out of the index.
            models.Index(
                fields=["owner", "due_date", "id"],
                condition=~Q(status__in=["done", "cancelled"]),
                name="item_open_by_owner_due",
            ),
            models.Index(
                fields=["due_date", "id"],
                condition=~Q(status__in=["done", "cancelled"]),
                name="item_open_by_due",
            ),
            # The office's cards of items in one state (returned, blocked), most urgent first.
            models.Index(fields=["status", "due_date", "id"], name="item_by_status_due"),
            # Every item by due date: the office's list of all items and its Excel export,
            # read in order instead of sorting a million rows.
            models.Index(fields=["due_date", "id"], name="item_by_due"),
            # The statistics: items assigned in a period (docs/statistics.md).
            models.Index(fields=["created_at"], name="item_created_at"),
            # Items completed in a period (the on-time rate, the weekly report).
            models.Index(fields=["completed_at"], name="item_completed_at"),
        ]

    def __str__(self):
        return f"{self.owner}: {self.title}"

    @transition(
        field=status, source=Status.ASSIGNED, target=Status.SIGNED, permission=permissions.is_owner
    )
    def sign(self):
        pass

    @transition(
        field=status,
        source=[Status.ASSIGNED, Status.SIGNED],
        target=Status.RETURNED,
        permission=permissions.is_owner,
    )
    def return_to_coordinator(self, reason):
        """退回: the owner says the item is not theirs; the coordinator reassigns it."""
        self.status_reason = reason

    @transition(
        field=status,
        source=Status.SIGNED,
        target=Status.IN_PROGRESS,
        permission=permissions.is_owner,
    )
    def start(self):
        pass

    @transition(
        field=status,
        source=[Status.SIGNED, Status.IN_PROGRESS],
        target=Status.BLOCKED,
        permission=permissions.is_owner,
    )
    def block(self, reason):
        self.status_reason = reason

    @transition(
        field=status,
        source=Status.BLOCKED,
        target=Status.IN_PROGRESS,
        permission=permissions.is_owner_or_coordinator,
    )
    def unblock(self):
        self.status_reason = ""

    @transition(
        field=status,
        source=[Status.SIGNED, Status.IN_PROGRESS],
        target=Status.DONE,
        permission=permissions.is_owner,
    )
    def complete(self, note):
        self.completion_note = note
        self.completed_at = timezone.now()

    @transition(
        field=status,
        source=Status.DONE,
        target=Status.IN_PROGRESS,
        permission=permissions.is_coordinator,
    )
    def rework(self, reason, due_date):
        """退回重办: the office's review sends a done item back to its owner."""
        self.status_reason = reason
        self.due_date = due_date
        self.completed_at = None

    @transition(
        field=status,
        source=Status.RETURNED,
        target=Status.ASSIGNED,
        permission=permissions.is_coordinator,
    )
    def reassign(self, owner):
        self.owner = owner
        self.handler = None  # the new organisation's leader names its own 经办人
        self.status_reason = ""

    @transition(
        field=status,
        source=[
            Status.ASSIGNED,
            Status.SIGNED,
            Status.IN_PROGRESS,
            Status.BLOCKED,
            Status.RETURNED,
        ],
        target=Status.CANCELLED,
        permission=permissions.is_coordinator,
    )
    def cancel(self, reason):
        self.status_reason = reason

    @property
    def is_overdue(self) -> bool:
        return self.status not in self.CLOSED_STATES and self.due_date < timesource.today()
