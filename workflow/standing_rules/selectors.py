"""Reading standing rules (常态化机制): the list, a rule's versions and history, what a
resolved case offers to promote, and what a case page shows (the offer at triage, or the rule
the case was handled under)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Case
from config import timesource
from workflow.deadlines.working_days import WorkingCalendar
from workflow.sessions.models import Resolution
from workflow.standing_rules.models import (
    StandingRule,
    StandingRuleApplication,
    StandingRuleItem,
    StandingRuleVersion,
)
from workflow.standing_rules.services import APPLICABLE, PROMOTABLE


def rules_for(user):
    return StandingRule.objects.visible_to(user).select_related("category", "source_case")


def with_current(rules: list) -> list:
    """Each rule of a page with `current` (the version in force today, or None): one query for
    the page, whatever its size."""
    current = {}
    in_force = StandingRuleVersion.objects.filter(
        rule__in=[rule.pk for rule in rules],
        status=StandingRuleVersion.Status.IN_FORCE,
        effective_on__lte=timesource.today(),
    ).order_by("rule_id", "-effective_on", "-version")
    for version in in_force:
        current.setdefault(version.rule_id, version)
    for rule in rules:
        rule.current = current.get(rule.pk)
        rule.current_version = rule.current.version if rule.current else None
    return rules


def versions_for(user, rule):
    return (
        StandingRuleVersion.objects.visible_to(user)
        .filter(rule=rule)
        .select_related("created_by", "enacted_by", "retired_by", "rule")
        .prefetch_related(
            Prefetch("items", queryset=StandingRuleItem.objects.select_related("owner"))
        )
        .order_by("version")
    )


def standing(version: StandingRuleVersion, versions, today: date) -> str:
    """Where a version stands today, among its rule's `versions`:
    draft, scheduled (in force from a later day), current, superseded or retired."""
    if version.status != StandingRuleVersion.Status.IN_FORCE:
        return version.status
    if version.effective_on > today:
        return "scheduled"
    later = [
        v
        for v in versions
        if v.status == StandingRuleVersion.Status.IN_FORCE
        and version.effective_on < v.effective_on <= today
    ]
    return "superseded" if later else "current"


STANDING_LABELS = {
    "draft": gettext_lazy("草案"),
    "scheduled": gettext_lazy("待生效"),
    "current": gettext_lazy("现行有效"),
    "superseded": gettext_lazy("已被新版本取代"),
    "retired": gettext_lazy("已废止"),
}


@dataclass
class HistoryLine:
    at: datetime
    who: object
    what: str
    note: str = ""


def history(versions) -> list[HistoryLine]:
    """The rule's own history, oldest first, read from its versions."""
    lines = []
    for v in versions:
        drafted = (
            _("起草第%(v)s版") % {"v": v.version}
            if v.version == 1
            else _("起草修订第%(v)s版") % {"v": v.version}
        )
        lines.append(HistoryLine(v.created_at, v.created_by, drafted, v.reason))
        if v.enacted_at:
            what = _("施行第%(v)s版，%(day)s起生效") % {
                "v": v.version,
                "day": date_format(v.effective_on, "DATE_FORMAT"),
            }
            lines.append(HistoryLine(v.enacted_at, v.enacted_by, what))
        if v.retired_at:
            what = _("废止第%(v)s版") % {"v": v.version}
            lines.append(HistoryLine(v.retired_at, v.retired_by, what, v.retire_reason))
    return sorted(lines, key=lambda line: line.at)


def rule_detail(user, rule) -> dict:
    versions = list(versions_for(user, rule))
    today = timesource.today()
    for v in versions:
        v.standing = standing(v, versions, today)
        v.standing_label = STANDING_LABELS[v.standing]
    current = rule.in_force_on(today)
    return {
        "rule": rule,
        "versions": list(reversed(versions)),
        "current": current if current in versions else None,
        "draft": next((v for v in versions if v.status == "draft"), None),
        "live": any(v.status != "retired" for v in versions),
        "history": history(versions) if user.is_coordinator else [],
        "applications": StandingRuleApplication.objects.filter(version__rule=rule)
        .select_related("case", "version")
        .order_by("-applied_at")[:20]
        if user.is_coordinator
        else [],
    }


def promotion_draft(case: Case) -> dict:
    """What a resolved case offers to promote: its resolution (or, on the direct route, the
    items assigned), and its implementation rules' items, each with the working days it was
    given from issue to deadline."""
    resolution = Resolution.objects.filter(session__case=case).order_by("-pk").first()
    calendar = WorkingCalendar()
    rows = []
    rule_items = list(case.rule_items.filter(published_at__isnull=False).select_related("owner"))
    if rule_items:
        for r in rule_items:
            start = timesource.today() if r.published_at is None else r.published_at.date()
            rows.append((r.owner, r.title, r.deliverable, r.due_date, start))
    else:
        for item in case.action_items.exclude(status="cancelled").select_related("owner"):
            rows.append(
                (item.owner, item.title, item.deliverable, item.due_date, item.created_at.date())
            )
    items = [
        {
            "owner": owner,
            "title": title,
            "deliverable": deliverable,
            "working_days": max(1, calendar.working_days_between(start, due)),
        }
        for owner, title, deliverable, due, start in rows
    ]
    return {
        "title": case.title,
        "summary": resolution.summary if resolution else "",
        "legal_basis": resolution.legal_basis if resolution else "",
        "effective_on": timesource.today(),
        "items": items,
    }


def may_promote(user, case) -> bool:
    return user.is_coordinator and user.is_leader and case.status in PROMOTABLE


def offers_for(case) -> list[StandingRuleVersion]:
    """The versions in force today for the case's category, one per rule (one query, and one
    for the items when there are any), each item with the due date applying it today gives."""
    today = timesource.today()
    in_force = (
        StandingRuleVersion.objects.filter(
            rule__category_id=case.category_id,
            status=StandingRuleVersion.Status.IN_FORCE,
            effective_on__lte=today,
        )
        .select_related("rule")
        .prefetch_related(
            Prefetch("items", queryset=StandingRuleItem.objects.select_related("owner"))
        )
        .order_by("rule__number", "-effective_on", "-version")
    )
    offers = {}
    for version in in_force:
        offers.setdefault(version.rule_id, version)
    # The calendar reads the holiday table: only when there is something to date.
    calendar = WorkingCalendar() if offers else None
    for version in offers.values():
        version.item_rows = list(version.items.all())
        for item in version.item_rows:
            item.due_date = calendar.add_working_days(today, item.working_days)
    return list(offers.values())


def case_context(user, case) -> dict:
    """What a case page shows about standing rules: the one it was handled under (everyone who
    sees the case), the offer at triage (coordinators), whether the leader may promote it."""
    # A submitted case has never been assigned, so it was handled under no rule: the triage
    # queue's pages skip the query.
    application = (
        None
        if case.status == Case.Status.SUBMITTED
        else StandingRuleApplication.objects.filter(case=case)
        .select_related("version__rule", "applied_by")
        .first()
    )
    offers = []
    if application is None and user.is_coordinator and case.status in APPLICABLE:
        offers = offers_for(case)
    return {
        "standing_application": application,
        "standing_offers": offers,
        "may_promote": may_promote(user, case),
    }
