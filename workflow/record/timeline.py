"""How a timeline event reads in a page: one translated line per kind of event."""

from django.utils.translation import gettext_lazy as _

from cases.models import Case
from workflow.items.models import ActionItem

KINDS = {
    "created": _("创建了诉求事项"),
    "submit": _("提交了诉求事项"),
    "return_for_info": _("退回补正"),
    "resubmit": _("补正后重新提交"),
    "reject": _("不予受理"),
    "accept": _("受理了诉求事项"),
    "assign": _("交办了诉求事项"),
    "resolve": _("办结了诉求事项"),
    "confirm": _("确认评价"),
    "withdraw": _("撤回了诉求事项"),
    "close_unanswered": _("企业逾期未确认，自动归档"),
    "comment": _("留言"),
    "attachment_added": _("上传了附件"),
    "action_item_assigned": _("交办了任务"),
    "action_item_sign": _("签收了任务"),
    "action_item_return_to_coordinator": _("退回了任务"),
    "action_item_start": _("开始办理任务"),
    "action_item_block": _("报告任务受阻"),
    "action_item_unblock": _("解除了任务受阻"),
    "action_item_complete": _("完成了任务"),
    "action_item_reassign": _("重新交办了任务"),
    "action_item_cancel": _("撤销了任务"),
    "extension_requested": _("申请延期"),
    "extension_approved": _("同意延期"),
    "extension_refused": _("不同意延期"),
    "supervision_issued": _("发出督办通知"),
    "supervision_answered": _("答复督办"),
    "submit_for_review": _("任务已全部办结，待政务服务办审核"),
    "send_back": _("审核后退回重办"),
    "action_item_rework": _("退回重办任务"),
}

# Payload keys whose text is worth showing under the line, in this order.
DETAIL_KEYS = ["reason", "reply", "note", "comment", "body", "text", "answer", "title", "name"]

STATE_LABELS = {**dict(ActionItem.Status.choices), **dict(Case.Status.choices)}


def describe_event(event) -> str:
    return str(KINDS.get(event.kind, event.kind))


def event_detail(event) -> str:
    payload = event.payload or {}
    if event.kind == "confirm" and payload.get("rating"):
        rating = str(dict(Case.Rating.choices).get(payload["rating"], ""))
        return f"{rating}{'：' + payload['comment'] if payload.get('comment') else ''}"
    for key in DETAIL_KEYS:
        if key == "title" and event.action_item_id:
            continue  # the item's title is already on the line
        if isinstance(payload.get(key), str) and payload[key]:
            return payload[key]
    return ""


def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))
