"""Notifications store their kind and parameters and read in the reader's language: every kind
renders in both languages, times are local, the office hears of new and stuck work, and the
e-mail task follows each person's choice and language."""

import ast
import datetime
import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from tests import factories
from workflow.casefile import services as case_services
from workflow.items import services as item_services
from workflow.notifications.kinds import KINDS
from workflow.notifications.models import Notification
from workflow.notifications.services import email_preferences_set, notify

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")
# 09:30 in Beijing on 4 December 2026.
MEETING = datetime.datetime(2026, 12, 4, 1, 30, tzinfo=datetime.UTC)


def sample_params(kind) -> dict:
    """ASCII values for every parameter a kind's sentences use, codes where a code is due."""
    params = {}
    for name in kind.params:
        if name in kind.dates:
            params[name] = "2026-12-04"
        elif name in kind.datetimes:
            params[name] = MEETING.isoformat()
        elif name in kind.labels:
            params[name] = next(iter(kind.labels[name]()))
        else:
            params[name] = 7 if name == "n" else f"P-{name}"
    return params


def rendered(note, language):
    with translation.override(language):
        return note.render()


def test_the_model_choices_are_the_registered_kinds():
    assert set(Notification.Kind.values) == set(KINDS)
    with translation.override("en"):
        for code, label in Notification.Kind.choices:
            assert str(label) == str(KINDS[code].label)


@pytest.mark.parametrize("code", sorted(KINDS))
def test_every_kind_renders_in_both_languages(code, coordinator):
    kind = KINDS[code]
    note = notify(recipients=[coordinator], kind=code, params=sample_params(kind))[0]
    note.refresh_from_db()
    assert note.title == "" and note.params  # the kind and its parameters, no sentence
    zh_title, zh_body = rendered(note, "zh-hans")
    en_title, en_body = rendered(note, "en")
    for text in (zh_title, zh_body, en_title, en_body):
        assert "%(" not in text
    assert zh_title and en_title
    # The English sentence has no Chinese left (the parameters here are ASCII), and no code.
    assert not CJK.search(en_title + en_body), (en_title, en_body)
    if code != "other":
        assert CJK.search(zh_title)
    assert "2026-12-04" not in en_title + en_body + zh_title + zh_body


def test_a_missing_parameter_is_refused_nowhere_but_reads_as_the_kind(coordinator):
    note = notify(recipients=[coordinator], kind="invitation", params={"title": "会"})[0]
    assert rendered(note, "en") == ("Session invitations", "")


