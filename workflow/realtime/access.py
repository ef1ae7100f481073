"""Who may see a case changes when its involvements change: the live streams of that case then
re-check `visible_to` before their next message (instead of querying for every message)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cases.models import CaseInvolvement
from workflow.realtime.publish import publish_access_changed


@receiver(post_save, sender=CaseInvolvement)
@receiver(post_delete, sender=CaseInvolvement)
def involvement_changed(sender, instance, **kwargs):
    publish_access_changed(instance.case_id)
