"""The workflow's models, one module per subject."""

from workflow.models.action_items import ActionItem, ActionItemQuerySet
from workflow.models.events import Event, EventQuerySet

__all__ = ["ActionItem", "ActionItemQuerySet", "Event", "EventQuerySet"]
