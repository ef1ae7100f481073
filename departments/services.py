"""Use cases of the organisation register and of API tokens, used by the API, the pages and
the admin alike."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.changelog import ADDED, CHANGED, changes, record_change
from departments import token_cache
from departments.models import ApiToken, Organisation, User
from departments.permissions import may_keep_people_of, may_keep_reference_data
from departments.signals import api_tokens_revoked

# Revoked and expired tokens are kept this long (the administrator sees what was revoked and
# when), then the owner's next sign-in deletes them.
ENDED_TOKENS_KEPT = timedelta(days=30)


def _check_organisation(organisation: Organisation) -> None:
    """Every refusal at once, each naming its field: the register's rules and the model's."""
    errors = {}
    if organisation.kind == Organisation.Kind.ENTERPRISE and not organisation.credit_code:
        errors["credit_code"] = [_("企业必须填写统一社会信用代码。")]
    if organisation.kind != Organisation.Kind.ENTERPRISE and organisation.tier:
        errors["tier"] = [_("只有企业有培育层级。")]
    if organisation.credit_code:
        organisation.credit_code = organisation.credit_code.strip().upper()
    try:
        organisation.full_clean()
    except ValidationError as invalid:
        for field, lines in invalid.message_dict.items():
            errors.setdefault(field, []).extend(lines)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def organisation_create(*, by, **fields) -> Organisation:
    """The office leader or an administrator registers an organisation; an enterprise needs a
    valid credit code. A new office (the convener) is registered only in the admin."""
    if not may_keep_reference_data(by):
        raise PermissionDenied(_("只有政务服务办领导和系统管理员可以登记组织。"))
    organisation = Organisation(**fields)
    _check_organisation(organisation)
    organisation.save()
    record_change(by=by, obj=organisation, action=ADDED, message=[{"added": {}}])
    return organisation


ORGANISATION_FIELDS = ("name", "short_name", "credit_code", "tier")


@transaction.atomic
def organisation_update(*, by, organisation: Organisation, **fields) -> Organisation:
    """Names, credit code and tier change; the kind stays what it was registered as (cases,
    items and people hang on it)."""
    if not may_keep_reference_data(by):
        raise PermissionDenied(_("只有政务服务办领导和系统管理员可以修改组织。"))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changed = _assign(organisation, fields, ORGANISATION_FIELDS)
    _check_organisation(organisation)
    if changed:
        organisation.save()
        record_change(
            by=by, obj=organisation, action=CHANGED, message=changes(organisation, changed)
        )
    return organisation


@transaction.atomic
def organisation_set_active(*, by, organisation: Organisation, active: bool) -> Organisation:
    """Deactivate (停用) an organisation instead of deleting it: its cases, items and record
    stay; it is no longer offered for new work. Or activate it again."""
    if not may_keep_reference_data(by):
        raise PermissionDenied(_("只有政务服务办领导和系统管理员可以停用或启用组织。"))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.kind == Organisation.Kind.OFFICE and not active:
        raise ValidationError(_("政务服务办是召集方，不能停用。"))
    if organisation.is_active != active:
        organisation.is_active = active
        organisation.save(update_fields=["is_active"])
        record_change(
            by=by, obj=organisation, action=CHANGED, message=changes(organisation, ["is_active"])
        )
    return organisation


def _assign(obj, fields: dict, allowed) -> list[str]:
    """Set the allowed `fields` on `obj`; the names of those whose value changed."""
    changed = []
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(name)
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


PERSON_FIELDS = ("display_name", "email", "phone", "organisation_role")


def _may_keep(by, organisation) -> None:
    if organisation is None or not may_keep_people_of(by, organisation):
        raise PermissionDenied(_("部门领导只能管理本单位的人员。"))


@transaction.atomic
def person_create(*, by, organisation: Organisation, username: str, password: str, **fields):
    """An account for a person of `organisation`, with a first password they change later."""
    _may_keep(by, organisation)
    person = User(username=username, organisation=organisation)
    _assign(person, fields, PERSON_FIELDS)
    person.set_password(password)
    person.full_clean(exclude=["password"])
    person.save()
    record_change(by=by, obj=person, action=ADDED, message=[{"added": {}}])
    return person


@transaction.atomic
def person_update(*, by, person: User, **fields) -> User:
    """Name, contact details and role within the organisation. A department leader keeps the
    leader's role: nobody demotes themselves out of the page that lets them manage people."""
    _may_keep(by, person.organisation)
    person = User.objects.select_for_update().get(pk=person.pk)
    if (
        person.pk == by.pk
        and fields.get("organisation_role", person.organisation_role) != person.organisation_role
    ):
        raise ValidationError({"organisation_role": [_("不能修改自己的角色。")]})
    changed = _assign(person, fields, PERSON_FIELDS)
    person.full_clean(exclude=["password"])
    if changed:
        person.save(update_fields=changed)
        record_change(by=by, obj=person, action=CHANGED, message=changes(person, changed))
    return person


