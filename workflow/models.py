"""The workflow's models, one module per subject."""

from workflow.models.action_items import ActionItem, ActionItemQuerySet
from workflow.models.calendar import CalendarDay
from workflow.models.clocks import Clock, ClockQuerySet
from workflow.models.events import Event, EventQuerySet
from workflow.models.extensions import Extension
from workflow.models.implementation_rules import RuleAmendment, RuleItem
from workflow.models.notifications import Notification, NotificationQuerySet
from workflow.models.opinions import Opinion, Resolution
from workflow.models.sessions import JointSession, JointSessionQuerySet, SessionParticipant
from workflow.models.supervision import SupervisionNotice

__all__ = [
    "ActionItem",
    "ActionItemQuerySet",
    "CalendarDay",
    "Clock",
    "ClockQuerySet",
    "Event",
    "EventQuerySet",
    "Extension",
    "JointSession",
    "JointSessionQuerySet",
    "Notification",
    "NotificationQuerySet",
    "Opinion",
    "Resolution",
    "RuleAmendment",
    "RuleItem",
    "SessionParticipant",
    "SupervisionNotice",
]
