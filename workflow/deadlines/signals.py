"""The one place clocks hear about transitions (django-fsm's post_transition signal) and about
edits of the admin calendar.

Action items are named by their label, not imported: the items use the clocks, so the clocks
must not import the items back."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_fsm.signals import post_transition

from cases.models import Case
from workflow.deadlines.calendar import CalendarDay
from workflow.deadlines.services import (
    on_action_item_transition,
    on_case_transition,
    refresh_yellow_dates,
    start_action_item_clock,
)
from workflow.deadlines.working_days import calendar_edited


@receiver(post_transition, sender=Case, dispatch_uid="workflow.clocks.case")
def move_case_clocks(sender, instance, name, source, target, **kwargs):
    on_case_transition(instance, source, target)


@receiver(post_transition, dispatch_uid="workflow.clocks.action_item")
def move_action_item_clocks(sender, instance, name, source, target, **kwargs):
    if sender._meta.label == "workflow.ActionItem":
        on_action_item_transition(instance, target)


@receiver(
    post_save, sender="workflow.ActionItem", dispatch_uid="workflow.clocks.action_item_created"
)
def start_clock_for_new_action_item(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        start_action_item_clock(instance)


@receiver(post_save, sender=CalendarDay, dispatch_uid="workflow.clocks.calendar_saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="workflow.clocks.calendar_deleted")
def follow_calendar_edit(sender, **kwargs):
    """This process forgets its calendar (others compare the entries: ``working_days``), and
    the open clocks' yellow days follow the edit in the same transaction."""
    calendar_edited()
    refresh_yellow_dates()
