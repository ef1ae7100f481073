"""Extensions: the owner asks before the due date; a coordinator approves (the due date moves)
or refuses (it does not)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from config import timesource
from config.fsm import Conflict, fire
from workflow.deadlines.services import move_action_item_clock
from workflow.deadlines.working_days import check_due_date
from workflow.extensions.models import Extension
from workflow.items.models import ActionItem
from workflow.notifications.models import Notification
from workflow.notifications.services import case_url, coordinators, members_of, notify
from workflow.record.services import record_event


@transaction.atomic
def extension_request(*, item: ActionItem, by, due_date, reason: str) -> Extension:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写延期理由。")]})
    case = Case.objects.select_for_update().get(pk=item.case_id)
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if not by.belongs_to(item.owner_id):
        raise PermissionDenied(_("只有承办单位可以申请延期。"))
    if item.status in ActionItem.CLOSED_STATES:
        raise Conflict(_("该任务已结束，不能申请延期。"), code="invalid_state")
    if timesource.today() > item.due_date:
        raise Conflict(_("已超过办理期限，不能再申请延期。"), code="overdue")
    if due_date <= item.due_date:
        raise ValidationError({"due_date": [_("申请的期限必须晚于当前办理期限。")]})
    check_due_date(due_date)
    if item.extensions.filter(status=Extension.Status.REQUESTED).exists():
        raise Conflict(_("已有待审批的延期申请。"), code="extension_pending")
    extension = Extension.objects.create(
        action_item=item,
        requested_by=by,
        reason=reason,
        old_due_date=item.due_date,
        requested_due_date=due_date,
    )
    record_event(
        case=case,
        kind="extension_requested",
        actor=by,
        action_item=item,
        payload={"extension": extension.pk, "due_date": due_date.isoformat(), "reason": reason},
    )
    notify(
        recipients=coordinators(),
        kind=Notification.Kind.EXTENSION_REQUESTED,
        params={"item": item.title, "due": due_date},
        case=case,
        url=case_url(case),
    )
    return extension


def _decide(extension: Extension, by, name: str, note: str) -> Extension:
    case = Case.objects.select_for_update().get(pk=extension.action_item.case_id)
    item = ActionItem.objects.select_for_update().get(pk=extension.action_item_id)
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    fire(extension, name, by, (note or "").strip())
    extension.decided_by = by
    extension.decided_at = timezone.now()
    extension.save(update_fields=["decided_by", "decided_at"])
    if extension.status == Extension.Status.APPROVED:
        item.due_date = extension.requested_due_date
        item.save(update_fields=["due_date", "updated_at"])
        move_action_item_clock(item)
    record_event(
        case=case,
        kind=f"extension_{extension.status}",
        actor=by,
        action_item=item,
        payload={
            "extension": extension.pk,
            "due_date": item.due_date.isoformat(),
            "note": extension.decision_note,
        },
    )
    notify(
        recipients=members_of(item.owner_id),
        kind=Notification.Kind.EXTENSION_DECIDED,
        params={"result": extension.status, "item": item.title, "due": item.due_date},
        case=case,
        url=case_url(case),
    )
    return extension


@transaction.atomic
def extension_approve(*, extension: Extension, by, note: str = "") -> Extension:
    return _decide(extension, by, "approve", note)


@transaction.atomic
def extension_refuse(*, extension: Extension, by, note: str = "") -> Extension:
    return _decide(extension, by, "refuse", note)