def call_sites():
    """Every `kind=`/`notice_kind=` passed to notify, Notice or action_item_open in the code."""
    for path in sorted((ROOT / "workflow").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name not in {"notify", "Notice", "action_item_open"}:
                continue
            for keyword in node.keywords:
                if keyword.arg in {"kind", "notice_kind"}:
                    yield f"{path.relative_to(ROOT)}:{node.lineno}", keyword.value


def test_no_call_site_passes_an_unregistered_kind():
    sites = list(call_sites())
    assert len(sites) >= 15  # the scan finds the call sites (it would pass on finding none)
    for where, value in sites:
        if isinstance(value, ast.Attribute):  # Notification.Kind.X
            assert value.attr in Notification.Kind.names, where
            assert Notification.Kind[value.attr].value in KINDS, where
        elif isinstance(value, ast.Constant):
            assert value.value in KINDS, where
        else:  # a variable: must be a parameter whose default is checked above
            assert isinstance(value, ast.Name) and value.id in {"kind", "notice_kind"}, where


def test_an_unregistered_kind_needs_a_literal_title(coordinator):
    with pytest.raises(ValueError):
        notify(recipients=[coordinator], kind="no_such_kind", params={})
    note = notify(recipients=[coordinator], kind="other", title="照原样显示", body="正文")[0]
    assert rendered(note, "en") == ("照原样显示", "正文")


def test_invitation_time_is_local_and_written_per_language(coordinator):
    note = notify(
        recipients=[coordinator],
        kind=Notification.Kind.INVITATION,
        params={"title": "周边配套", "when": MEETING, "place": "3 楼"},
    )[0]
    note.refresh_from_db()
    assert note.params["when"] == "2026-12-04T01:30:00+00:00"  # stored as the moment it is
    assert rendered(note, "zh-hans") == (
        "审联体会议邀请：周边配套",
        "时间：2026年12月4日 09:30；地点：3 楼",
    )
    assert rendered(note, "en")[1] == "When: 4 Dec 2026, 09:30; where: 3 楼"


def test_deadline_labels_follow_the_reader(coordinator):
    note = notify(
        recipients=[coordinator],
        kind=Notification.Kind.DEADLINE,
        params={
            "case": "SLT-1",
            "kind": "accept",
            "level": "red",
            "due": datetime.date(2027, 1, 5),
        },
    )[0]
    assert rendered(note, "zh-hans")[0] == "时限提醒：SLT-1「受理」已超期（2027年1月5日 到期）"
    assert rendered(note, "en")[0] == 'Deadline: SLT-1 "Accept" Overdue (due 5 Jan 2027)'


def test_old_rows_keep_their_text_or_become_kinds():
    migration = importlib.import_module("workflow.migrations.0012_notification_kinds")
    assert migration.old_params(
        "invitation", "审联体会议邀请：周边配套", "时间：2026-12-04T01:30:00+00:00；地点：3 楼"
    ) == (
        "invitation",
        {"title": "周边配套", "when": "2026-12-04T01:30:00+00:00", "place": "3 楼"},
    )
    assert migration.old_params(
        "deadline", "时限提醒：SLT-9「受理」即将到期（2026-12-07 到期）", ""
    ) == ("deadline", {"case": "SLT-9", "kind": "accept", "level": "yellow", "due": "2026-12-07"})
    assert migration.old_params("other", "延期申请已同意：规划，办理期限 2026-12-09", "") is None
    assert migration.old_params("rules_issued", "实施细则已发布：x", "unexpected body") is None


def test_a_stored_text_is_shown_as_is(coordinator):
    note = Notification.objects.create(recipient=coordinator, kind="other", title="旧通知")
    assert rendered(note, "en") == ("旧通知", "")


# The office hears of new and stuck work -------------------------------------------------------


def office_notes(coordinator, kind):
    return Notification.objects.filter(recipient=coordinator, kind=kind)


def test_the_office_is_told_of_every_submission(
    enterprise_user, coordinator, other_coordinator, category
):
    draft = factories.case(enterprise_user, category=category, submit=False, title="草稿")
    assert not office_notes(coordinator, "case_submitted").exists()
    case_services.case_submit(case=draft, by=enterprise_user)
    factories.case(enterprise_user, category=category, title="直接提交")
    for person in (coordinator, other_coordinator):
        titles = [rendered(n, "zh-hans")[0] for n in office_notes(person, "case_submitted")]
        assert sorted(titles) == ["新诉求待受理：直接提交", "新诉求待受理：草稿"]
    note = office_notes(coordinator, "case_submitted").first()
    assert note.url == f"/cases/{note.case_id}/"
    assert "1 working day" in rendered(note, "en")[1]


def test_the_office_is_told_of_a_resubmission(enterprise_user, coordinator, submitted_case):
    case_services.case_return_for_info(case=submitted_case, by=coordinator, reason="请补红线图")
    case_services.case_resubmit(case=submitted_case, by=enterprise_user, reply="已上传红线图")
    note = office_notes(coordinator, "case_resubmitted").get()
    assert rendered(note, "zh-hans")[1].endswith("的答复：已上传红线图")


@pytest.fixture
def item(enterprise_user, coordinator, zigui_org):
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org)
    return case.action_items.get()


def test_the_office_is_told_of_a_blocked_item(item, coordinator, department_officer):
    item_services.action_item_sign(item=item, by=department_officer)
    item_services.action_item_start(item=item, by=department_officer)
    assert not office_notes(coordinator, "action_item_blocked").exists()
    item_services.action_item_block(item=item, by=department_officer, reason="等待管线资料")
    note = office_notes(coordinator, "action_item_blocked").get()
    assert rendered(note, "zh-hans") == (
        f"任务受阻：{item.title}",
        "资规局 报告任务受阻：等待管线资料",
    )
    assert rendered(note, "en")[0] == f"Action item blocked: {item.title}"


