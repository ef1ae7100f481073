"""What the rules card of a case page reads about the sign-off (领导签批) and the issued
document."""

from cases.models import Case
from cases.permissions import is_office_leader
from workflow.documents.models import IssuedDocument
from workflow.implementation.models import RuleSignOff


def sign_off_context(user, case) -> dict:
    """The case's sign-off rounds (the office only), the one waiting for the leader, what the
    person may do about it, and the issued rules' document."""
    office = user.is_coordinator
    rounds = (
        list(case.rule_sign_offs.select_related("submitted_by", "decided_by").order_by("pk"))
        if office
        else []
    )
    pending = next((s for s in rounds if s.status == RuleSignOff.Status.PENDING), None)
    deliberated = case.status == Case.Status.DELIBERATED
    has_drafts = any(not r.is_published for r in case.rule_items.all())
    return {
        "sign_offs": rounds,
        "sign_off_pending": pending,
        "may_submit_rules": office and deliberated and has_drafts and pending is None,
        "may_sign_off": pending is not None and is_office_leader(case, user),
        "rules_document": IssuedDocument.objects.filter(case=case, kind=IssuedDocument.Kind.RULES)
        .order_by("-pk")
        .first(),
    }
