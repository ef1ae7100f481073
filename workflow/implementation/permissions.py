"""Who may move a sign-off (领导签批) of the implementation rules, and its guards."""

from django.utils.translation import gettext_lazy as _

from cases import permissions as case_permissions


def is_coordinator(sign_off, user) -> bool:
    """A coordinator of the office submits the rules (the leader may too)."""
    return user.is_coordinator


def is_office_leader(sign_off, user) -> bool:
    """Only the office leader signs: approves or returns."""
    return case_permissions.is_office_leader(sign_off.case, user)


def case_has_drafts_to_sign(sign_off) -> bool:
    """The case is deliberated and has rule items not yet published."""
    case = sign_off.case
    return case.status == "deliberated" and case_permissions.has_draft_rule_items(case)


case_has_drafts_to_sign.message = _("诉求事项已议定且拟定了至少一条细则草案后才能报请签批。")
