"""What a precedent teaches: how its case was resolved (route, departments, working days,
satisfaction), its resolution with the legal basis, its implementation rules, and the steps a
new case may take from it. A fixed number of queries for any number of precedents."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from workflow.deadlines.working_days import WorkingCalendar, add_working_days
from workflow.implementation.models import RuleItem
from workflow.items.models import ActionItem
from workflow.precedents.similarity import SHOWN, Match, similar_matches
from workflow.sessions.models import Resolution

ROUTES = {"session": _("召集审联体会议"), "direct": _("直接交办")}
REASONS = {
    "category": _("同一问题类别"),
    "title": _("标题相近"),
    "description": _("诉求描述相近"),
    "project": _("项目相近"),
    "location": _("地点相近"),
}


@dataclass
class Step:
    """One step a precedent took (a rule item, or an action item when it had no rules): who,
    what, and how many working days it was given."""

    owner: object  # the Organisation
    title: str
    deliverable: str
    working_days: int

    def due_from(self, day):
        return add_working_days(day, self.working_days)

    def as_json(self) -> dict:
        return {
            "owner": self.owner.pk,
            "owner_name": self.owner.name,
            "title": self.title,
            "deliverable": self.deliverable,
            "working_days": self.working_days,
        }


@dataclass
class Precedent:
    case: Case
    score: float
    reasons: list
    route: str
    departments: list
    working_days: int | None
    satisfaction: str
    enterprise_name: str | None
    resolution: Resolution | None
    rules: list = field(default_factory=list)
    steps: list = field(default_factory=list)

    @property
    def route_label(self) -> str:
        return str(ROUTES[self.route])

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[r]) for r in self.reasons]


def _day(moment):
    return timezone.localtime(moment).date() if moment else None


def _duration(calendar, start, due) -> int:
    """Working days from when a step was given to its due date, at least one."""
    if start is None or due is None:
        return 1
    return max(1, calendar.working_days_between(start, due))


def _satisfaction(case) -> str:
    if case.status == Case.Status.RESOLVED:
        return str(_("待企业确认"))
    if case.closure_kind == Case.ClosureKind.NO_ANSWER:
        return str(_("企业逾期未确认"))
    return str(case.get_rating_display()) if case.rating else "—"


def shows_enterprise(user, case) -> bool:
    """The office sees who filed a precedent, an enterprise its own; departments, third parties
    and representatives read a precedent for how it was solved, not whose it was
    (docs/precedents.md)."""
    return user.is_coordinator or user.is_superuser or case.enterprise_id == user.organisation_id


def steps_of(rules, items) -> list[Step]:
    """The steps a new case can take from a precedent: its rule items by number, or, when it
    was assigned directly, its live action items."""
    calendar = WorkingCalendar.for_display()  # one table for all: no query per step
    if rules:
        return [
            Step(
                r.owner,
                r.title,
                r.deliverable,
                _duration(calendar, _day(r.published_at or r.created_at), r.due_date),
            )
            for r in rules
        ]
    return [
        Step(i.owner, i.title, i.deliverable, _duration(calendar, _day(i.created_at), i.due_date))
        for i in items
    ]


def precedents_for(matches: list[Match], user) -> list[Precedent]:
    """The precedents of `matches`, in their order, with what each teaches."""
    ids = [m.case_id for m in matches]
    if not ids:
        return []
    cases = Case.objects.select_related("category", "enterprise").in_bulk(ids)
    resolutions = {}
    for resolution in (
        Resolution.objects.filter(session__case_id__in=ids)
        .select_related("session")
        .prefetch_related("responsible_organisations")
        .order_by("pk")
    ):
        resolutions[resolution.session.case_id] = resolution  # the latest session's wins
    rules, items = {}, {}
    for rule in RuleItem.objects.filter(case_id__in=ids).select_related("owner").order_by("number"):
        rules.setdefault(rule.case_id, []).append(rule)
    for item in (
        ActionItem.objects.filter(case_id__in=ids)
        .exclude(status=ActionItem.Status.CANCELLED)
        .select_related("owner")
        .order_by("pk")
    ):
        items.setdefault(item.case_id, []).append(item)
    calendar = WorkingCalendar.for_display()
    found = []
    for match in matches:
        case = cases.get(match.case_id)
        if case is None:
            continue
        own_items = items.get(case.pk, [])
        departments = list(dict.fromkeys(i.owner.name for i in own_items))
        start, end = (
            _day(case.submitted_at or case.created_at),
            _day(case.resolved_at or case.closed_at),
        )
        found.append(
            Precedent(
                case=case,
                score=match.score,
                reasons=match.reasons,
                route="session" if case.pk in resolutions else "direct",
                departments=departments,
                working_days=calendar.working_days_between(start, end) if start and end else None,
                satisfaction=_satisfaction(case),
                enterprise_name=case.enterprise.name if shows_enterprise(user, case) else None,
                resolution=resolutions.get(case.pk),
                rules=rules.get(case.pk, []),
                steps=steps_of(rules.get(case.pk, []), own_items),
            )
        )
    return found


def similar_precedents(case, user, limit=None) -> list[Precedent]:
    return precedents_for(similar_matches(case, user, limit or SHOWN), user)
