"""The kinds of notification and how each reads: a notification stores its kind and the
parameters of its sentence, and is put into words only when someone reads it, in the reader's
language, with dates and times in the site's time zone (settings.TIME_ZONE)."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext_lazy as _

PARAMETER = re.compile(r"%\((\w+)\)")

# How dates read in each language: 2026年12月4日 09:30 / 4 Dec 2026, 09:30.
DATE_FORMATS = {"zh-hans": "Y年n月j日", "en": "j M Y"}
DATETIME_FORMATS = {"zh-hans": "Y年n月j日 H:i", "en": "j M Y, H:i"}


def _format_for(formats: dict) -> str:
    language = translation.get_language() or "zh-hans"
    return formats.get(language, formats.get(language.split("-")[0], formats["zh-hans"]))


def format_date(value) -> str:
    """A date (or its ISO string) as the active language writes it."""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return dateformat.format(value, _format_for(DATE_FORMATS))


def format_datetime(value) -> str:
    """A moment (or its ISO string) in the site's time zone, as the active language writes it."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, _format_for(DATETIME_FORMATS))


def _clock_kinds():
    from workflow.deadlines.models import Clock

    return dict(Clock.Kind.choices)


def _levels():
    return {"yellow": _("即将到期"), "red": _("已超期")}


def _extension_results():
    from workflow.extensions.models import Extension

    return dict(Extension.Status.choices)


@dataclass(frozen=True)
class Kind:
    """One kind of notification: its label (inbox badge, e-mail preferences) and its sentences.

    `dates` and `datetimes` name the parameters written as dates or moments (stored as ISO
    strings); `labels` maps a parameter holding a code to a function returning {code: label}.
    """

    code: str
    label: object
    title: object
    body: object = ""
    dates: tuple = ()
    datetimes: tuple = ()
    labels: dict = field(default_factory=dict)

    def params_in(self, template) -> set[str]:
        """The parameter names a template uses (`%(name)s`, `%(name)d`)."""
        return set(PARAMETER.findall(str(template)))

    @property
    def params(self) -> set[str]:
        return self.params_in(self.title) | self.params_in(self.body)

    def words(self, params: dict) -> dict:
        """The parameters as the active language reads them."""
        words = dict(params)
        for name in self.dates:
            if words.get(name):
                words[name] = format_date(words[name])
        for name in self.datetimes:
            if words.get(name):
                words[name] = format_datetime(words[name])
        for name, labels in self.labels.items():
            if name in words:
                words[name] = str(labels().get(words[name], words[name]))
        return words

    def render(self, params: dict) -> tuple[str, str]:
        words = self.words(params)
        title = str(self.title) % words
        body = str(self.body) % words if self.body else ""
        return title, body


KINDS = {
    kind.code: kind
    for kind in [
        Kind(
            "case_submitted",
            _("新诉求待受理"),
            _("新诉求待受理：%(title)s"),
            _("%(enterprise)s 提交了诉求事项，请在 1 个工作日内受理。"),
        ),
        Kind(
            "case_resubmitted",
            _("诉求已补正"),
            _("诉求已补正，请重新受理：%(title)s"),
            _("%(enterprise)s 的答复：%(reply)s"),
        ),
        Kind(
            "action_item_assigned",
            _("新任务"),
            _("新任务：%(title)s"),
            "%(case)s",
        ),
        Kind(
            "rule_item_assigned",
            _("实施细则任务"),
            _("实施细则第%(n)d条：%(title)s"),
            "%(case)s",
        ),
        Kind(
            "action_item_returned",
            _("任务被退回"),
            _("任务被退回：%(title)s"),
            _("%(owner)s 退回了任务：%(reason)s"),
        ),
        Kind(
            "action_item_blocked",
            _("任务受阻"),
            _("任务受阻：%(title)s"),
            _("%(owner)s 报告任务受阻：%(reason)s"),
        ),
        Kind(
            "invitation",
            _("会议邀请"),
            _("审联体会议邀请：%(title)s"),
            _("时间：%(when)s；地点：%(place)s"),
            datetimes=("when",),
        ),
        Kind("opinion_requested", _("请发表意见"), _("请发表意见：%(title)s")),
        Kind("rules_issued", _("实施细则已发布"), _("实施细则已发布：%(title)s")),
        Kind(
            "info_requested",
            _("请补正材料"),
            _("诉求事项需要补正：%(title)s"),
            "%(reason)s",
        ),
        Kind(
            "confirmation_requested",
            _("请确认评价"),
            _("诉求事项已办结，请确认评价：%(title)s"),
        ),
        Kind(
            "deadline",
            _("时限提醒"),
            _("时限提醒：%(case)s「%(kind)s」%(level)s（%(due)s 到期）"),
            dates=("due",),
            labels={"kind": _clock_kinds, "level": _levels},
        ),
        Kind(
            "extension_requested",
            _("延期申请"),
            _("延期申请：%(item)s 申请延至 %(due)s"),
            dates=("due",),
        ),
        Kind(
            "extension_decided",
            _("延期审批结果"),
            _("延期申请%(result)s：%(item)s，办理期限 %(due)s"),
            dates=("due",),
            labels={"result": _extension_results},
        ),
        Kind(
            "supervision",
            _("督办通知"),
            _("督办通知：%(item)s，请于 %(due)s 前书面答复"),
            "%(text)s",
            dates=("due",),
        ),
        Kind(
            "supervision_answered",
            _("督办答复"),
            _("督办答复：%(item)s"),
            "%(answer)s",
        ),
        Kind(
            "review_requested",
            _("待办结审核"),
            _("任务已全部办结，请审核：%(title)s"),
        ),
        Kind(
            "action_item_rework",
            _("任务退回重办"),
            _("任务被退回重办：%(title)s"),
            _("%(reason)s（办理期限 %(due)s）"),
            dates=("due",),
        ),
        Kind(
            "case_reopened",
            _("企业不满意"),
            _("企业不满意，诉求事项已重新办理：%(title)s"),
            "%(comment)s",
        ),
        Kind(
            "rules_sign_off_requested",
            _("细则待签批"),
            _("实施细则待签批：%(title)s"),
            _("%(by)s 报请签批 %(n)d 条细则。%(note)s"),
        ),
        Kind(
            "rules_signed_off",
            _("细则已签批"),
            _("实施细则已签批发布：%(title)s"),
            _("签批意见：%(remarks)s"),
        ),
        Kind(
            "rules_sign_off_returned",
            _("细则签批退回"),
            _("实施细则签批被退回：%(title)s"),
            _("签批意见：%(remarks)s"),
        ),
        Kind(
            "case_owner_named",
            _("承办诉求事项"),
            _("您被指定为承办人：%(title)s"),
        ),
        Kind(
            "action_item_handler_named",
            _("经办任务"),
            _("您被指定为经办人：%(title)s"),
            "%(case)s",
        ),
        Kind("other", _("其他"), "%(title)s", "%(body)s"),
    ]
}


def kind_of(code: str) -> Kind | None:
    return KINDS.get(code)


def label_of(code: str) -> str:
    kind = KINDS.get(code)
    return str(kind.label) if kind else code
