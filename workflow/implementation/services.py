"""Implementation rules (实施细则): drafting while deliberated, the office leader's sign-off
(领导签批), issuing, and amending.

A coordinator submits the drafts for sign-off; while the leader has them they are frozen. The
leader returns them with remarks, or approves them: approving issues them, which publishes every
draft item, creates one action item per item and gives the rules their document number (文号);
from then on the foundation's route (items done → resolved → confirmed) carries the case on.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from config.fsm import Conflict, check_transition, fire
from departments.models import Organisation, User
from workflow.deadlines.services import move_action_item_clock
from workflow.deadlines.working_days import check_due_date
from workflow.documents.services import document_issue
from workflow.implementation.models import RuleAmendment, RuleItem, RuleSignOff
from workflow.items.models import ActionItem
from workflow.items.services import action_item_open, sync_action_item_involvement
from workflow.notifications.models import Notification
from workflow.notifications.services import case_url, notify
from workflow.record.services import record_event
from workflow.sessions.models import JointSession

EDITABLE = ["title", "owner", "deliverable", "due_date"]
OWNER_KINDS = [Organisation.Kind.DEPARTMENT, Organisation.Kind.THIRD_PARTY]


def _lock_case(case, by) -> Case:
    if not by.is_coordinator:
        raise PermissionDenied(_("只有协调员可以编制实施细则。"))
    return Case.objects.select_for_update().get(pk=case.pk)


def _check_not_signing(case) -> None:
    """The drafts are frozen while the leader has them: what is approved is what was sent."""
    if case.rule_sign_offs.filter(status=RuleSignOff.Status.PENDING).exists():
        raise Conflict(
            _("细则草案正在报请领导签批，签批或退回前不能修改。"), code="sign_off_pending"
        )


def _check_owner(owner) -> None:
    if owner.kind not in OWNER_KINDS:
        raise ValidationError({"owner": [_("责任单位只能是部门或第三方。")]})


def _item_payload(item) -> dict:
    return {
        "rule_item": item.pk,
        "number": item.number,
        "title": item.title,
        "owner": item.owner_id,
        "owner_name": item.owner.name,
        "due_date": item.due_date.isoformat(),
        "version": item.version,
    }


@transaction.atomic
def rule_item_add(
    *, case: Case, by, title: str, owner, due_date, deliverable: str = ""
) -> RuleItem:
    case = _lock_case(case, by)
    if case.status != Case.Status.DELIBERATED:
        raise Conflict(_("诉求事项已议定后才能拟定实施细则。"), code="invalid_state")
    _check_not_signing(case)
    _check_owner(owner)
    if due_date is not None:
        check_due_date(due_date)
    last = case.rule_items.aggregate(last=Max("number"))["last"] or 0
    session = case.sessions.filter(status=JointSession.Status.CONCLUDED).first()
    item = RuleItem(
        case=case,
        session=session,
        number=last + 1,
        title=(title or "").strip(),
        owner=owner,
        deliverable=(deliverable or "").strip(),
        due_date=due_date,
        created_by=by,
    )
    item.full_clean(exclude=["action_item", "session"])
    item.save()
    record_event(case=case, kind="rule_item_added", actor=by, payload=_item_payload(item))
    return item


def _changes(item, fields: dict) -> dict:
    changes = {}
    for name, value in fields.items():
        old = getattr(item, name)
        if old != value:
            as_json = (lambda v: v.pk) if name == "owner" else (lambda v: str(v))
            changes[name] = [as_json(old), as_json(value)]
    return changes


@transaction.atomic
def rule_item_update(*, item: RuleItem, by, reason: str = "", **fields) -> RuleItem:
    """Edit a draft item while the case is deliberated; amend a published one (with a reason),
    which bumps its version and carries the change to its action item."""
    case = _lock_case(item.case, by)
    item = RuleItem.objects.select_for_update().get(pk=item.pk)
    fields = {name: value for name, value in fields.items() if name in EDITABLE}
    if "owner" in fields:
        _check_owner(fields["owner"])
    changes = _changes(item, fields)
    if not changes:
        return item
    if "due_date" in changes and fields["due_date"] is not None:
        check_due_date(fields["due_date"])
    if not item.is_published:
        if case.status != Case.Status.DELIBERATED:
            raise Conflict(_("只有已议定的诉求事项可以修改细则草案。"), code="invalid_state")
        _check_not_signing(case)
        for name, value in fields.items():
            setattr(item, name, value)
        item.full_clean(exclude=["action_item", "session"])
        item.save()
        record_event(
            case=case,
            kind="rule_item_edited",
            actor=by,
            payload={**_item_payload(item), "changes": changes},
        )
        return item
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("修订已发布的细则须写明原因。")]})
    if "owner" in changes:
        raise ValidationError(
            {"owner": [_("已发布细则的责任单位不能修订，请通过任务退回重新交办。")]}
        )
    for name, value in fields.items():
        setattr(item, name, value)
    item.version += 1
    item.full_clean(exclude=["action_item", "session"])
    item.save()
    RuleAmendment.objects.create(
        rule_item=item, version=item.version, reason=reason, changes=changes, amended_by=by
    )
    action_item = item.action_item
    if action_item is not None:
        ActionItem.objects.filter(pk=action_item.pk).update(
            title=item.title, deliverable=item.deliverable, due_date=item.due_date
        )
        if "due_date" in changes:
            action_item.due_date = item.due_date
            move_action_item_clock(action_item)
    record_event(
        case=case,
        kind="rule_item_amended",
        actor=by,
        action_item=action_item,
        payload={**_item_payload(item), "reason": reason, "changes": changes},
    )
    return item


@transaction.atomic
def rule_item_delete(*, item: RuleItem, by) -> None:
    case = _lock_case(item.case, by)
    if item.is_published or case.status != Case.Status.DELIBERATED:
        raise Conflict(_("只能删除尚未发布的细则草案。"), code="invalid_state")
    _check_not_signing(case)
    record_event(case=case, kind="rule_item_deleted", actor=by, payload=_item_payload(item))
    item.delete()


@transaction.atomic
def case_issue_rules(*, case: Case, by) -> Case:
    """出台实施细则: publish the draft items, one action item each, case to implementing.

    Only the office leader may fire it (Case.issue_rules), and only `rule_sign_off_approve`
    calls it: issuing is the approval of a sign-off."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    from_state, to_state = fire(case, "issue_rules", by)
    drafts = list(case.rule_items.filter(published_at__isnull=True).select_related("owner"))
    record_event(
        case=case,
        kind="issue_rules",
        actor=by,
        from_state=from_state,
        to_state=to_state,
        payload={"rule_items": [_item_payload(item) for item in drafts]},
    )
    now = timezone.now()
    for item in drafts:
        item.action_item = action_item_open(
            case=case,
            by=by,
            owner=item.owner,
            title=item.title,
            deliverable=item.deliverable,
            due_date=item.due_date,
            notice_kind=Notification.Kind.RULE_ITEM_ASSIGNED,
            notice_params={"n": item.number},
            event_payload={"rule_number": item.number},
        )
        item.published_at = now
        item.save(update_fields=["action_item", "published_at"])
    notify(
        recipients=[case.filed_by],
        kind=Notification.Kind.RULES_ISSUED,
        case=case,
        params={"title": case.title},
        url=case_url(case),
    )
    sync_action_item_involvement(case)
    return case


