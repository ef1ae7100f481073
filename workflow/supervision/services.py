"""Supervision (督办): the government-service office (a coordinator or its leader) issues a
notice on an overdue action item; the owner and its leaders are told; the owner answers in
writing within SUPERVISION_ANSWER_DAYS working days."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from config import timesource
from config.fsm import Conflict, fire
from workflow.deadlines.working_days import add_working_days
from workflow.items.models import ActionItem
from workflow.notifications.models import Notification
from workflow.notifications.services import case_url, coordinators, members_of, notify
from workflow.record.services import record_event
from workflow.supervision.models import SupervisionNotice
from workflow.supervision.permissions import may_supervise


def _text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [_("请填写内容。")]})
    return value


@transaction.atomic
def supervision_issue(*, item: ActionItem, by, text: str) -> SupervisionNotice:
    text = _text(text, "text")
    if not may_supervise(by):
        raise PermissionDenied(_("只有政务服务办可以督办。"))
    case = Case.objects.select_for_update().get(pk=item.case_id)
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    today = timesource.today()
    if item.status in ActionItem.CLOSED_STATES or item.due_date >= today:
        raise Conflict(_("只能督办已超期的任务。"), code="not_overdue")
    notice = SupervisionNotice.objects.create(
        case=case,
        action_item=item,
        owner_id=item.owner_id,
        issued_by=by,
        text=text,
        answer_due=add_working_days(today, settings.SUPERVISION_ANSWER_DAYS),
    )
    record_event(
        case=case,
        kind="supervision_issued",
        actor=by,
        action_item=item,
        payload={"notice": notice.pk, "text": text, "answer_due": notice.answer_due.isoformat()},
    )
    notify(
        recipients=[*members_of(item.owner_id), *members_of(item.owner_id, leaders_only=True)],
        kind=Notification.Kind.SUPERVISION,
        params={"item": item.title, "due": notice.answer_due, "text": text},
        case=case,
        url=case_url(case),
    )
    return notice


@transaction.atomic
def supervision_answer(*, notice: SupervisionNotice, by, answer: str) -> SupervisionNotice:
    answer = _text(answer, "answer")
    case = Case.objects.select_for_update().get(pk=notice.case_id)
    notice = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
    fire(notice, "answer_in_writing", by, answer)
    notice.answered_by = by
    notice.answered_at = timezone.now()
    notice.save(update_fields=["answered_by", "answered_at"])
    record_event(
        case=case,
        kind="supervision_answered",
        actor=by,
        action_item=notice.action_item,
        payload={"notice": notice.pk, "answer": answer},
    )
    notify(
        recipients=[notice.issued_by, *coordinators()],
        kind=Notification.Kind.SUPERVISION_ANSWERED,
        params={"item": notice.action_item.title, "answer": answer},
        case=case,
        url=case_url(case),
    )
    return notice
