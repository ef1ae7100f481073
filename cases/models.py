"""The case (诉求事项) an enterprise files, with its category, attachments and comments."""

import uuid

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from cases import permissions
from cases.uploads import EXTENSIONS, display_name, served_type
from departments.models import Organisation


class Category(models.Model):
    """A problem category (问题类别) with its default time limits in working days."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    description = models.TextField(_("说明"), blank=True)
    accept_days = models.PositiveSmallIntegerField(_("受理时限（工作日）"), default=1)
    convene_days = models.PositiveSmallIntegerField(_("召集时限（工作日）"), default=5)
    rules_days = models.PositiveSmallIntegerField(_("出台细则时限（工作日）"), default=3)
    confirm_days = models.PositiveSmallIntegerField(_("确认时限（工作日）"), default=7)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")

    def __str__(self):
        return self.name


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one rule for who may see a case; every interface reads cases through it.

        Written so that an index serves each reader at a million cases (docs/performance.md):
        an organisation's or a person's involvements are one EXISTS on the case, which the
        planner runs either along the list's order (a department that sees a sixth of all cases)
        or from the involvement index (a deputy who sees a few); an enterprise's own cases and
        its involvements are a union of two indexed sets, never an OR across tables.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        # A draft is the enterprise's own until it is submitted, the office's included.
        if user.is_coordinator:
            return self.exclude(status=Case.Status.DRAFT)
        involved = CaseInvolvement.objects.filter(involves(user))
        if user.is_enterprise_user:
            own = Case.objects.filter(enterprise_id=user.organisation_id).order_by().values("pk")
            return self.filter(pk__in=own.union(involved.order_by().values("case_id")))
        # No case is newer than the newest one the user is involved in: the lists, newest
        # first, start their ordered scan there instead of testing every case filed since
        # (most of them still waiting to be assigned). Two single-row index lookups.
        return self.exclude(status=Case.Status.DRAFT).filter(
            Exists(involved.filter(case=OuterRef("pk"))),
            created_at__lte=newest_involvement(user),
        )

    def listed_for(self, user, *, by_status=False):
        """`visible_to(user)` for a list newest first: ordered by the alias `listed_at`, which
        always equals the case's `created_at` (ListedFirstCursorPagination), and read so that
        one index range serves a page (docs/performance.md, run F):

        - an enterprise's own cases are a range of `case_by_enterprise`, when it has no access
          to another's case (nothing but an invitation by name gives one, so it almost never
          has): one short lookup decides;
        - whoever sees cases only through access (a department, a third party, an invited
          person) reads its access rows, whose copy of `created_at` orders one range of
          `access_org_newest` or `access_person_newest`, joined to the cases by key; unless
          the member of an organisation also has access as a person (two sets to merge), or
          the list is `by_status`: a department is involved in few or none of the cases in a
          state before assignment, so the status index serves those better (`?status=submitted`
          would read the department's whole range for nothing).
        Everyone else, and those cases, read `visible_to` in the order of the case's own index.
        """
        ordinary = self.visible_to(user).alias(listed_at=F("created_at"))
        if not user.is_authenticated or not user.is_active:
            return ordinary
        if user.is_superuser or user.is_coordinator:
            return ordinary
        if user.is_enterprise_user:
            if CaseAccess.objects.filter(involves(user)).exists():
                return ordinary
            return self.filter(enterprise_id=user.organisation_id).alias(listed_at=F("created_at"))
        if by_status:
            return ordinary
        if not user.organisation_id:
            viewer = Q(accesses__person_id=user.pk)
        elif not CaseAccess.objects.filter(person_id=user.pk).exists():
            viewer = Q(accesses__organisation_id=user.organisation_id)
        else:
            return ordinary
        # One access row per viewer and case: the join repeats no case. The alias reuses the
        # filter's join.
        return (
            self.exclude(status=Case.Status.DRAFT)
            .filter(viewer)
            .alias(listed_at=F("accesses__case_created_at"))
        )


def newest_involvement(user):
    """When the newest case `user` is involved in was filed (NULL when there is none)."""

    def newest(**lookup):
        return Subquery(
            CaseInvolvement.objects.filter(**lookup)
            .order_by("-case_created_at")
            .values("case_created_at")[:1]
        )

    mine = newest(person=user.pk)
    if not user.organisation_id:
        return mine
    ours = newest(organisation_id=user.organisation_id)
    # GREATEST is NULL on SQLite as soon as one side is: each side falls back on the other.
    return Greatest(Coalesce(ours, mine), Coalesce(mine, ours))


def involves(user) -> Q:
    """The involvements that let `user` see a case: their organisation's, or their own."""
    if user.organisation_id:
        return Q(organisation_id=user.organisation_id) | Q(person=user)
    return Q(person=user)


class Case(ConcurrentTransitionMixin, models.Model):
    """A case (诉求事项): an obstacle an enterprise files that no single office can clear."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待受理")
        NEEDS_INFO = "needs_info", _("待补正")
        ACCEPTED = "accepted", _("已受理")
        CONVENING = "convening", _("召集中")
        DELIBERATED = "deliberated", _("已议定")
        IMPLEMENTING = "implementing", _("实施中")
        UNDER_REVIEW = "under_review", _("待审核")
        RESOLVED = "resolved", _("已办结（待确认）")
        CLOSED = "closed", _("已归档")
        REJECTED = "rejected", _("不予受理")
        WITHDRAWN = "withdrawn", _("已撤回")

    class ClosureKind(models.TextChoices):
        RATED = "rated", _("企业评价后归档")
        NO_ANSWER = "no_answer", _("企业逾期未确认，自动归档")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("一般")
        URGENT = "urgent", _("紧急")
        CRITICAL = "critical", _("特急")

    class SourceChannel(models.TextChoices):
        # Where the obstacle first came in (来源渠道); every channel but the own form files
        # through an external system (workflow.interchange).
        OWN_FORM = "own_form", _("本系统填报")
        HOTLINE_12345 = "hotline_12345", _("12345 热线")
        PORTAL = "portal", _("营商环境门户")
        VISIT = "visit", _("走访服务")
        DEPUTY = "deputy", _("代表建议")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    # States from which the enterprise may still withdraw: anything before resolution.
    WITHDRAWABLE = [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.NEEDS_INFO,
        Status.ACCEPTED,
        Status.CONVENING,
        Status.DELIBERATED,
        Status.IMPLEMENTING,
        Status.UNDER_REVIEW,
    ]

    reference = models.CharField(_("编号"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("诉求描述"))
    category = models.ForeignKey(
        Category, verbose_name=_("问题类别"), on_delete=models.PROTECT, related_name="cases"
    )
    project_name = models.CharField(_("涉及项目"), max_length=200, blank=True)
    location = models.CharField(_("地点"), max_length=200, blank=True)
    urgency = models.CharField(
        _("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    desired_date = models.DateField(_("期望解决日期"), null=True, blank=True)
    # A database default: the column is added to a million rows without rewriting them, and
    # rows written by code that does not know the field yet get it too.
    source_channel = models.CharField(
        _("来源渠道"),
        max_length=20,
        choices=SourceChannel.choices,
        default=SourceChannel.OWN_FORM,
        db_default=SourceChannel.OWN_FORM,
    )
    enterprise = models.ForeignKey(
        Organisation,
        verbose_name=_("诉求企业"),
        on_delete=models.PROTECT,
        related_name="filed_cases",
        limit_choices_to={"kind": Organisation.Kind.ENTERPRISE},
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        related_name="filed_cases",
    )
    status = FSMField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, protected=True
    )
    # 承办人: the coordinator in the office who owns the case, named by the office leader
    # (workflow.casefile.services.case_owner_set).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_cases",
    )
    rating = models.CharField(_("评价"), max_length=20, choices=Rating.choices, blank=True)
    closure_kind = models.CharField(
        _("归档方式"), max_length=20, choices=ClosureKind.choices, blank=True
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("诉求事项")
        verbose_name_plural = _("诉求事项")
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            # The pages list the most recently changed cases first.
            models.Index(fields=["-updated_at", "-id"], name="case_recently_updated"),
            # The case list filtered by 承办人, in its order; the workload page's counts.
            models.Index(
                fields=["owner", "-updated_at", "-id"],
                name="case_by_owner",
                condition=Q(owner__isnull=False),
            ),
            models.Index(
                fields=["owner", "status"],
                name="case_owner_status",
                condition=Q(owner__isnull=False),
            ),
            # The case list filtered by a channel other than the own form, in its order.
            models.Index(
                fields=["source_channel", "-updated_at", "-id"],
                name="case_by_channel",
                condition=~Q(source_channel="own_form"),
            ),
            # An enterprise's own cases newest first (CaseQuerySet.listed_for).
            models.Index(fields=["enterprise", "-created_at", "-id"], name="case_by_enterprise"),
            # The statistics count cases filed, resolved and closed in a period (a week's
            # report, a month's trend): a range of each moment (docs/statistics.md).
            models.Index(fields=["submitted_at"], name="case_submitted_at"),
            models.Index(fields=["resolved_at"], name="case_resolved_at"),
            models.Index(fields=["closed_at"], name="case_closed_at"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = f"SLT-{timezone.localdate():%Y%m%d}-{uuid.uuid4().hex[:6].upper()}"
        super().save(*args, **kwargs)

    # Transitions change this row's fields only. The services of workflow's subjects fire them
    # under a row lock and write the events, action items and notifications around them.

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.SUBMITTED,
        permission=permissions.is_case_enterprise_user,
    )
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.NEEDS_INFO,
        permission=permissions.is_coordinator,
    )
    def return_for_info(self):
        pass

    @transition(
        field=status,
        source=Status.NEEDS_INFO,
        target=Status.SUBMITTED,
        permission=permissions.is_case_enterprise_user,
    )
    def resubmit(self):
        self.submitted_at = timezone.now()

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.NEEDS_INFO],
        target=Status.REJECTED,
        permission=permissions.is_coordinator,
    )
    def reject(self):
        self.closed_at = timezone.now()

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.ACCEPTED,
        permission=permissions.is_coordinator,
    )
    def accept(self):
        pass

    @transition(
        field=status,
        source=[Status.ACCEPTED, Status.IMPLEMENTING],
        target=Status.IMPLEMENTING,
        permission=permissions.is_coordinator,
    )
    def assign(self):
        """Route the case directly to organisations; the service creates their action items."""

    @transition(
        field=status,
        source=[Status.ACCEPTED, Status.IMPLEMENTING],
        target=Status.CONVENING,
        conditions=[permissions.may_convene],
        permission=permissions.is_coordinator,
    )
    def convene(self):
        """召集审联体: the service creates the joint session in the same transaction."""

    @transition(
        field=status,
        source=Status.CONVENING,
        target=Status.DELIBERATED,
        permission=permissions.concludes_its_session,
    )
    def deliberate(self):
        """Fired by the service that concludes a joint session with a resolution."""

    @transition(
        field=status,
        source=Status.DELIBERATED,
        target=Status.IMPLEMENTING,
        conditions=[permissions.has_draft_rule_items],
        permission=permissions.is_office_leader,
    )
    def issue_rules(self):
        """出台实施细则: fired only when the office leader approves the rules (领导签批,
        workflow.implementation.services.rule_sign_off_approve), which publishes them and
        creates their action items."""

    @transition(
        field=status,
        source=Status.IMPLEMENTING,
        target=Status.UNDER_REVIEW,
        conditions=[permissions.all_action_items_done],
        permission=permissions.is_coordinator,
    )
    def submit_for_review(self):
        """Fired by the system when the last action item is done: the office reviews the
        evidence before the enterprise is asked to confirm."""

    @transition(
        field=status,
        source=Status.UNDER_REVIEW,
        target=Status.RESOLVED,
        conditions=[permissions.all_action_items_done],
        permission=permissions.is_coordinator,
    )
    def resolve(self):
        """After review, the office asks the enterprise to confirm (办结，请企业确认)."""
        self.resolved_at = timezone.now()

    @transition(
        field=status,
        source=Status.UNDER_REVIEW,
        target=Status.IMPLEMENTING,
        permission=permissions.is_coordinator,
    )
    def send_back(self):
        """退回重办: the service reopens the chosen action items with the office's reason."""

    @transition(
        field=status,
        source=Status.RESOLVED,
        target=RETURN_VALUE(Status.CLOSED, Status.ACCEPTED),
        permission=permissions.is_case_enterprise_user,
    )
    def confirm(self, rating):
        """The enterprise's answer: dissatisfied reopens the case, any other rating closes it."""
        self.rating = rating
        if rating == self.Rating.DISSATISFIED:
            self.resolved_at = None
            return self.Status.ACCEPTED
        self.closed_at = timezone.now()
        self.closure_kind = self.ClosureKind.RATED
        return self.Status.CLOSED

    @transition(field=status, source=Status.RESOLVED, target=Status.CLOSED)
    def close_unanswered(self):
        """Fired by the time-limit scan when the enterprise has not answered within the limit;
        kept apart from rated closures (no rating)."""
        self.closed_at = timezone.now()
        self.closure_kind = self.ClosureKind.NO_ANSWER

    @transition(
        field=status,
        source=WITHDRAWABLE,
        target=Status.WITHDRAWN,
        permission=permissions.is_case_enterprise_user,
    )
    def withdraw(self):
        self.closed_at = timezone.now()

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.CLOSED, self.Status.REJECTED, self.Status.WITHDRAWN)


