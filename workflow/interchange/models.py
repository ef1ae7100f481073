"""Interchange (数据交换) with other systems: the 12345 hotline platform, the business-environment
portal and any Open311 client file cases here with an API key and hear back about every change
of state through a signed callback (docs/interchange.md)."""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from departments.models import Organisation


class ExternalSystem(models.Model):
    """An external system (外部系统): another platform that files cases here on behalf of one
    organisation, or of any enterprise it names by credit code, and receives their changes.

    Only the SHA-256 digest of its API key is stored (as departments.ApiToken does): the key is
    shown once, when it is issued or rotated. The signing secret is kept as is, since every
    message is signed with it."""

    class Operation(models.TextChoices):
        FILE_CASE = "file_case", _("提交诉求")
        READ_CASE = "read_case", _("查询诉求")
        OPEN311_POST = "open311_post", _("Open311 提交请求")

    class Subscription(models.TextChoices):
        OWN = "own", _("本系统提交的诉求")
        ALL = "all", _("全部诉求")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("代为提交的企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.ENTERPRISE},
        help_text=_("留空表示可代任何企业提交，以统一社会信用代码识别企业。"),
    )
    channel = models.CharField(
        _("来源渠道"),
        max_length=20,
        choices=Case.SourceChannel.choices,
        default=Case.SourceChannel.HOTLINE_12345,
    )
    operations = models.JSONField(_("允许的操作"), default=list, blank=True)
    # The account the system's cases are filed by and its actions recorded under (no password).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("系统账号"),
        on_delete=models.PROTECT,
        related_name="external_system",
        editable=False,
    )
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("密钥前缀"), max_length=8, editable=False)
    key_issued_at = models.DateTimeField(_("密钥签发时间"), editable=False)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True, editable=False)
    callback_url = models.URLField(_("回调地址"), blank=True)
    signing_secret = models.CharField(_("签名密钥"), max_length=64, blank=True, editable=False)
    subscription = models.CharField(
        _("推送范围"), max_length=10, choices=Subscription.choices, default=Subscription.OWN
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    # While a worker sends this system's messages, no other does (see tasks.deliver_pending).
    sending_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("外部系统")
        verbose_name_plural = _("外部系统")

    def __str__(self):
        return self.name

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def allows(self, operation: str) -> bool:
        return operation in (self.operations or [])


class ExternalCase(models.Model):
    """A case an external system filed, under the system's own reference (外部编号). The unique
    pair makes a resend of the same reference return the case already filed, even when two
    copies arrive at once."""

    system = models.ForeignKey(
        ExternalSystem, verbose_name=_("外部系统"), on_delete=models.PROTECT, related_name="cases"
    )
    external_reference = models.CharField(_("外部编号"), max_length=100)
    case = models.OneToOneField(
        Case, verbose_name=_("诉求事项"), on_delete=models.CASCADE, related_name="external"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("外部诉求")
        verbose_name_plural = _("外部诉求")
        constraints = [
            models.UniqueConstraint(
                fields=["system", "external_reference"], name="external_reference_once"
            )
        ]

    def __str__(self):
        return f"{self.system} {self.external_reference}"


class Delivery(models.Model):
    """One message to a system's callback (推送记录): a case's change of state, sent by the
    worker, retried with back-off until `give_up_at`. Kept as the system's delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        DELIVERED = "delivered", _("已送达")
        FAILED = "failed", _("已放弃")

    # The receiver's key to recognise a message it has already seen (a retry, a replay).
    message_id = models.UUIDField(_("消息编号"), default=uuid.uuid4, unique=True, editable=False)
    system = models.ForeignKey(
        ExternalSystem,
        verbose_name=_("外部系统"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    case = models.ForeignKey(
        Case, verbose_name=_("诉求事项"), on_delete=models.CASCADE, related_name="+"
    )
    event_id = models.BigIntegerField(_("事件"))
    payload = models.JSONField(_("消息"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    give_up_at = models.DateTimeField(_("放弃时间"))
    last_attempt_at = models.DateTimeField(_("最近尝试"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("最近响应码"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("推送记录")
        verbose_name_plural = _("推送记录")
        indexes = [
            # The worker's queue: a system's messages still to send, in the order they arose.
            models.Index(
                fields=["system", "id"], name="delivery_pending", condition=Q(status="pending")
            ),
            models.Index(fields=["system", "-id"], name="delivery_log"),
        ]

    def __str__(self):
        return f"{self.system} {self.payload.get('case', {}).get('reference', '')}"


class PublicRequest(models.Model):
    """A case listed as an Open311 service request (公开请求): filed through Open311, or made
    public by a coordinator. Only these are read on /open311/v2/requests; the list walks this
    table's own index, newest first, so it stays small work at any number of cases."""

    class Origin(models.TextChoices):
        OPEN311 = "open311", _("经 Open311 提交")
        PUBLISHED = "published", _("协调员公开")

    case = models.OneToOneField(
        Case, verbose_name=_("诉求事项"), on_delete=models.CASCADE, related_name="public_request"
    )
    token = models.UUIDField(_("令牌"), default=uuid.uuid4, unique=True, editable=False)
    origin = models.CharField(_("来源"), max_length=10, choices=Origin.choices)
    # The case's created_at (Open311's requested_datetime) and category, copied so that the
    # list's filters are served by this table's indexes; neither changes after filing.
    requested_at = models.DateTimeField(_("提交时间"))
    service_code = models.CharField(_("服务代码"), max_length=40)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公开人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("公开时间"), default=timezone.now)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("Open311 公开请求")
        verbose_name_plural = _("Open311 公开请求")
        indexes = [
            models.Index(fields=["-requested_at", "-id"], name="public_request_recent"),
            models.Index(
                fields=["service_code", "-requested_at", "-id"], name="public_request_service"
            ),
        ]

    def __str__(self):
        return str(self.case)
