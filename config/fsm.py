"""Firing a django-fsm transition the same way for every model (permission, state, guards), and
the `Conflict` a service raises when a change cannot happen now; config.api.errors maps it to
HTTP 409 once. Reads only django-fsm metadata: it imports no app."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed


class Conflict(Exception):
    """The change cannot happen in the object's current state, or another writer got there first
    (HTTP 409)."""

    def __init__(self, message: str, *, code: str = "conflict", details: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details


def may_fire(instance, name: str, user) -> bool:
    """Whether `user` may fire transition `name` on `instance` now (state, guards, permission)."""
    method = getattr(instance, name)
    meta = method._django_fsm
    transition = meta.get_transition(meta.field.get_state(instance))
    return bool(
        transition is not None
        and transition.has_perm(instance, user)
        and meta.conditions_met(instance, meta.field.get_state(instance))
    )


def check_transition(instance, name: str, user) -> None:
    """Raise PermissionDenied (403) or Conflict (409) if `user` may not fire `name` now.

    The role is checked before the state, so a role that may never fire a transition is told
    so (403) whatever state the object is in.
    """
    method = getattr(instance, name)
    meta = method._django_fsm
    state = meta.field.get_state(instance)
    any_transition = next(iter(meta.transitions.values()))
    if not any_transition.has_perm(instance, user):
        raise PermissionDenied(_("您无权执行此操作。"))
    if not can_proceed(method, check_conditions=False):
        raise Conflict(
            _("当前状态（%(state)s）不能执行此操作。") % {"state": instance.get_status_display()},
            code="invalid_state",
        )
    for condition in meta.get_transition(state).conditions:
        if not condition(instance):
            raise Conflict(getattr(condition, "message", _("条件不满足。")), code="guard_failed")


def fire(instance, name: str, user, *args, **kwargs):
    """Check, fire and save one transition; return (from_state, to_state).

    Call inside transaction.atomic with `instance` re-read under select_for_update().
    """
    check_transition(instance, name, user)
    from_state = instance.status
    getattr(instance, name)(*args, **kwargs)
    try:
        instance.save()
    except ConcurrentTransition as exc:
        raise Conflict(_("该记录已被他人修改，请刷新后重试。"), code="concurrent_change") from exc
    return from_state, instance.status
