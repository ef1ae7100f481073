"""Who may fire a case transition, and the guards that do not depend on who fires it.

Used as `permission=` and `conditions=` of the transitions on `Case`, so each rule is declared
once, next to the state machine, and checked by every caller through django-fsm.
"""

from django.utils.translation import gettext_lazy as _


def is_coordinator(case, user) -> bool:
    return user.is_coordinator


def is_case_enterprise_user(case, user) -> bool:
    return user.is_enterprise_user and user.organisation_id == case.enterprise_id


def all_action_items_done(case) -> bool:
    """True when the case has action items and every open one is done."""
    # Reverse relation set up by workflow.ActionItem; cases does not import workflow.
    items = case.action_items.exclude(status="cancelled")
    return items.exists() and not items.exclude(status="done").exists()


all_action_items_done.message = _("还有未完成的任务，不能办结。")
