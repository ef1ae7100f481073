"""Starting from a precedent (参照类案): the coordinator copies a precedent's steps into the
case's draft rules, or takes them as the rows of a direct assignment; either way the case
records which precedent it followed, and the event log cites it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Case
from config import timesource
from config.fsm import Conflict
from workflow.deadlines.working_days import WorkingCalendar
from workflow.implementation.services import rule_item_add
from workflow.items.models import ActionItem
from workflow.precedents.models import PrecedentFollow
from workflow.precedents.outcomes import steps_of
from workflow.precedents.similarity import PRECEDENT_STATES, precedents_visible_to
from workflow.record.services import record_event

ASSIGNABLE = [Case.Status.ACCEPTED, Case.Status.IMPLEMENTING]


def precedent_steps(precedent: Case) -> list:
    """The steps a case can take from `precedent`, owners still active."""
    rules = list(precedent.rule_items.select_related("owner").order_by("number"))
    items = list(
        precedent.action_items.exclude(status=ActionItem.Status.CANCELLED)
        .select_related("owner")
        .order_by("pk")
    )
    kept_rules = [r for r in rules if r.owner.is_active]
    kept_items = [i for i in items if i.owner.is_active]
    return steps_of(kept_rules, [] if rules else kept_items)


def _check_precedent(case, precedent, by) -> None:
    if precedent is None or precedent.pk == case.pk:
        raise ValidationError({"precedent": [_("请选择另一件已办结的诉求事项作为类案。")]})
    visible = precedents_visible_to(by).filter(pk=precedent.pk, status__in=PRECEDENT_STATES)
    if not visible.exists():
        raise ValidationError({"precedent": [_("只能参照您可见的已办结诉求事项。")]})


@transaction.atomic
def precedent_follow(*, case: Case, precedent: Case, by, mode: str) -> PrecedentFollow:
    """Follow `precedent` on `case`: `rules` copies its steps into the draft rules (the case
    must be deliberated, the drafts not with the leader), each due the same number of working
    days from today as it was given then; `assign` records the steps for the 交办 form (the case
    must be accepted or implementing), which the coordinator checks and submits."""
    if not by.is_coordinator:
        raise PermissionDenied(_("只有协调员可以参照类案办理。"))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if mode not in PrecedentFollow.Mode.values:
        raise ValidationError({"mode": [_("请选择参照方式。")]})
    _check_precedent(case, precedent, by)
    if mode == PrecedentFollow.Mode.ASSIGN and case.status not in ASSIGNABLE:
        raise Conflict(_("诉求事项受理后才能参照类案交办。"), code="invalid_state")
    if mode == PrecedentFollow.Mode.RULES and case.status != Case.Status.DELIBERATED:
        raise Conflict(_("诉求事项已议定后才能参照类案拟定实施细则。"), code="invalid_state")
    steps = precedent_steps(precedent)
    if not steps:
        raise ValidationError({"precedent": [_("该类案没有可参照的细则或任务。")]})
    copied = []
    if mode == PrecedentFollow.Mode.RULES:
        today = timesource.today()
        for step in steps:
            copied.append(
                rule_item_add(
                    case=case,
                    by=by,
                    title=step.title,
                    owner=step.owner,
                    deliverable=step.deliverable,
                    due_date=step.due_from(today),
                )
            )
    follow = PrecedentFollow.objects.create(
        case=case,
        precedent=precedent,
        mode=mode,
        steps=[step.as_json() for step in steps],
        followed_by=by,
    )
    # Internal: the precedent may be another enterprise's case.
    record_event(
        case=case,
        kind="precedent_followed",
        actor=by,
        payload={
            "precedent": precedent.pk,
            "reference": precedent.reference,
            "mode": mode,
            "steps": len(steps),
            "rule_items": [item.pk for item in copied],
        },
        internal=True,
    )
    return follow


def assignment_rows(follow: PrecedentFollow) -> list[dict]:
    """The 交办 form's rows from a followed precedent, due dates counted from today."""
    today = timesource.today()
    calendar = WorkingCalendar.for_display()  # no query per row of a list of follows
    return [
        {
            "organisation": str(step["owner"]),
            "title": step["title"],
            "deliverable": step["deliverable"],
            "due_date": calendar.add_working_days(today, step["working_days"]).isoformat(),
        }
        for step in follow.steps
    ]
