"""Use cases of the organisation register and of API tokens, used by the API, the pages and
the admin alike."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from departments import token_cache
from departments.models import ApiToken, Organisation
from departments.signals import api_tokens_revoked

# Revoked and expired tokens are kept this long (the administrator sees what was revoked and
# when), then the owner's next sign-in deletes them.
ENDED_TOKENS_KEPT = timedelta(days=30)


@transaction.atomic
def organisation_create(*, by, **fields) -> Organisation:
    """An administrator registers an organisation; an enterprise needs a valid credit code."""
    if not by.is_staff:
        raise PermissionDenied(_("只有系统管理员可以登记组织。"))
    organisation = Organisation(**fields)
    if organisation.kind == Organisation.Kind.ENTERPRISE and not organisation.credit_code:
        raise ValidationError({"credit_code": [_("企业必须填写统一社会信用代码。")]})
    if organisation.kind != Organisation.Kind.ENTERPRISE and organisation.tier:
        raise ValidationError({"tier": [_("只有企业有培育层级。")]})
    organisation.full_clean()
    organisation.save()
    return organisation


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