class CaseInvolvement(models.Model):
    """An organisation or a person drawn into a case, who may therefore see it.

    Rows are written by the workflow when it assigns work or invites someone, and removed when
    that reason goes away, so visibility follows the work without a second rule.
    """

    class Reason(models.TextChoices):
        ACTION_ITEM = "action_item", _("承办任务")
        SESSION = "session", _("受邀参会")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="involvements")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    # The case's created_at, copied so that an organisation's or a person's newest involvement
    # is one index lookup (`newest_involvement`); a case's created_at never changes.
    case_created_at = models.DateTimeField(editable=False)

    class Meta:
        verbose_name = _("参与方")
        verbose_name_plural = _("参与方")
        indexes = [
            models.Index(
                fields=["organisation", "-case_created_at"],
                name="involvement_org_newest",
                condition=Q(organisation__isnull=False),
            ),
            models.Index(
                fields=["person", "-case_created_at"],
                name="involvement_person_newest",
                condition=Q(person__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, person__isnull=True)
                | Q(organisation__isnull=True, person__isnull=False),
                name="involvement_is_organisation_or_person",
            ),
            models.UniqueConstraint(
                fields=["case", "organisation", "reason"],
                condition=Q(organisation__isnull=False),
                name="unique_organisation_involvement",
            ),
            models.UniqueConstraint(
                fields=["case", "person", "reason"],
                condition=Q(person__isnull=False),
                name="unique_person_involvement",
            ),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.organisation or self.person} ({self.reason})"

    def save(self, *args, **kwargs):
        if self.case_created_at is None:
            self.case_created_at = self.case.created_at
        super().save(*args, **kwargs)


