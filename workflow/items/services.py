"""Use cases of an action item (任务): sign for, return, work, block, complete, reassign."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Attachment, Case
from cases.rules import all_action_items_done
from departments.models import Organisation
from workflow.events import record_event
from workflow.models import ActionItem, Notification
from workflow.notifications import case_url, coordinators, members_of, notify
from workflow.services.cases import notify_confirmation_requested, sync_action_item_involvement
from workflow.services.transitions import fire


def _item_transition(item, name, by, *args, payload=None):
    """Lock the case, then the item (always in that order, so two writers cannot deadlock)."""
    case = Case.objects.select_for_update().get(pk=item.case_id)
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
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


def _resolve_if_all_done(case: Case) -> None:
    """The case resolves itself when its last action item is done."""
    if case.status == Case.Status.IMPLEMENTING and all_action_items_done(case):
        from_state = case.status
        case.resolve()
        case.save()
        # The system resolves the case, not the officer whose completion happened to be last.
        record_event(
            case=case,
            kind="resolve",
            from_state=from_state,
            to_state=case.status,
            payload={"automatic": True},
        )
        notify_confirmation_requested(case)


@transaction.atomic
def action_item_sign(*, item: ActionItem, by) -> ActionItem:
    return _item_transition(item, "sign", by)[1]


@transaction.atomic
def action_item_return(*, item: ActionItem, by, reason: str) -> ActionItem:
    reason = _reason(reason)
    case, item = _item_transition(
        item, "return_to_coordinator", by, reason, payload={"reason": reason}
    )
    notify(
        recipients=coordinators(),
        kind=Notification.Kind.ACTION_ITEM_RETURNED,
        case=case,
        title=_("任务被退回：%(title)s") % {"title": item.title},
        body=reason,
        url=case_url(case),
    )
    return item


@transaction.atomic
def action_item_start(*, item: ActionItem, by) -> ActionItem:
    return _item_transition(item, "start", by)[1]


@transaction.atomic
def action_item_block(*, item: ActionItem, by, reason: str) -> ActionItem:
    reason = _reason(reason)
    return _item_transition(item, "block", by, reason, payload={"reason": reason})[1]


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
    _resolve_if_all_done(case)
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
        title=_("新任务：%(title)s") % {"title": item.title},
        body=case.title,
        url=case_url(case),
    )
    return item


@transaction.atomic
def action_item_cancel(*, item: ActionItem, by, reason: str) -> ActionItem:
    reason = _reason(reason)
    case, item = _item_transition(item, "cancel", by, reason, payload={"reason": reason})
    sync_action_item_involvement(case)
    _resolve_if_all_done(case)
    return item
