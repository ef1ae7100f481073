"""Use cases that move a case along the direct route: file, triage, assign, resolve, confirm."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Case, CaseInvolvement, Category
from config import timesource
from departments.models import Organisation
from workflow.events import record_event
from workflow.models import ActionItem, JointSession, Notification
from workflow.notifications import case_url, members_of, notify
from workflow.services.transitions import fire
from workflow.working_days import WorkingCalendar


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: [_("请填写原因。")]})
    return reason


def _transition(case, name, by, *, event_payload=None, args=(), internal=False):
    """Lock the case, fire `name`, and record it as an event; return the locked case."""
    case = _locked(case)
    from_state, to_state = fire(case, name, by, *args)
    record_event(
        case=case,
        kind=name,
        actor=by,
        from_state=from_state,
        to_state=to_state,
        payload=event_payload,
        internal=internal,
    )
    return case


@transaction.atomic
def case_file(
    *,
    by,
    title: str,
    description: str,
    category: Category,
    project_name: str = "",
    location: str = "",
    urgency: str = Case.Urgency.NORMAL,
    desired_date: date | None = None,
    submit: bool = False,
) -> Case:
    """An enterprise user files a case, as a draft or submitted at once."""
    if not by.is_enterprise_user:
        raise PermissionDenied(_("只有企业用户可以提交诉求。"))
    if not category.is_active:
        raise ValidationError({"category": [_("该问题类别已停用。")]})
    case = Case(
        title=title,
        description=description,
        category=category,
        project_name=project_name,
        location=location,
        urgency=urgency,
        desired_date=desired_date,
        enterprise_id=by.organisation_id,
        filed_by=by,
    )
    case.full_clean(exclude=["status", "reference"])
    case.save()
    record_event(case=case, kind="created", actor=by, to_state=case.status)
    if submit:
        case = _transition(case, "submit", by)
    return case


@transaction.atomic
def case_submit(*, case: Case, by) -> Case:
    return _transition(case, "submit", by)


@transaction.atomic
def case_return_for_info(*, case: Case, by, reason: str) -> Case:
    reason = _require_reason(reason)
    case = _transition(case, "return_for_info", by, event_payload={"reason": reason})
    notify(
        recipients=[case.filed_by],
        kind=Notification.Kind.INFO_REQUESTED,
        case=case,
        title=_("诉求事项需要补正：%(title)s") % {"title": case.title},
        body=reason,
        url=case_url(case),
    )
    return case


@transaction.atomic
def case_resubmit(*, case: Case, by, reply: str = "") -> Case:
    return _transition(case, "resubmit", by, event_payload={"reply": reply.strip()})


@transaction.atomic
def case_reject(*, case: Case, by, reason: str) -> Case:
    reason = _require_reason(reason)
    return _transition(case, "reject", by, event_payload={"reason": reason})


@transaction.atomic
def case_accept(*, case: Case, by, note: str = "") -> Case:
    return _transition(case, "accept", by, event_payload={"note": note.strip()})


@transaction.atomic
def case_assign(*, case: Case, by, assignments: list[dict]) -> Case:
    """交办: create one action item per assignment and move the case to implementing.

    Each assignment is {"organisation": Organisation, "title": str, "due_date": date,
    "deliverable": str (optional)}; "due_in_working_days": int may replace "due_date".
    """
    if not assignments:
        raise ValidationError({"assignments": [_("至少交办给一个单位。")]})
    calendar = WorkingCalendar()
    for assignment in assignments:
        days = assignment.pop("due_in_working_days", None)
        if days is not None:
            assignment["due_date"] = calendar.add_working_days(timesource.today(), days)
    for index, assignment in enumerate(assignments):
        owner = assignment["organisation"]
        if owner.kind not in (Organisation.Kind.DEPARTMENT, Organisation.Kind.THIRD_PARTY):
            raise ValidationError(
                {"assignments": [_("第%(n)d项：只能交办给部门或第三方。") % {"n": index + 1}]}
            )
    case = _transition(
        case,
        "assign",
        by,
        event_payload={
            "assignments": [
                {
                    "organisation": a["organisation"].pk,
                    "organisation_name": a["organisation"].name,
                    "title": a["title"],
                    "due_date": a["due_date"].isoformat(),
                }
                for a in assignments
            ]
        },
    )
    for assignment in assignments:
        action_item_open(
            case=case,
            by=by,
            owner=assignment["organisation"],
            title=assignment["title"],
            deliverable=assignment.get("deliverable", ""),
            due_date=assignment["due_date"],
        )
    sync_action_item_involvement(case)
    return case


def action_item_open(
    *,
    case: Case,
    by,
    owner: Organisation,
    title: str,
    due_date: date,
    deliverable: str = "",
    notice_title: str = "",
    event_payload: dict | None = None,
) -> ActionItem:
    """Create an action item inside the caller's transaction, with its event and a notice to
    the owner's members; the caller syncs the case's involvements once it has made them all."""
    item = ActionItem.objects.create(
        case=case,
        owner=owner,
        title=title,
        deliverable=deliverable,
        due_date=due_date,
        created_by=by,
    )
    record_event(
        case=case,
        kind="action_item_assigned",
        actor=by,
        action_item=item,
        to_state=item.status,
        payload={
            "owner": owner.pk,
            "owner_name": owner.name,
            "title": title,
            **(event_payload or {}),
        },
    )
    notify(
        recipients=members_of(owner.pk),
        kind=Notification.Kind.ACTION_ITEM_ASSIGNED,
        case=case,
        title=notice_title or _("新任务：%(title)s") % {"title": title},
        body=case.title,
        url=case_url(case),
    )
    return item


@transaction.atomic
def case_resolve(*, case: Case, by) -> Case:
    case = _transition(case, "resolve", by)
    notify_confirmation_requested(case)
    return case


def notify_confirmation_requested(case: Case) -> None:
    notify(
        recipients=[case.filed_by],
        kind=Notification.Kind.CONFIRMATION_REQUESTED,
        case=case,
        title=_("诉求事项已办结，请确认评价：%(title)s") % {"title": case.title},
        url=case_url(case),
    )


@transaction.atomic
def case_confirm(*, case: Case, by, rating: str, comment: str = "") -> Case:
    if rating not in Case.Rating.values:
        raise ValidationError({"rating": [_("请选择满意、基本满意或不满意。")]})
    return _transition(
        case, "confirm", by, args=(rating,), event_payload={"rating": rating, "comment": comment}
    )


@transaction.atomic
def case_withdraw(*, case: Case, by, reason: str) -> Case:
    reason = _require_reason(reason)
    case = _transition(case, "withdraw", by, event_payload={"reason": reason})
    for item in case.action_items.exclude(status__in=ActionItem.CLOSED_STATES):
        # The work stops with the case; the items are closed without a transition permission
        # check because the enterprise, not the coordinator, withdrew.
        from_state = item.status
        item.cancel(reason=_("企业已撤回诉求"))
        item.save()
        record_event(
            case=case,
            kind="action_item_cancel",
            actor=by,
            action_item=item,
            from_state=from_state,
            to_state=item.status,
        )
    for session in case.sessions.filter(status__in=JointSession.OPEN_STATES):
        # Like the items: the sessions stop with the case, whoever withdrew it.
        from_state = session.status
        session.cancel(reason=_("企业已撤回诉求"))
        session.save()
        record_event(
            case=case,
            kind="session_cancel",
            actor=by,
            from_state=from_state,
            to_state=session.status,
            payload={"session": session.pk, "reason": _("企业已撤回诉求")},
        )
    return case


def sync_action_item_involvement(case: Case) -> None:
    """Let exactly the organisations that own a live action item see the case."""
    owners = set(
        case.action_items.exclude(status=ActionItem.Status.CANCELLED).values_list(
            "owner_id", flat=True
        )
    )
    involved = CaseInvolvement.objects.filter(case=case, reason=CaseInvolvement.Reason.ACTION_ITEM)
    involved.exclude(organisation_id__in=owners).delete()
    existing = set(involved.values_list("organisation_id", flat=True))
    CaseInvolvement.objects.bulk_create(
        CaseInvolvement(case=case, organisation_id=owner, reason=CaseInvolvement.Reason.ACTION_ITEM)
        for owner in owners - existing
    )
