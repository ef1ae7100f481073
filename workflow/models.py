"""Where Django finds the workflow's models: each subject keeps its own in its package, and this
module imports them so that they are registered under the app label `workflow`. Code imports a
model from its subject (`workflow.items.models`), not from here."""

# isort: off
# Registration order is the order of the admin and of docs/lifecycle.md: the process's order.
from workflow.items.models import ActionItem
from workflow.deadlines.calendar import CalendarDay
from workflow.deadlines.models import Clock
from workflow.record.models import Event
from workflow.extensions.models import Extension
from workflow.implementation.models import RuleAmendment, RuleItem, RuleSignOff
from workflow.documents.models import IssuedDocument
from workflow.notifications.models import Notification
from workflow.sessions.models import (
    CalendarFeed,
    JointSession,
    Opinion,
    Resolution,
    SessionParticipant,
)
from workflow.supervision.models import SupervisionNotice
from workflow.standing_rules.models import (
    StandingRule,
    StandingRuleApplication,
    StandingRuleItem,
    StandingRuleVersion,
)
from workflow.statistics.models import FigureSnapshot
from workflow.interchange.models import Delivery, ExternalCase, ExternalSystem, PublicRequest
from workflow.precedents.models import PrecedentFollow
# isort: on

__all__ = [
    "ActionItem",
    "CalendarDay",
    "CalendarFeed",
    "Clock",
    "Delivery",
    "Event",
    "Extension",
    "ExternalCase",
    "ExternalSystem",
    "FigureSnapshot",
    "IssuedDocument",
    "JointSession",
    "Notification",
    "Opinion",
    "PrecedentFollow",
    "PublicRequest",
    "Resolution",
    "RuleAmendment",
    "RuleItem",
    "RuleSignOff",
    "SessionParticipant",
    "StandingRule",
    "StandingRuleApplication",
    "StandingRuleItem",
    "StandingRuleVersion",
    "SupervisionNotice",
]
