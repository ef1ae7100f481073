"""Standing rules (常态化机制): how the office handles a recurring problem of one category,
promoted from a resolved case so that the next such case is assigned directly under it, without
convening a joint session.

A rule keeps every version. A version is drafted, put in force from an effective date, and
retired; an amendment is a new version that supersedes the one before on its own effective
date, so which version applies on a day is read from the dates (`in_force_on`), never from a
job that would have to run at midnight."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from cases.models import Case, Category
from departments.models import Organisation
from workflow.standing_rules import permissions

PUBLISHED = ["in_force", "retired"]


def _published_for(user) -> models.Q | None:
    """The versions a department or third party reads: put in force (retired ones too, for the
    items they still work on) with an item of their own. None: the user reads none."""
    if user.is_department_officer:
        return models.Q(status__in=PUBLISHED, items__owner_id=user.organisation_id)
    return None


class StandingRuleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The office reads every rule, drafts included; a department or third party reads the
        rules that give it work; nobody else reads them (an enterprise sees only that its own
        case was handled under one, on the case)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_coordinator or user.is_superuser:
            return self
        published = _published_for(user)
        if published is None:
            return self.none()
        versions = StandingRuleVersion.objects.filter(published).values("rule_id")
        return self.filter(pk__in=versions)


class StandingRuleVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The versions `user` reads, by the same rule as `StandingRuleQuerySet.visible_to`."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_coordinator or user.is_superuser:
            return self
        published = _published_for(user)
        if published is None:
            return self.none()
        return self.filter(pk__in=StandingRuleVersion.objects.filter(published).values("pk"))


class StandingRule(models.Model):
    """A standing rule (常态化机制) for one category, numbered once (常态化机制第 N 号); its
    content lives in its versions."""

    number = models.PositiveIntegerField(_("编号"), unique=True)
    category = models.ForeignKey(
        Category, verbose_name=_("问题类别"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("名称"), max_length=200)
    # The resolved case whose resolution and rules were promoted.
    source_case = models.ForeignKey(
        Case, verbose_name=_("来源诉求事项"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = StandingRuleQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("常态化机制")
        verbose_name_plural = _("常态化机制")

    def __str__(self):
        return f"{self.label} {self.title}"

    def get_absolute_url(self):
        return f"/standing-rules/{self.pk}/"

    @property
    def label(self) -> str:
        return _("常态化机制第%(n)s号") % {"n": self.number}

    def in_force_on(self, day):
        """The version that applies on `day`: in force, effective by then, the latest such."""
        return (
            self.versions.filter(status=StandingRuleVersion.Status.IN_FORCE, effective_on__lte=day)
            .order_by("-effective_on", "-version")
            .first()
        )


class StandingRuleVersion(ConcurrentTransitionMixin, models.Model):
    """One version (版本) of a standing rule: the resolution, its legal basis and its items,
    in force from its effective date until a later version's, or until retired."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草案")
        IN_FORCE = "in_force", _("已施行")
        RETIRED = "retired", _("已废止")

    rule = models.ForeignKey(StandingRule, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveSmallIntegerField(_("版本"))
    status = FSMField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, protected=True
    )
    summary = models.TextField(_("解决方案"))
    legal_basis = models.TextField(_("法律依据"))
    effective_on = models.DateField(_("生效日期"))
    # Why this version was made: empty for the first, the amendment's reason after.
    reason = models.TextField(_("修订原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    enacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("施行人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    enacted_at = models.DateTimeField(_("施行时间"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("废止人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    retired_at = models.DateTimeField(_("废止时间"), null=True, blank=True)
    retire_reason = models.TextField(_("废止原因"), blank=True)

    objects = StandingRuleVersionQuerySet.as_manager()

    class Meta:
        ordering = ["rule_id", "version"]
        verbose_name = _("常态化机制版本")
        verbose_name_plural = _("常态化机制版本")
        constraints = [
            models.UniqueConstraint(fields=["rule", "version"], name="unique_standing_version"),
            # One draft at a time: an amendment is drafted, then put in force or retired.
            models.UniqueConstraint(
                fields=["rule"], condition=models.Q(status="draft"), name="one_standing_draft"
            ),
        ]

    def __str__(self):
        return f"{self.rule.label} v{self.version}"

    @property
    def label(self) -> str:
        return _("%(rule)s（第%(v)s版）") % {"rule": self.rule.label, "v": self.version}

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.IN_FORCE,
        conditions=[
            permissions.has_items,
            permissions.effective_not_past,
            permissions.effective_after_previous,
        ],
        permission=permissions.is_office_leader,
    )
    def enact(self, by):
        """施行: in force from `effective_on`; the version before it applies until then."""
        self.enacted_by = by
        self.enacted_at = timezone.now()

    @transition(
        field=status,
        source=[Status.DRAFT, Status.IN_FORCE],
        target=Status.RETIRED,
        permission=permissions.is_office_leader,
    )
    def retire(self, by, reason):
        """废止: applies to no new case; the cases handled under it keep their record."""
        self.retired_by = by
        self.retired_at = timezone.now()
        self.retire_reason = reason


class StandingRuleItem(models.Model):
    """One item of a standing rule version: who does what within how many working days of the
    day the rule is applied (the action item's due date is counted from then)."""

    version = models.ForeignKey(StandingRuleVersion, on_delete=models.PROTECT, related_name="items")
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("事项"), max_length=200)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    deliverable = models.TextField(_("交付成果"), blank=True)
    working_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"))

    class Meta:
        ordering = ["version_id", "number"]
        verbose_name = _("常态化机制任务")
        verbose_name_plural = _("常态化机制任务")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "number"], name="unique_standing_item_number"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class StandingRuleApplication(models.Model):
    """A case handled under a standing rule (依常态化机制办理): which version, by whom, when.
    Part of the record: never changed."""

    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="standing_rule_application"
    )
    version = models.ForeignKey(
        StandingRuleVersion, on_delete=models.PROTECT, related_name="applications"
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(_("适用时间"), auto_now_add=True)

    class Meta:
        ordering = ["-applied_at", "-id"]
        verbose_name = _("依常态化机制办理")
        verbose_name_plural = _("依常态化机制办理")

    def __str__(self):
        return f"{self.case_id} ← {self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("An application is part of the record: it is never changed.")
        super().save(*args, **kwargs)
