"""Organisations and people: who files cases, who convenes, who carries the work out."""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from departments.credit_code import validate_credit_code


class Organisation(models.Model):
    """An organisation (组织): the convening office, a department, a third party, an enterprise."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("政务服务办（召集方）")
        DEPARTMENT = "department", _("部门")
        THIRD_PARTY = "third_party", _("第三方")
        ENTERPRISE = "enterprise", _("企业")

    class Tier(models.TextChoices):
        # The cultivation ladder for enterprises (优质中小企业梯度培育), lowest first.
        NONE = "", _("无")
        INNOVATIVE_SME = "innovative_sme", _("创新型中小企业")
        SPECIALISED_SME = "specialised_sme", _("专精特新中小企业")
        LITTLE_GIANT = "little_giant", _("专精特新“小巨人”")
        SINGLE_CHAMPION = "single_champion", _("制造业单项冠军")

    name = models.CharField(_("名称"), max_length=200, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, db_index=True)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
    )
    tier = models.CharField(_("培育层级"), max_length=20, choices=Tier.choices, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    # An enterprise first named by another system (by its credit code) until the administrator
    # has checked it (未核实).
    is_verified = models.BooleanField(_("已核实"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="enterprise") | models.Q(tier=""),
                name="organisation_tier_only_for_enterprises",
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()
        else:
            self.credit_code = None
        super().save(*args, **kwargs)


class User(AbstractUser):
    """A person who signs in: a member or leader of one organisation, or a representative."""

    class OrganisationRole(models.TextChoices):
        MEMBER = "member", _("经办人")
        LEADER = "leader", _("分管领导")

    class Capacity(models.TextChoices):
        NONE = "", _("无")
        CITIZEN = "citizen", _("群众代表")
        NPC_DEPUTY = "npc_deputy", _("人大代表")
        CPPCC_MEMBER = "cppcc_member", _("政协委员")
        LEGAL_EXPERT = "legal_expert", _("法律专家")

    display_name = models.CharField(_("姓名"), max_length=100, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    organisation_role = models.CharField(
        _("组织角色"),
        max_length=10,
        choices=OrganisationRole.choices,
        default=OrganisationRole.MEMBER,
    )
    representative_capacity = models.CharField(
        _("代表身份"), max_length=20, choices=Capacity.choices, blank=True
    )
    # The language of the e-mails (and of live notices) this person receives.
    language = models.CharField(
        _("语言"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # The kinds of notification this person reads in the inbox only, not by e-mail.
    email_muted_kinds = models.JSONField(_("不发邮件的通知类型"), default=list, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.username

    @property
    def organisation_kind(self) -> str | None:
        return self.organisation.kind if self.organisation_id else None

    @property
    def is_coordinator(self) -> bool:
        return self.is_active and self.organisation_kind == Organisation.Kind.OFFICE

    @property
    def is_enterprise_user(self) -> bool:
        return self.is_active and self.organisation_kind == Organisation.Kind.ENTERPRISE

    @property
    def is_department_officer(self) -> bool:
        """A member of a department or a third party: someone who may own action items."""
        return self.is_active and self.organisation_kind in (
            Organisation.Kind.DEPARTMENT,
            Organisation.Kind.THIRD_PARTY,
        )

    @property
    def is_representative(self) -> bool:
        return self.is_active and bool(self.representative_capacity)

    @property
    def is_leader(self) -> bool:
        return self.organisation_role == self.OrganisationRole.LEADER

    def wants_email(self, kind: str) -> bool:
        """Whether a notification of this kind also goes to this person by e-mail."""
        return bool(self.email) and kind not in (self.email_muted_kinds or [])

    def belongs_to(self, organisation_id: int | None) -> bool:
        return (
            self.is_active
            and organisation_id is not None
            and (self.organisation_id == organisation_id)
        )


class ApiTokenQuerySet(models.QuerySet):
    def live(self):
        """Tokens that still sign their holder in: neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """An API token (接口令牌): what a client presents as `Authorization: Token <key>` after
    signing in with a password on one device. Each sign-in makes a new one; it expires after
    `API_TOKEN_LIFETIME_HOURS`, and is revoked by logging out, by a password change or by an
    administrator. Only the SHA-256 digest of the key is stored: the key itself is shown
    once, when it is issued, so a copy of the database signs no one in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    # A random 256-bit key needs no slow hash: its digest is looked up directly.
    digest = models.CharField(_("摘要"), max_length=64, unique=True, editable=False)
    # The key's first characters, so a person can tell their tokens apart in a list.
    prefix = models.CharField(_("前缀"), max_length=8, editable=False)
    device = models.CharField(_("设备"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and not self.is_expired
