"""Reading implementation rules (实施细则): who may read a case's rules, the rows shown, and
what the rules card of a case page reads about the sign-off (领导签批) and the issued document."""

from cases.models import Case
from cases.permissions import is_office_leader
from workflow.documents.models import IssuedDocument
from workflow.implementation.models import RuleSignOff


def rules_of(case):
    """A case's rule items by number, with what the API and the pages show of them."""
    return case.rule_items.select_related("owner", "action_item").prefetch_related(
        "amendments__amended_by"
    )


def rules_readable_by(user, case):
    """The one rule for who reads a case's implementation rules: whoever sees the case.

    The rules API (/cases/{id}/rules/) and the minutes page both read through it: an invited
    representative, who sees the session and its minutes but not the case, reads neither.
    The case's visibility is a condition of the same query, not a query of its own."""
    return rules_of(case).filter(case__in=Case.objects.visible_to(user).filter(pk=case.pk))


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
