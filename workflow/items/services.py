"""Use cases of an action item (任务) and of the direct route (交办): assign a case to departments,
then sign for, return, work, block, complete and reassign its items."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Attachment, Case, CaseInvolvement, sync_case_access
from cases.permissions import all_action_items_done
from config import timesource
from config.fsm import Conflict, fire
from config.locking import is_locked
from departments.models import Organisation
from workflow.deadlines.services import start_action_item_clock
from workflow.deadlines.working_days import WorkingCalendar, check_due_date
from workflow.items.models import ActionItem
from workflow.notifications.models import Notification
from workflow.notifications.services import case_url, coordinators, members_of, notify
from workflow.record.services import fire_case, record_event


def _item_transition(item, name, by, *args, payload=None):
    """Lock the case, then the item (always in that order, so two writers cannot deadlock),
    unless the caller has just read both under these locks (config/locking.py)."""
    if is_locked(item) and is_locked(item.case):
        case = item.case
    else:
        case = Case.objects.select_for_update().get(pk=item.case_id)
        # The owner's name goes into the event; only the item's row is locked.
        items = ActionItem.objects.select_related("owner").select_for_update(of=("self",))
        item = items.get(pk=item.pk)
    from_state, to_state = fire(item, name, by, *args)
    record_event(
        case=case,
        kind=f"action_item_{name}",
        actor=by,
        action_item=item,
        from_state=from_state,
        to_state=to_state,
        payload={
            "title": item.title,
            "owner": item.owner_id,
            "owner_name": item.owner.name,
            **(payload or {}),
        },
    )
    return case, item


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写原因。")]})
    return reason


def _review_if_all_done(case: Case) -> None:
    """When the case's last action item is done, the case waits for the office's review (待审核)
    before the enterprise is asked to confirm."""
    if case.status == Case.Status.IMPLEMENTING and all_action_items_done(case):
        from_state = case.status
        case.submit_for_review()
        case.save()
        # The system moves the case, not the officer whose completion happened to be last.
        record_event(
            case=case,
            kind="submit_for_review",
            from_state=from_state,
            to_state=case.status,
            payload={"automatic": True},
        )
        notify(
            recipients=coordinators(),
            kind=Notification.Kind.REVIEW_REQUESTED,
            case=case,
            params={"title": case.title},
            url=case_url(case),
        )


@transaction.atomic
def action_item_sign(*, item: ActionItem, by) -> ActionItem:
    return _item_transition(item, "sign", by)[1]


def _tell_office(kind, case: Case, item: ActionItem, reason: str) -> None:
    """A department cannot go on with its item (returned, blocked): the office decides what
    comes next, so every coordinator hears of it with the department's reason."""
    notify(
        recipients=coordinators(),
        kind=kind,
        case=case,
        params={"title": item.title, "owner": str(item.owner), "reason": reason},
        url=case_url(case),
    )


@transaction.atomic
def action_item_return(*, item: ActionItem, by, reason: str) -> ActionItem:
    reason = _reason(reason)
    case, item = _item_transition(
        item, "return_to_coordinator", by, reason, payload={"reason": reason}
    )
    _tell_office(Notification.Kind.ACTION_ITEM_RETURNED, case, item, reason)
    return item


@transaction.atomic
def action_item_start(*, item: ActionItem, by) -> ActionItem:
    return _item_transition(item, "start", by)[1]


@transaction.atomic
def action_item_block(*, item: ActionItem, by, reason: str) -> ActionItem:
    reason = _reason(reason)
    case, item = _item_transition(item, "block", by, reason, payload={"reason": reason})
    _tell_office(Notification.Kind.ACTION_ITEM_BLOCKED, case, item, reason)
    return item


@transaction.atomic
def action_item_unblock(*, item: ActionItem, by) -> ActionItem:
    return _item_transition(item, "unblock", by)[1]


@transaction.atomic
def action_item_complete(
    *, item: ActionItem, by, note: str, evidence: list[Attachment] = ()
) -> ActionItem:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请填写办结说明。")]})
    if any(attachment.case_id != item.case_id for attachment in evidence):
        raise ValidationError({"evidence": [_("佐证材料必须是本诉求事项的附件。")]})
    case, item = _item_transition(
        item,
        "complete",
        by,
        note,
        payload={"note": note, "evidence": [a.pk for a in evidence]},
    )
    item.evidence.add(*evidence)
    _review_if_all_done(case)
    return item


@transaction.atomic
def action_item_reassign(*, item: ActionItem, by, owner: Organisation) -> ActionItem:
    if owner.kind not in (Organisation.Kind.DEPARTMENT, Organisation.Kind.THIRD_PARTY):
        raise ValidationError({"owner": [_("只能交办给部门或第三方。")]})
    previous_owner = item.owner
    case, item = _item_transition(
        item,
        "reassign",
        by,
        owner,
        payload={
            "previous_owner": previous_owner.pk,
            "previous_owner_name": previous_owner.name,
            "new_owner": owner.pk,
            "new_owner_name": owner.name,
        },
    )
    sync_action_item_involvement(case)
    notify(
        recipients=members_of(owner.pk),
        kind=Notification.Kind.ACTION_ITEM_ASSIGNED,
        case=case,
        params={"title": item.title, "case": case.title},
        url=case_url(case),
    )
    return item


@transaction.atomic
def action_item_cancel(*, item: ActionItem, by, reason: str) -> ActionItem:
    reason = _reason(reason)
    case, item = _item_transition(item, "cancel", by, reason, payload={"reason": reason})
    sync_action_item_involvement(case)
    _review_if_all_done(case)
    return item


