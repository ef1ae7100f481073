"""What the item pages read: visible action items with their open clocks."""

from django.db.models import Prefetch

from workflow.deadlines.models import Clock
from workflow.items.models import ActionItem


def item_rows(user):
    items = ActionItem.objects.listed_for(user)
    open_clocks = Prefetch("clocks", queryset=Clock.objects.open())
    return items.select_related("owner", "case").prefetch_related(open_clocks)
