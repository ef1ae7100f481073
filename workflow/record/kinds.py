"""Every kind of event the record holds, with its label: `record_event` refuses any other.

A new kind of event is added here first (its label is a Chinese msgid with the context
"timeline", its English goes into the .po), or recording it fails at once. Each kind names:
- `machine`: whose state its `to_state` is (a key of `workflow.record.timeline.MACHINES`), so an
  RSVP's "accepted" reads 确认参会 and not the case's 已受理;
- `subject`: what the timeline groups and filters it under (`SUBJECTS`).
"""

from dataclasses import dataclass

from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class EventKind:
    label: object  # a lazy translation: the verb of the timeline line
    machine: str
    subject: str


# What the timeline can be filtered by, in the order of its filter links.
SUBJECTS = {
    "case": pgettext_lazy("timeline", "办理决定"),
    "comment": pgettext_lazy("timeline", "留言与附件"),
    "item": pgettext_lazy("timeline", "任务"),
    "session": pgettext_lazy("timeline", "会议"),
    "rules": pgettext_lazy("timeline", "实施细则"),
}


def _kinds(subject: str, machine: str, labels: dict) -> dict:
    return {
        kind: EventKind(pgettext_lazy("timeline", label), machine, subject)
        for kind, label in labels.items()
    }


EVENT_KINDS: dict[str, EventKind] = {
    # The case's own transitions (fire_case): their to_state is the case's.
    **_kinds(
        "case",
        "case",
        {
            "created": "创建了诉求事项",
            "submit": "提交了诉求事项",
            "return_for_info": "退回诉求事项要求补正",
            "resubmit": "补正后重新提交",
            "reject": "决定不予受理",
            "accept": "受理了诉求事项",
            "assign": "交办了诉求事项",
            "convene": "召集审联体会议",
            "deliberate": "依会议决议议定了诉求事项",
            "issue_rules": "出台了实施细则",
            "submit_for_review": "任务已全部办结，待政务服务办审核",
            "send_back": "审核后退回重办",
            "resolve": "办结了诉求事项",
            "confirm": "确认并评价了办理结果",
            "withdraw": "撤回了诉求事项",
            "close_unanswered": "企业逾期未确认，自动归档",
        },
    ),
    **_kinds("case", "", {"case_corrected": "补正了诉求内容", "case_owner_named": "指定了承办人"}),
    **_kinds(
        "comment",
        "",
        {
            "comment": "发表了留言",
            "attachment_added": "上传了附件",
            "attachment_removed": "删除了附件",
        },
    ),
    **_kinds(
        "item",
        "action_item",
        {
            "action_item_assigned": "交办了任务",
            "action_item_sign": "签收了任务",
            "action_item_return_to_coordinator": "退回了任务",
            "action_item_start": "开始办理任务",
            "action_item_block": "报告任务受阻",
            "action_item_unblock": "解除了任务受阻",
            "action_item_complete": "完成了任务",
            "action_item_reassign": "重新交办了任务",
            "action_item_cancel": "撤销了任务",
            "action_item_rework": "退回重办任务",
        },
    ),
    **_kinds(
        "item",
        "extension",
        {
            "extension_requested": "申请延长办理期限",
            "extension_approved": "同意了延期申请",
            "extension_refused": "不同意延期申请",
        },
    ),
    **_kinds(
        "item",
        "supervision",
        {"supervision_issued": "发出了督办通知", "supervision_answered": "书面答复了督办"},
    ),
    **_kinds(
        "session",
        "session",
        {
            "session_scheduled": "安排了审联体会议",
            "session_updated": "修改了会议安排",
            "session_participant_invited": "邀请了参会方",
            "session_notify": "发出了会议通知",
            "session_attendance": "登记了出席情况",
            "session_opinion": "记录了意见",
            "session_start": "宣布会议开始",
            "session_conclude": "宣布会议形成决议",
            "session_adjourn": "宣布休会",
            "session_cancel": "取消了会议",
        },
    ),
    # An answer to an invitation moves the participant, not the session.
    **_kinds("session", "participant", {"session_rsvp": "回复了会议邀请"}),
    **_kinds(
        "rules",
        "",
        {
            "rule_item_added": "添加了细则条目",
            "rule_item_edited": "修改了细则草案",
            "rule_item_amended": "修订了已发布的细则",
            "rule_item_deleted": "删除了细则草案",
        },
    ),
    # The office leader's sign-off (领导签批) of the drafted rules.
    **_kinds(
        "rules",
        "sign_off",
        {
            "rules_submitted": "报请领导签批实施细则",
            "rules_approved": "签批同意实施细则",
            "rules_returned": "退回实施细则签批",
        },
    ),
    **_kinds("item", "", {"action_item_handler_named": "指定了任务经办人"}),
    # A precedent (类案参照) the case followed: workflow/precedents/services.py.
    **_kinds("case", "", {"precedent_followed": "参照类案办理"}),
    # A resolved case promoted to a standing rule (常态化机制) of its category.
    **_kinds("rules", "", {"standing_rule_promoted": "将办理结果转为常态化机制"}),
}


class UnknownEventKind(ValueError):
    """Recording a kind nobody registered: a programming error, caught by the first test."""


def event_kind(kind: str) -> EventKind:
    try:
        return EVENT_KINDS[kind]
    except KeyError:
        raise UnknownEventKind(
            f"Event kind {kind!r} is not registered in workflow/record/kinds.py."
        ) from None