def test_the_office_is_told_of_a_returned_item(item, coordinator, department_officer):
    item_services.action_item_return(item=item, by=department_officer, reason="不属于本单位职责")
    note = office_notes(coordinator, "action_item_returned").get()
    assert rendered(note, "en") == (
        f"Action item returned: {item.title}",
        "资规局 returned the action item: 不属于本单位职责",
    )


# E-mail: the recipient's choice and language ----------------------------------------------------


def test_email_follows_the_recipients_choice_and_language(
    coordinator, other_coordinator, enterprise_user, category, django_capture_on_commit_callbacks
):
    coordinator.email, coordinator.language = "li@example.org", "en"
    coordinator.save()
    other_coordinator.email = "wang@example.org"
    other_coordinator.save()
    email_preferences_set(
        person=other_coordinator, by_email=[k for k in KINDS if k != "case_submitted"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        factories.case(enterprise_user, category=category, title="管网接入")
    assert [m.to for m in mail.outbox] == [["li@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "[Shenlianti] New case to accept: 管网接入"
    assert "1 working day" in message.body and "/cases/" in message.body
    mine = Notification.objects.get(recipient=coordinator, kind="case_submitted")
    theirs = Notification.objects.get(recipient=other_coordinator, kind="case_submitted")
    assert mine.emailed_at is not None and theirs.emailed_at is None  # still in the inbox


def test_email_in_chinese_with_local_time(coordinator, django_capture_on_commit_callbacks):
    coordinator.email = "li@example.org"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[coordinator],
            kind="invitation",
            params={"title": "周边配套", "when": MEETING, "place": "3 楼"},
        )
    assert mail.outbox[0].subject == "[审联体] 审联体会议邀请：周边配套"
    assert mail.outbox[0].body.startswith("时间：2026年12月4日 09:30；地点：3 楼")


def test_the_task_skips_a_kind_muted_after_it_was_queued(coordinator):
    from workflow.notifications.tasks import email_notifications

    coordinator.email = "li@example.org"
    coordinator.save()
    note = notify(recipients=[coordinator], kind="rules_issued", params={"title": "x"})[0]
    email_preferences_set(person=coordinator, by_email=[])
    assert email_notifications.call([note.pk]) == 0
    assert mail.outbox == []
    email_preferences_set(person=coordinator, by_email=["rules_issued"])
    assert email_notifications.call([note.pk]) == 1


def test_preferences_refuse_an_unknown_kind(coordinator):
    with pytest.raises(ValidationError) as refused:
        email_preferences_set(person=coordinator, by_email=["rules_issued", "nonsense"])
    assert "by_email" in refused.value.message_dict
    coordinator.refresh_from_db()
    assert coordinator.email_muted_kinds == []


# The API ------------------------------------------------------------------------------------


def test_the_list_is_in_the_readers_language(api, coordinator):
    notify(
        recipients=[coordinator],
        kind="invitation",
        params={"title": "周边配套", "when": MEETING, "place": "3 楼"},
    )
    client = api.as_user(coordinator)
    zh = client.get("/api/v1/notifications/").json()["results"][0]
    assert set(zh) == {
        "id",
        "kind",
        "kind_label",
        "title",
        "body",
        "params",
        "url",
        "case",
        "created_at",
        "read_at",
    }
    assert (zh["kind"], zh["kind_label"]) == ("invitation", "会议邀请")
    assert zh["body"] == "时间：2026年12月4日 09:30；地点：3 楼"
    assert zh["params"]["when"] == "2026-12-04T01:30:00+00:00"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get("/api/v1/notifications/").json()["results"][0]
    assert en["title"] == "Joint session invitation: 周边配套"
    assert en["kind_label"] == "Session invitations"
    assert en["body"] == "When: 4 Dec 2026, 09:30; where: 3 楼"
