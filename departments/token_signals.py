"""What makes a cached API token stale (departments/token_cache.py): a change to its person or
to their organisation (roles, active flag, kind and names are read with every request), and
deleting the token."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from departments import token_cache
from departments.models import ApiToken, Organisation, User


def _live_digests(tokens):
    return tokens.filter(revoked_at__isnull=True).values_list("digest", flat=True)


@receiver(post_save, sender=User, dispatch_uid="api-token-cache-user")
def _user_saved(sender, instance, update_fields=None, **kwargs):
    # Signing in writes only last_login: nothing a token's holder is checked for.
    if token_cache.enabled() and set(update_fields or ()) != {"last_login"}:
        token_cache.forget(_live_digests(ApiToken.objects.filter(user=instance)))


@receiver(post_save, sender=Organisation, dispatch_uid="api-token-cache-organisation")
def _organisation_saved(sender, instance, **kwargs):
    if token_cache.enabled():
        token_cache.forget(_live_digests(ApiToken.objects.filter(user__organisation=instance)))


@receiver(post_delete, sender=ApiToken, dispatch_uid="api-token-cache-deleted")
def _token_deleted(sender, instance, **kwargs):
    if token_cache.enabled():
        token_cache.forget([instance.digest])
