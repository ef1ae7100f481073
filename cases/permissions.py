"""Who may fire a case transition, and the guards that do not depend on who fires it.

Used as `permission=` and `conditions=` of the transitions on `Case`, so each rule is declared
once, next to the state machine, and checked by every caller through django-fsm.
"""

from django.utils.translation import gettext_lazy as _


def is_coordinator(case, user) -> bool:
    """A coordinator of the government-service office (政务服务办)."""
    return user.is_coordinator


def is_office_leader(case, user) -> bool:
    """The office leader (政务服务办分管领导): a coordinator with the leader's role."""
    return user.is_coordinator and user.is_leader


def is_case_enterprise_user(case, user) -> bool:
    """A user of the enterprise that filed the case."""
    return user.is_enterprise_user and user.organisation_id == case.enterprise_id


def all_action_items_done(case) -> bool:
    """True when the case has action items and every open one is done."""
    # Reverse relation set up by workflow.ActionItem; cases does not import workflow.
    items = case.action_items.exclude(status="cancelled")
    return items.exists() and not items.exclude(status="done").exists()


all_action_items_done.message = _("还有未完成的任务，不能办结。")


def concludes_its_session(case, user) -> bool:
    """Nobody directly: fired when a coordinator concludes the case's joint session."""
    return user.is_coordinator


def may_convene(case) -> bool:
    """From accepted always; from implementing only when an item is blocked or returned, i.e.
    the work has stalled and needs the parties together (escalation)."""
    if case.status == "accepted":
        return True
    return case.action_items.filter(status__in=["blocked", "returned"]).exists()


may_convene.message = _("只有任务受阻或被退回时，实施中的诉求事项才能再次召集审联体。")


def has_draft_rule_items(case) -> bool:
    """Issuing rules needs at least one rule item not yet published."""
    # Reverse relation set up by workflow.RuleItem.
    return case.rule_items.filter(published_at__isnull=True).exists()


has_draft_rule_items.message = _("请先拟定至少一条实施细则。")
