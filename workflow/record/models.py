"""The event log: every change to a case, append-only."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from departments.models import Organisation


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Events of the cases a user may see; the enterprise never sees internal ones."""
        events = self.filter(case__in=Case.objects.visible_to(user))
        if user.is_enterprise_user:
            events = events.filter(internal=False)
        return events

    def update(self, **kwargs):
        raise TypeError("Events are append-only: they are never updated.")

    def delete(self):
        raise TypeError("Events are append-only: they are never deleted.")


class Event(models.Model):
    """One entry in a case's timeline: a transition, comment, attachment or item change.

    Append-only: the model refuses updates and deletes, and the admin shows it read-only.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("类型"), max_length=50, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action_item = models.ForeignKey(
        "workflow.ActionItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    from_state = models.CharField(_("原状态"), max_length=20, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, blank=True)
    payload = models.JSONField(_("内容"), default=dict, blank=True)
    # Internal events (internal comments) are hidden from the enterprise.
    internal = models.BooleanField(_("仅内部可见"), default=False)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        indexes = [
            # The statistics (docs/statistics.md) count these kinds in a period, and find an
            # item's first signing; partial, so the rest of the log does not pay for them.
            models.Index(
                fields=["kind", "created_at"],
                condition=models.Q(
                    kind__in=["accept", "confirm", "action_item_return_to_coordinator"]
                ),
                name="event_counted_kind_time",
            ),
            models.Index(
                fields=["action_item", "created_at"],
                condition=models.Q(kind="action_item_sign"),
                name="event_item_signed",
            ),
            # Reopened cases (the exceptions board): a 不满意 answer moved the case back to
            # accepted; a few rows among millions.
            models.Index(
                fields=["case"],
                condition=models.Q(kind="confirm", to_state="accepted"),
                name="event_reopened_case",
            ),
        ]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Events are append-only: they are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Events are append-only: they are never deleted.")