class CaseAccess(models.Model):
    """Who sees a case through its involvements: one row per organisation or person and case,
    however many involvements (an action item, a session) stand behind it.

    Kept equal to the involvements by `sync_case_access`, which every service that adds or
    removes one calls in the same transaction. The row carries its case's `created_at`, so an
    organisation's cases newest first are one range of `access_org_newest` joined to the cases
    by primary key (`CaseQuerySet.listed_for`): 21 rows read for a page, not the thousands of
    cases filed since that the organisation is not involved in (docs/performance.md, run F).
    The rule itself (`visible_to`: a case's detail, every lookup) reads the involvements.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="accesses")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # access_org_newest leads with it
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # access_person_newest leads with it
    )
    case_created_at = models.DateTimeField(editable=False)

    class Meta:
        verbose_name = _("可见范围")
        verbose_name_plural = _("可见范围")
        indexes = [
            models.Index(
                fields=["organisation", "-case_created_at", "-case"],
                name="access_org_newest",
                condition=Q(organisation__isnull=False),
            ),
            models.Index(
                fields=["person", "-case_created_at", "-case"],
                name="access_person_newest",
                condition=Q(person__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, person__isnull=True)
                | Q(organisation__isnull=True, person__isnull=False),
                name="access_is_organisation_or_person",
            ),
            models.UniqueConstraint(
                fields=["case", "organisation"],
                condition=Q(organisation__isnull=False),
                name="unique_organisation_access",
            ),
            models.UniqueConstraint(
                fields=["case", "person"],
                condition=Q(person__isnull=False),
                name="unique_person_access",
            ),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.organisation_id or self.person_id}"


def sync_case_access(case: Case) -> None:
    """Make the case's access rows exactly the organisations and persons of its involvements.

    Called inside the transaction of every service that adds or removes an involvement (which
    hold the case's row lock): a few short statements on the case's own rows."""
    wanted = set(
        CaseInvolvement.objects.filter(case=case)
        .values_list("organisation_id", "person_id")
        .distinct()
    )
    rows = {
        (organisation, person): pk
        for pk, organisation, person in CaseAccess.objects.filter(case=case).values_list(
            "pk", "organisation_id", "person_id"
        )
    }
    gone = [pk for viewer, pk in rows.items() if viewer not in wanted]
    if gone:
        CaseAccess.objects.filter(pk__in=gone).delete()
    CaseAccess.objects.bulk_create(
        CaseAccess(
            case=case,
            organisation_id=organisation,
            person_id=person,
            case_created_at=case.created_at,
        )
        for organisation, person in wanted - rows.keys()
    )


# Every involvement's viewer that has no access row, and every access row no involvement
# stands behind: what `sync_case_access` would fix case by case, for the whole table at once.
MISSING_ACCESS = """
INSERT INTO cases_caseaccess (case_id, organisation_id, person_id, case_created_at)
SELECT DISTINCT i.case_id, i.organisation_id, i.person_id, i.case_created_at
FROM cases_caseinvolvement i
WHERE NOT EXISTS (
    SELECT 1 FROM cases_caseaccess a WHERE a.case_id = i.case_id
    AND (a.organisation_id = i.organisation_id OR a.person_id = i.person_id)
)
"""
ORPHAN_ACCESS = """
DELETE FROM cases_caseaccess
WHERE NOT EXISTS (
    SELECT 1 FROM cases_caseinvolvement i WHERE i.case_id = cases_caseaccess.case_id
    AND (i.organisation_id = cases_caseaccess.organisation_id
         OR i.person_id = cases_caseaccess.person_id)
)
"""


def resync_case_access() -> tuple[int, int]:
    """Bring every case's access rows back to its involvements; returns (added, removed).

    For an upgrade: the previous release, still serving while this one's migration ran,
    involved organisations without writing their access (docs/upgrades.md)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(MISSING_ACCESS)
        added = cursor.rowcount
        cursor.execute(ORPHAN_ACCESS)
        return added, cursor.rowcount


INLINE_IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp"}


def attachment_path(instance, filename):
    # The stored name is random and takes the extension of the type detected in the content
    # (cases/uploads.py): the uploader's file name is kept only as data (original_name).
    suffix = EXTENSIONS.get(instance.content_type, (".bin",))[0]
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file attached to a case: supporting documents, or an action item's evidence."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=120)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # Marked by the coordinator: invited representatives who do not see the case may read it.
    shared_with_participants = models.BooleanField(_("与参会方共享"), default=False)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.original_name

    @property
    def download_name(self) -> str:
        """The name it is downloaded under: the uploader's words, the detected type's
        extension (rows stored before the rule are corrected here too)."""
        return display_name(self.original_name, self.content_type)

    @property
    def served_type(self) -> str:
        return served_type(self.content_type)

    @property
    def is_image(self) -> bool:
        """An image every browser shows inline (a thumbnail on the pages); TIFF is not one."""
        return self.content_type in INLINE_IMAGE_TYPES


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Internal comments are for government and invited parties, never the enterprise."""
        comments = self.filter(case__in=Case.objects.visible_to(user))
        if user.is_enterprise_user:
            comments = comments.filter(visibility=Comment.Visibility.SHARED)
        return comments


class Comment(models.Model):
    """A remark on a case, either internal to government or shared with the enterprise."""

    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("内部")
        SHARED = "shared", _("企业可见")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("内容"))
    visibility = models.CharField(
        _("可见范围"), max_length=10, choices=Visibility.choices, default=Visibility.SHARED
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("留言")
        verbose_name_plural = _("留言")

    def __str__(self):
        return self.body[:40]
