"""The case's own lifecycle (诉求事项): file, submit, triage (return for information, reject,
accept), confirm and withdraw. The direct route (assign, resolve) is in workflow.items."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from cases.models import Case, Category
from cases.permissions import is_case_enterprise_user
from config.fsm import Conflict
from departments.models import Organisation, User
from workflow.items.models import ActionItem
from workflow.notifications.models import Notification
from workflow.notifications.services import (
    case_url,
    coordinators,
    notify,
    notify_office_submitted,
)
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
    if submit:
        case = case_submit(case=case, by=by)
    return case


@transaction.atomic
def case_submit(*, case: Case, by) -> Case:
    """A draft leaves no record (only its enterprise ever sees it, and it may be deleted): the
    case's history starts when it is submitted."""
    if case.status == Case.Status.DRAFT and not case.events.exists():
        record_event(case=case, kind="created", actor=by, to_state=Case.Status.DRAFT)
    case = fire_case(case, "submit", by)
    notify_office_submitted(case)
    return case


# What the enterprise may change in each state: anything in its draft; once the office has
# returned the case for more information (待补正), what it asked about: title and description
# (attachments are added and removed beside them, contributions.py).
EDITABLE_FIELDS = {
    Case.Status.DRAFT: [
        "title",
        "description",
        "category",
        "project_name",
        "location",
        "urgency",
        "desired_date",
    ],
    Case.Status.NEEDS_INFO: ["title", "description"],
}


def lock_own_case(case: Case, by, states) -> Case:
    """Re-read `case` under a row lock; refuse anyone but its enterprise (403) and any state
    but `states` (409)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not is_case_enterprise_user(case, by):
        raise PermissionDenied(_("只有提交该诉求的企业可以修改它。"))
    if case.status not in states:
        raise Conflict(
            _("当前状态（%(state)s）不能修改诉求内容。") % {"state": case.get_status_display()},
            code="invalid_state",
        )
    return case


@transaction.atomic
def case_edit(*, case: Case, by, **changes) -> Case:
    """The enterprise edits its draft, or corrects its case while it is returned for more
    information (待补正); the correction is recorded with the names of the fields changed."""
    case = lock_own_case(case, by, EDITABLE_FIELDS)
    editable = EDITABLE_FIELDS[case.status]
    refused = sorted(set(changes) - set(editable))
    if refused:
        raise ValidationError({name: [_("待补正时只能修改标题和诉求描述。")] for name in refused})
    for name in ("title", "description", "project_name", "location"):
        if isinstance(changes.get(name), str):
            changes[name] = changes[name].strip()
    category = changes.get("category")
    if category is not None and category != case.category and not category.is_active:
        raise ValidationError({"category": [_("该问题类别已停用。")]})
    changed = [name for name, value in changes.items() if getattr(case, name) != value]
    for name in changed:
        setattr(case, name, changes[name])
    case.full_clean(exclude=["status", "reference"])
    if changed:
        case.save()
        if case.status != Case.Status.DRAFT:
            record_event(case=case, kind="case_corrected", actor=by, payload={"fields": changed})
    return case


@transaction.atomic
def case_delete_draft(*, case: Case, by) -> None:
    """The enterprise discards its draft: the case and its attachments are gone. A submitted
    case is never deleted (its record is kept); it can be withdrawn instead."""
    case = lock_own_case(case, by, [Case.Status.DRAFT])
    if case.events.exists():
        # Drafts filed before drafts stopped leaving a record: the record is never erased.
        raise Conflict(_("这份草稿已有办理记录，不能删除，请改为撤回。"), code="has_record")
    storage_names = [(a.file.storage, a.file.name) for a in case.attachments.all()]
    case.attachments.all().delete()
    case.delete()

    def remove_files():
        for storage, name in storage_names:
            storage.delete(name)

    transaction.on_commit(remove_files)


@transaction.atomic
def case_return_for_info(*, case: Case, by, reason: str) -> Case:
    reason = _require_reason(reason)
    case = fire_case(case, "return_for_info", by, event_payload={"reason": reason})
    notify(
        recipients=[case.filed_by],
        kind=Notification.Kind.INFO_REQUESTED,
        case=case,
        params={"title": case.title, "reason": reason},
        url=case_url(case),
    )
    return case


@transaction.atomic
def case_resubmit(*, case: Case, by, reply: str = "") -> Case:
    case = fire_case(case, "resubmit", by, event_payload={"reply": reply.strip()})
    notify_office_submitted(case, reply=reply.strip())
    return case


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
            kind=Notification.Kind.CASE_REOPENED,
            case=case,
            params={"title": case.title, "comment": comment},
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


@transaction.atomic
def case_owner_set(*, case: Case, by, owner) -> Case:
    """The office leader names the coordinator who owns the case (承办人), or clears it."""
    if not (by.is_coordinator and by.is_leader):
        raise PermissionDenied(_("只有政务服务办领导可以指定承办人。"))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise Conflict(_("已结束的诉求事项不能再指定承办人。"), code="invalid_state")
    if owner is not None and not owner.is_coordinator:
        raise ValidationError({"owner": [_("承办人须是政务服务办的工作人员。")]})
    if case.owner_id == (owner.pk if owner else None):
        return case
    case.owner = owner
    case.save(update_fields=["owner", "updated_at"])
    record_event(
        case=case,
        kind="case_owner_named",
        actor=by,
        payload={"owner": owner.pk if owner else None, "name": str(owner) if owner else "-"},
        internal=True,
    )
    if owner is not None and owner != by:
        notify(
            recipients=[owner],
            kind=Notification.Kind.CASE_OWNER_NAMED,
            case=case,
            params={"title": case.title},
            url=case_url(case),
        )
    return case


def coordinator_workload():
    """Open cases per 承办人, for the office leader: every active coordinator with a count
    (one grouped query on the case_owner_status index), and the open cases nobody owns."""
    closed = (Case.Status.DRAFT, Case.Status.CLOSED, Case.Status.REJECTED, Case.Status.WITHDRAWN)
    open_states = [state for state in Case.Status.values if state not in closed]
    counts = dict(
        Case.objects.filter(owner__isnull=False, status__in=open_states)
        .order_by()
        .values_list("owner")
        .annotate(n=Count("pk"))
    )
    people = User.objects.filter(
        organisation__kind=Organisation.Kind.OFFICE, is_active=True
    ).order_by("username")
    rows = [{"person": person, "open_cases": counts.get(person.pk, 0)} for person in people]
    unowned = Case.objects.filter(owner__isnull=True, status__in=open_states).count()
    return rows, unowned
