"""The one place clocks hear about transitions: django-fsm's post_transition signal."""

from django.dispatch import receiver
from django_fsm.signals import post_transition

from cases.models import Case
from workflow.services.time_limits import on_case_transition


@receiver(post_transition, sender=Case, dispatch_uid="workflow.clocks.case")
def move_case_clocks(sender, instance, name, source, target, **kwargs):
    on_case_transition(instance, source, target)