@transaction.atomic
def person_set_active(*, by, person: User, active: bool) -> User:
    """Deactivate (停用) an account instead of deleting it: the person signs in no more (their
    API tokens are revoked) and their record stays. Or activate it again."""
    _may_keep(by, person.organisation)
    if person.pk == by.pk:
        raise ValidationError(_("不能停用自己的账号。"))
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.is_active != active:
        person.is_active = active
        person.save(update_fields=["is_active"])
        if not active:
            tokens_revoke_all(user=person)
        record_change(by=by, obj=person, action=CHANGED, message=changes(person, ["is_active"]))
    return person


@transaction.atomic
def person_update_contact(*, person, email: str, phone: str, language: str):
    """A person changes their own e-mail, phone and language (of the site and of e-mails)."""
    person.email = (email or "").strip()
    person.phone = (phone or "").strip()
    person.language = language
    person.full_clean(exclude=["password", "username"])
    person.save(update_fields=["email", "phone", "language"])
    return person


@transaction.atomic
def token_issue(*, user, device: str = "") -> tuple[ApiToken, str]:
    """A person signed in with their password: a new token for this device, and its key (shown
    this once: only its digest is stored). The person's tokens that ended long ago go."""
    now = timezone.now()
    user.api_tokens.filter(expires_at__lt=now - ENDED_TOKENS_KEPT).delete()
    user.api_tokens.filter(revoked_at__lt=now - ENDED_TOKENS_KEPT).delete()
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        digest=ApiToken.digest_of(key),
        prefix=key[:8],
        device=device[:200],
        created_at=now,
        # Signing in is a use: the first requests write nothing (see token_touch).
        last_used_at=now,
        expires_at=now + timedelta(hours=settings.API_TOKEN_LIFETIME_HOURS),
    )
    return token, key


def token_touch(token: ApiToken) -> None:
    """Note that the token was used; at most once a minute, so requests do not each write."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        # The cached copy still holds the old time: the next request reads the new one.
        token_cache.forget_one(token.digest)


def tokens_revoke(*, tokens) -> int:
    """These tokens (a queryset) sign no one in any more, at once: their cached copies too
    (departments/token_cache.py). Once this commits, the live streams opened with them are
    closed (`api_tokens_revoked`). Returns how many were still live."""
    live = list(tokens.live().values_list("pk", "digest"))
    if not live:
        return 0
    if token_cache.enabled():
        token_cache.forget([digest for _, digest in live])
    token_ids = [pk for pk, _ in live]
    revoked = ApiToken.objects.filter(pk__in=token_ids, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    transaction.on_commit(
        lambda: api_tokens_revoked.send(sender=ApiToken, token_ids=token_ids), robust=True
    )
    return revoked


def token_revoke(*, token: ApiToken) -> None:
    """Logging out: the token presented signs no one in any more."""
    tokens_revoke(tokens=ApiToken.objects.filter(pk=token.pk))


def tokens_revoke_all(*, user) -> int:
    """Logging out everywhere, a password change, an administrator's action: none of the
    person's tokens signs in any more. Returns how many were still live."""
    return tokens_revoke(tokens=user.api_tokens.all())
