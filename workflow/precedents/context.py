"""What the case page shows of precedents: the similar cases, the precedents the case followed,
and whether the coordinator may follow one now."""

from cases.models import Case
from workflow.precedents.models import PrecedentFollow
from workflow.precedents.outcomes import similar_precedents
from workflow.precedents.services import ASSIGNABLE, assignment_rows
from workflow.precedents.similarity import precedents_visible_to


def case_precedents(user, case, *, signing: bool) -> dict:
    """`signing`: the drafts are with the office leader (the case page knows it already)."""
    if case.status == Case.Status.DRAFT:
        # A draft's page shows no precedents: the enterprise is still writing it.
        return {"precedents": [], "precedent_follows": []}
    office = user.is_coordinator
    follows = []
    if not user.is_enterprise_user:
        follows = list(case.precedent_follows.select_related("precedent", "followed_by"))
        readable = (
            set(
                precedents_visible_to(user)
                .filter(pk__in=[f.precedent_id for f in follows])
                .values_list("pk", flat=True)
            )
            if follows
            else set()
        )
        for f in follows:
            f.readable = f.precedent_id in readable
    return {
        "precedents": similar_precedents(case, user),
        "precedent_follows": follows,
        "may_follow_rules": office and case.status == Case.Status.DELIBERATED and not signing,
        "may_follow_assign": office and case.status in ASSIGNABLE,
    }


def assign_prefill(request, case) -> list | None:
    """The 交办 rows of the precedent just followed (`?precedent=<follow id>`), if any."""
    raw = request.GET.get("precedent", "")
    if not (request.user.is_coordinator and raw.isdigit() and len(raw) < 10):
        return None
    if case.status not in ASSIGNABLE:
        return None
    followed = case.precedent_follows.filter(pk=raw, mode=PrecedentFollow.Mode.ASSIGN).first()
    return assignment_rows(followed) if followed else None
