"""Implementation rules (实施细则): the numbered steps that carry a resolution out."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from cases.models import Case
from departments.models import Organisation
from workflow.implementation import permissions
from workflow.items.models import ActionItem
from workflow.sessions.models import JointSession


class RuleItem(models.Model):
    """One numbered rule item: an owner organisation, a deliverable and a due date.

    A draft while the case is deliberated; published by `issue_rules`, which creates its action
    item. After publication it changes only by amendment (`RuleAmendment`, a new version).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="rule_items")
    session = models.ForeignKey(
        JointSession,
        verbose_name=_("依据会议"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rule_items",
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("事项"), max_length=200)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    deliverable = models.TextField(_("交付成果"), blank=True)
    due_date = models.DateField(_("完成期限"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    action_item = models.OneToOneField(
        ActionItem, on_delete=models.PROTECT, null=True, blank=True, related_name="rule_item"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["case_id", "number"]
        verbose_name = _("实施细则条目")
        verbose_name_plural = _("实施细则条目")
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="unique_rule_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class RuleAmendment(models.Model):
    """An amendment (修订) to a published rule item: what changed, why, and the new version.
    Part of the record: never changed (here and, on PostgreSQL, by a trigger)."""

    # PROTECT: only drafts are deleted, and a draft has no amendments; a cascade would issue a
    # DELETE here, which the app's database role may not (deploy/README.md).
    rule_item = models.ForeignKey(RuleItem, on_delete=models.PROTECT, related_name="amendments")
    version = models.PositiveSmallIntegerField(_("版本"))
    reason = models.TextField(_("修订原因"))
    # {"field": [old, new]}, dates as ISO strings.
    changes = models.JSONField(_("修订内容"))
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amended_at = models.DateTimeField(_("修订时间"), auto_now_add=True)

    class Meta:
        ordering = ["rule_item_id", "version"]
        verbose_name = _("细则修订")
        verbose_name_plural = _("细则修订")

    def __str__(self):
        return f"{self.rule_item} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("An amendment is never changed: amend the rule again.")
        super().save(*args, **kwargs)


class RuleSignOff(ConcurrentTransitionMixin, models.Model):
    """A sign-off (领导签批) of the drafted implementation rules: a coordinator submits them, the
    office leader approves (which issues them) or returns them with remarks. A case keeps every
    round; at most one waits for the leader at a time, and the drafts are frozen while it does.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("未报送")
        PENDING = "pending", _("待签批")
        APPROVED = "approved", _("已签批")
        RETURNED = "returned", _("已退回")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="rule_sign_offs")
    status = FSMField(
        _("签批状态"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        protected=True,
    )
    note = models.TextField(_("报送说明"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    # The rule items as they were submitted: what the leader signed.
    submitted_rules = models.JSONField(_("报送的细则"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签批人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("签批时间"), null=True, blank=True)
    remarks = models.TextField(_("签批意见"), blank=True)

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = _("细则签批")
        verbose_name_plural = _("细则签批")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="pending"),
                name="one_pending_sign_off_per_case",
            )
        ]

    def __str__(self):
        return f"{self.case} · {self.get_status_display()}"

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.PENDING,
        conditions=[permissions.case_has_drafts_to_sign],
        permission=permissions.is_coordinator,
    )
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(
        field=status,
        source=Status.PENDING,
        target=Status.APPROVED,
        permission=permissions.is_office_leader,
    )
    def approve(self, by, remarks=""):
        self.decided_by = by
        self.decided_at = timezone.now()
        self.remarks = remarks

    @transition(
        field=status,
        source=Status.PENDING,
        target=Status.RETURNED,
        permission=permissions.is_office_leader,
    )
    def send_back(self, by, remarks):
        self.decided_by = by
        self.decided_at = timezone.now()
        self.remarks = remarks
