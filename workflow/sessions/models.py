"""Joint sessions (审联体会议) and their participants: who is invited, who answered, who came;
the opinions (意见) they record and the resolution (决议) the session adopts."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from cases.models import Attachment, Case
from departments.models import Organisation
from workflow.sessions import permissions


class JointSessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one rule for who may see a session: coordinators; the invited (a person, their
        delegate, or a member of an invited organisation); and whoever sees its case."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_coordinator or user.is_superuser:
            return self
        invited = Q(person=user) | Q(delegate=user)
        if user.organisation_id:
            invited |= Q(organisation_id=user.organisation_id)
        return self.filter(
            Exists(SessionParticipant.objects.filter(invited, session=OuterRef("pk")))
            | Q(case__in=Case.objects.visible_to(user))
        )


class JointSession(ConcurrentTransitionMixin, models.Model):
    """A joint session (审联体会议) convened for one case; a case keeps every session it had."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("已安排")
        NOTIFIED = "notified", _("已发通知")
        IN_PROGRESS = "in_progress", _("进行中")
        CONCLUDED = "concluded", _("已形成决议")
        ADJOURNED = "adjourned", _("休会待续")
        CANCELLED = "cancelled", _("已取消")

    OPEN_STATES = [Status.SCHEDULED, Status.NOTIFIED, Status.IN_PROGRESS]

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="sessions")
    title = models.CharField(_("会议名称"), max_length=200)
    agenda = models.JSONField(_("议程"), default=list, blank=True)
    scheduled_at = models.DateTimeField(_("会议时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    video_link = models.URLField(_("视频会议链接"), blank=True)
    convener = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("召集人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = FSMField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.SCHEDULED, protected=True
    )
    outcome_reason = models.TextField(_("休会或取消原因"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects = JointSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("审联体会议")
        verbose_name_plural = _("审联体会议")
        indexes = [
            # The sessions list and its Excel export, latest meeting first, read in order.
            models.Index(fields=["-scheduled_at", "-id"], name="session_by_scheduled"),
        ]

    def __str__(self):
        return self.title

    @transition(
        field=status,
        source=Status.SCHEDULED,
        target=Status.NOTIFIED,
        conditions=[permissions.has_participants],
        permission=permissions.is_coordinator,
    )
    def notify(self):
        """Send the invitations; the service notifies every invitee."""
        self.notified_at = timezone.now()

    @transition(
        field=status,
        source=Status.NOTIFIED,
        target=Status.IN_PROGRESS,
        permission=permissions.is_coordinator,
    )
    def start(self):
        self.started_at = timezone.now()

    @transition(
        field=status,
        source=Status.IN_PROGRESS,
        target=Status.CONCLUDED,
        conditions=[permissions.quorum_met],
        permission=permissions.is_coordinator,
    )
    def conclude(self):
        """Adopt a resolution; the service writes it and moves the case to deliberated."""
        self.ended_at = timezone.now()

    @transition(
        field=status,
        source=Status.IN_PROGRESS,
        target=Status.ADJOURNED,
        permission=permissions.is_coordinator,
    )
    def adjourn(self, reason):
        """休会: no resolution; the case stays convening for a follow-up session."""
        self.outcome_reason = reason
        self.ended_at = timezone.now()

    @transition(
        field=status,
        source=[Status.SCHEDULED, Status.NOTIFIED],
        target=Status.CANCELLED,
        permission=permissions.is_coordinator,
    )
    def cancel(self, reason):
        self.outcome_reason = reason
        self.ended_at = timezone.now()

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES

    def quorum_missing(self) -> list[dict]:
        """What stands between this session and a resolution, one entry per gap: a required
        participant not present, or present without a recorded opinion."""
        missing = []
        for participant in self.participants.filter(required=True).prefetch_related("opinions"):
            name = participant.display_name
            if participant.attendance != SessionParticipant.Attendance.PRESENT:
                missing.append({"kind": "absent", "participant": participant.pk, "name": name})
            if not participant.opinions.all():
                missing.append({"kind": "opinion", "participant": participant.pk, "name": name})
        return missing


class SessionParticipant(ConcurrentTransitionMixin, models.Model):
    """A participant (参会方) invited in a capacity: an organisation (with a named person, or
    any of its members), or an individual representative."""

    class Capacity(models.TextChoices):
        DEPARTMENT = "department", _("部门")
        CITIZEN = "citizen", _("群众代表")
        NPC_DEPUTY = "npc_deputy", _("人大代表")
        CPPCC_MEMBER = "cppcc_member", _("政协委员")
        LEGAL_EXPERT = "legal_expert", _("法律专家")
        ENTERPRISE = "enterprise", _("企业")
        THIRD_PARTY = "third_party", _("第三方")
        OBSERVER = "observer", _("列席")

    class Rsvp(models.TextChoices):
        INVITED = "invited", _("已邀请")
        ACCEPTED = "accepted", _("确认参会")
        DECLINED = "declined", _("不能参会")
        DELEGATED = "delegated", _("委托参会")

    class Attendance(models.TextChoices):
        UNMARKED = "", _("未登记")
        PRESENT = "present", _("到会")
        ABSENT = "absent", _("缺席")

    ANSWERS = [Rsvp.INVITED, Rsvp.ACCEPTED, Rsvp.DECLINED, Rsvp.DELEGATED]

    session = models.ForeignKey(JointSession, on_delete=models.CASCADE, related_name="participants")
    capacity = models.CharField(_("参会身份"), max_length=20, choices=Capacity.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("参会人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    required = models.BooleanField(_("必须到会"), default=False)
    status = FSMField(
        _("邀请状态"), max_length=20, choices=Rsvp.choices, default=Rsvp.INVITED, protected=True
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受托人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rsvp_note = models.TextField(_("回复说明"), blank=True)
    attendance = models.CharField(
        _("出席"), max_length=10, choices=Attendance.choices, blank=True, default=""
    )
    invited_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)

    class Meta:
        ordering = ["session_id", "id"]
        verbose_name = _("参会方")
        verbose_name_plural = _("参会方")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(person__isnull=False),
                name="participant_is_organisation_or_person",
            ),
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=Q(person__isnull=False),
                name="unique_session_person",
            ),
            models.UniqueConstraint(
                fields=["session", "organisation"],
                condition=Q(person__isnull=True),
                name="unique_session_organisation",
            ),
        ]

    def __str__(self):
        return self.display_name

    @transition(
        field=status,
        source=ANSWERS,
        target=Rsvp.ACCEPTED,
        conditions=[permissions.session_takes_answers],
        permission=permissions.is_invitee,
    )
    def accept(self, note=""):
        self._answer(note, None)

    @transition(
        field=status,
        source=ANSWERS,
        target=Rsvp.DECLINED,
        conditions=[permissions.session_takes_answers],
        permission=permissions.is_invitee,
    )
    def decline(self, note=""):
        self._answer(note, None)

    @transition(
        field=status,
        source=ANSWERS,
        target=Rsvp.DELEGATED,
        conditions=[permissions.session_takes_answers],
        permission=permissions.is_invitee,
    )
    def delegate_to(self, delegate, note=""):
        """委托: a named colleague of the same organisation attends and speaks instead."""
        self._answer(note, delegate)

    def _answer(self, note, delegate):
        self.rsvp_note = note
        self.delegate = delegate
        self.responded_at = timezone.now()

    @property
    def display_name(self) -> str:
        names = [str(part) for part in (self.organisation, self.person) if part]
        if self.delegate_id:
            names.append(str(_("委托：%(name)s") % {"name": self.delegate}))
        return " ".join(names)

    def speaks_for(self, user) -> bool:
        """The participant, or their delegate; for an organisation invited without a named
        person, any of its members."""
        if not user.is_authenticated or not user.is_active:
            return False
        if user.pk in (self.person_id, self.delegate_id):
            return True
        return self.person_id is None and user.belongs_to(self.organisation_id)


class Opinion(models.Model):
    """One version of a participant's opinion (意见). Revising writes a new version; the
    latest one counts. Versions are never changed, and none is written after the session ends."""

    class Stance(models.TextChoices):
        SUPPORT = "support", _("同意")
        OBJECT = "object", _("反对")
        ABSTAIN = "abstain", _("弃权")
        CONDITIONAL = "conditional", _("附条件同意")

    # PROTECT: the record never goes with what it is about (and on PostgreSQL the app's role
    # may not DELETE here at all, so a cascade would fail even with no rows to delete).
    participant = models.ForeignKey(
        SessionParticipant, on_delete=models.PROTECT, related_name="opinions"
    )
    version = models.PositiveSmallIntegerField(_("版本"))
    stance = models.CharField(_("意见"), max_length=20, choices=Stance.choices)
    reasons = models.TextField(_("理由"), blank=True)
    attachments = models.ManyToManyField(
        Attachment, verbose_name=_("附件"), blank=True, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["participant_id", "-version"]
        verbose_name = _("意见")
        verbose_name_plural = _("意见")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "version"], name="unique_opinion_version"
            )
        ]

    def __str__(self):
        return f"{self.participant}: {self.get_stance_display()} (v{self.version})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("An opinion version is never changed: record a new version.")
        super().save(*args, **kwargs)


class Resolution(models.Model):
    """The resolution (决议) a joint session adopted. Immutable once adopted."""

    session = models.OneToOneField(
        JointSession, on_delete=models.PROTECT, related_name="resolution"
    )
    summary = models.TextField(_("决议内容"))
    legal_basis = models.TextField(_("法律依据"))
    responsible_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("责任单位"), related_name="+"
    )
    # {"support": n, "object": n, "abstain": n, "conditional": n} from the latest opinions.
    tally = models.JSONField(_("表态统计"), default=dict)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    adopted_at = models.DateTimeField(_("通过时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("决议")
        verbose_name_plural = _("决议")

    def __str__(self):
        return self.summary[:40]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("A resolution is immutable once adopted.")
        super().save(*args, **kwargs)


class CalendarFeed(models.Model):
    """A person's calendar feed (日历订阅): the secret token of the address from which a
    calendar program reads the sessions they may see. Regenerating replaces the token, so the
    old address stops working; deleting the row revokes the feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("订阅密钥"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("日历订阅")
        verbose_name_plural = _("日历订阅")

    def __str__(self):
        return f"{self.user} calendar"