@transaction.atomic
def case_assign(
    *, case: Case, by, assignments: list[dict], standing_rule: dict | None = None
) -> Case:
    """交办: create one action item per assignment and move the case to implementing.

    Each assignment is {"organisation": Organisation, "title": str, "due_date": date,
    "deliverable": str (optional)}; "due_in_working_days": int may replace "due_date".
    `standing_rule` cites the standing rule (常态化机制) the case is assigned under, in the
    event (workflow.standing_rules).
    """
    if not assignments:
        raise ValidationError({"assignments": [_("至少交办给一个单位。")]})
    calendar = WorkingCalendar()
    for assignment in assignments:
        days = assignment.pop("due_in_working_days", None)
        if days is not None:
            assignment["due_date"] = calendar.add_working_days(timesource.today(), days)
    errors = {}
    for index, assignment in enumerate(assignments):
        owner = assignment["organisation"]
        if owner.kind not in (Organisation.Kind.DEPARTMENT, Organisation.Kind.THIRD_PARTY):
            errors[f"assignments.{index}.organisation"] = [_("只能交办给部门或第三方。")]
        try:
            check_due_date(assignment["due_date"])
        except ValidationError as invalid:
            errors[f"assignments.{index}.due_date"] = invalid.message_dict["due_date"]
    if errors:
        # Every row's problem at once, each named by its place: assignments.<row>.<field>.
        raise ValidationError(errors)
    case = fire_case(
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
            ],
            **({"standing_rule": standing_rule} if standing_rule else {}),
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
    notice_kind: str = Notification.Kind.ACTION_ITEM_ASSIGNED,
    notice_params: dict | None = None,
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
        kind=notice_kind,
        case=case,
        params={"title": title, "case": case.title, **(notice_params or {})},
        url=case_url(case),
    )
    return item


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
        CaseInvolvement(
            case=case,
            organisation_id=owner,
            reason=CaseInvolvement.Reason.ACTION_ITEM,
            case_created_at=case.created_at,
        )
        for owner in owners - existing
    )
    sync_case_access(case)


@transaction.atomic
def case_resolve(*, case: Case, by) -> Case:
    """After review: the office asks the enterprise to confirm (请企业确认)."""
    case = fire_case(case, "resolve", by)
    notify_confirmation_requested(case)
    return case


@transaction.atomic
def case_send_back(*, case: Case, by, items: list[ActionItem], reason: str, due_date: date) -> Case:
    """退回重办: after review, chosen done items go back to their owners with the office's
    reason and a new due date; the case returns to implementing."""
    # The state and the person first (409, 403), then the input; a refusal undoes it all.
    case = fire_case(
        case,
        "send_back",
        by,
        event_payload={"reason": (reason or "").strip(), "items": [item.pk for item in items]},
    )
    reason = _reason(reason)
    if not items:
        raise ValidationError({"items": [_("请选择要退回重办的任务。")]})
    if any(item.case_id != case.pk or item.status != ActionItem.Status.DONE for item in items):
        raise ValidationError({"items": [_("只能退回本诉求事项中已办结的任务。")]})
    check_due_date(due_date)
    for item in items:
        item = (
            ActionItem.objects.select_related("owner")
            .select_for_update(of=("self",))
            .get(pk=item.pk)
        )
        from_state, to_state = fire(item, "rework", by, reason, due_date)
        record_event(
            case=case,
            kind="action_item_rework",
            actor=by,
            action_item=item,
            from_state=from_state,
            to_state=to_state,
            payload={
                "title": item.title,
                "owner": item.owner_id,
                "owner_name": item.owner.name,
                "reason": reason,
                "due_date": due_date.isoformat(),
            },
        )
        start_action_item_clock(item)
        notify(
            recipients=members_of(item.owner_id),
            kind=Notification.Kind.ACTION_ITEM_REWORK,
            case=case,
            params={"title": item.title, "reason": reason, "due": due_date.isoformat()},
            url=f"/items/{item.pk}/",
        )
    return case


def notify_confirmation_requested(case: Case) -> None:
    notify(
        recipients=[case.filed_by],
        kind=Notification.Kind.CONFIRMATION_REQUESTED,
        case=case,
        params={"title": case.title},
        url=case_url(case),
    )


@transaction.atomic
def action_item_handler_set(*, item: ActionItem, by, handler) -> ActionItem:
    """A leader of the owning organisation names the officer who handles the item (经办人),
    or clears the name; only a member of that organisation may handle it."""
    item = ActionItem.objects.select_for_update().select_related("case").get(pk=item.pk)
    if not (by.is_leader and by.belongs_to(item.owner_id)):
        raise PermissionDenied(_("只有承办单位的分管领导可以指定经办人。"))
    if item.status in ActionItem.CLOSED_STATES:
        raise Conflict(_("已办结或已撤销的任务不能再指定经办人。"), code="invalid_state")
    if handler is not None and not handler.belongs_to(item.owner_id):
        raise ValidationError({"handler": [_("经办人须是承办单位的在职人员。")]})
    if item.handler_id == (handler.pk if handler else None):
        return item
    item.handler = handler
    item.save(update_fields=["handler", "updated_at"])
    record_event(
        case=item.case,
        kind="action_item_handler_named",
        actor=by,
        action_item=item,
        payload={
            "handler": handler.pk if handler else None,
            "name": str(handler) if handler else "-",
        },
        internal=True,
    )
    if handler is not None and handler != by:
        notify(
            recipients=[handler],
            kind=Notification.Kind.ACTION_ITEM_HANDLER_NAMED,
            case=item.case,
            params={"title": item.title, "case": item.case.title},
            url=f"/items/{item.pk}/",
        )
    return item
