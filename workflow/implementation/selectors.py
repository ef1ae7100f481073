"""Reading implementation rules (实施细则): who may read a case's rules, and the rows shown."""

from cases.models import Case


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