def office_leaders():
    return User.objects.filter(
        organisation__kind=Organisation.Kind.OFFICE,
        organisation_role=User.OrganisationRole.LEADER,
        is_active=True,
    )


def _sign_off_payload(sign_off: RuleSignOff, **extra) -> dict:
    return {"sign_off": sign_off.pk, "rule_items": len(sign_off.submitted_rules), **extra}


@transaction.atomic
def rule_sign_off_submit(*, case: Case, by, note: str = "") -> RuleSignOff:
    """报请签批: a coordinator sends the drafted rules to the office leader."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    sign_off = RuleSignOff(case=case, submitted_by=by, note=(note or "").strip())
    check_transition(sign_off, "submit", by)
    if case.rule_sign_offs.filter(status=RuleSignOff.Status.PENDING).exists():
        raise Conflict(_("细则已报请签批，请等待领导签批。"), code="sign_off_pending")
    drafts = case.rule_items.filter(published_at__isnull=True).select_related("owner")
    sign_off.submitted_rules = [_item_payload(item) for item in drafts]
    from_state, to_state = fire(sign_off, "submit", by)
    record_event(
        case=case,
        kind="rules_submitted",
        actor=by,
        from_state=from_state,
        to_state=to_state,
        payload=_sign_off_payload(sign_off, note=sign_off.note),
        internal=True,
    )
    notify(
        recipients=office_leaders(),
        kind=Notification.Kind.RULES_SIGN_OFF_REQUESTED,
        case=case,
        params={
            "title": case.title,
            "by": str(by),
            "n": len(sign_off.submitted_rules),
            "note": sign_off.note,
        },
        url=case_url(case) + "#rules-h",
    )
    return sign_off


def _lock_sign_off(sign_off: RuleSignOff) -> tuple[Case, RuleSignOff]:
    case = Case.objects.select_for_update().get(pk=sign_off.case_id)
    return case, RuleSignOff.objects.select_for_update().get(pk=sign_off.pk)


@transaction.atomic
def rule_sign_off_approve(*, sign_off: RuleSignOff, by, remarks: str = "") -> RuleSignOff:
    """签批同意: the office leader approves the rules, which issues them with a document
    number (文号) of the office."""
    case, sign_off = _lock_sign_off(sign_off)
    remarks = (remarks or "").strip()
    from_state, to_state = fire(sign_off, "approve", by, by, remarks)
    document = document_issue(
        kind="rules", case=case, office=by.organisation, by=by, sign_off=sign_off
    )
    record_event(
        case=case,
        kind="rules_approved",
        actor=by,
        from_state=from_state,
        to_state=to_state,
        payload=_sign_off_payload(sign_off, remarks=remarks, number=document.number),
        internal=True,
    )
    case_issue_rules(case=case, by=by)
    notify(
        recipients=[sign_off.submitted_by],
        kind=Notification.Kind.RULES_SIGNED_OFF,
        case=case,
        params={"title": case.title, "remarks": remarks or "-"},
        url=case_url(case) + "#rules-h",
    )
    return sign_off


@transaction.atomic
def rule_sign_off_return(*, sign_off: RuleSignOff, by, remarks: str) -> RuleSignOff:
    """退回: the office leader sends the rules back to the coordinator with remarks; the
    drafts are editable again and may be submitted anew."""
    case, sign_off = _lock_sign_off(sign_off)
    check_transition(sign_off, "send_back", by)
    remarks = (remarks or "").strip()
    if not remarks:
        raise ValidationError({"remarks": [_("退回须写明签批意见。")]})
    from_state, to_state = fire(sign_off, "send_back", by, by, remarks)
    record_event(
        case=case,
        kind="rules_returned",
        actor=by,
        from_state=from_state,
        to_state=to_state,
        payload=_sign_off_payload(sign_off, remarks=remarks),
        internal=True,
    )
    notify(
        recipients=[sign_off.submitted_by],
        kind=Notification.Kind.RULES_SIGN_OFF_RETURNED,
        case=case,
        params={"title": case.title, "remarks": remarks},
        url=case_url(case) + "#rules-h",
    )
    return sign_off
