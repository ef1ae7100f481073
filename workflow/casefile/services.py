"""The case's own lifecycle (诉求事项): file, submit, triage (return for information, reject,
accept), confirm and withdraw. The direct route (assign, resolve) is in workflow.items."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Case, Category
from workflow.items.models import ActionItem
from workflow.notifications.models import Notification
from workflow.notifications.services import case_url, coordinators, notify
from workflow.record.services import fire_case, record_event
from workflow.sessions.models import JointSession


def _require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: [_("请填写原因。")]})
    return reason


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
        case = fire_case(case, "submit", by)
    return case


@transaction.atomic
def case_submit(*, case: Case, by) -> Case:
    return fire_case(case, "submit", by)


@transaction.atomic
def case_return_for_info(*, case: Case, by, reason: str) -> Case:
    reason = _require_reason(reason)
    case = fire_case(case, "return_for_info", by, event_payload={"reason": reason})
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
    return fire_case(case, "resubmit", by, event_payload={"reply": reply.strip()})


@transaction.atomic
def case_reject(*, case: Case, by, reason: str) -> Case:
    reason = _require_reason(reason)
    return fire_case(case, "reject", by, event_payload={"reason": reason})


@transaction.atomic
def case_accept(*, case: Case, by, note: str = "") -> Case:
    return fire_case(case, "accept", by, event_payload={"note": note.strip()})


@transaction.atomic
def case_confirm(*, case: Case, by, rating: str, comment: str = "") -> Case:
    if rating not in Case.Rating.values:
        raise ValidationError({"rating": [_("请选择满意、基本满意或不满意。")]})
    comment = (comment or "").strip()
    dissatisfied = rating == Case.Rating.DISSATISFIED
    if dissatisfied and not comment:
        # 不满意 reopens the case: the office must know what is still wrong.
        raise ValidationError({"comment": [_("选择不满意时，请说明哪些问题仍未解决。")]})
    case = fire_case(
        case, "confirm", by, args=(rating,), event_payload={"rating": rating, "comment": comment}
    )
    if dissatisfied:
        notify(
            recipients=coordinators(),
            kind=Notification.Kind.OTHER,
            case=case,
            title=_("企业不满意，诉求事项已重新办理：%(title)s") % {"title": case.title},
            body=comment,
            url=case_url(case),
        )
    return case


@transaction.atomic
def case_withdraw(*, case: Case, by, reason: str) -> Case:
    reason = _require_reason(reason)
    case = fire_case(case, "withdraw", by, event_payload={"reason": reason})
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
