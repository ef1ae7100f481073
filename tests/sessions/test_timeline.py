"""The case timeline reads as words in both languages: every kind of event the code can record
and every state of every state machine has a label, states are named by their own machine,
session and rule events fold, and internal comments are marked (and never shown to the
enterprise)."""

import ast
import html
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation

from cases.models import Case
from tests import factories
from workflow.casefile import services as case_services
from workflow.casefile.contributions import comment_add
from workflow.extensions.models import Extension
from workflow.implementation import services as rules
from workflow.items.models import ActionItem
from workflow.lifecycle_docs import state_machines
from workflow.record.kinds import EVENT_KINDS, SUBJECTS, UnknownEventKind
from workflow.record.models import Event
from workflow.record.services import record_event
from workflow.record.timeline import MACHINES, describe, state_label
from workflow.sessions import participants as session_participants

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
LATIN = re.compile(r"[A-Za-z]")

# The functions that record an event, and where their kind is: (argument, prefix added).
RECORDERS = {
    "record_event": ("kind", ""),
    "fire_case": (1, ""),
    "_fire_case": (1, ""),
    "record_session_event": (2, "session_"),
    "_session_transition": (1, "session_"),
    "_item_transition": (1, "action_item_"),
}


def _transitions(model) -> set[str]:
    field = model._meta.get_field("status")
    return {t.name for t in field.get_all_transitions(model)}


def recorded_kinds() -> set[str]:
    """Every kind the source of workflow/ and cases/ can record, read with `ast`: the literal
    kinds, and the f-string kinds expanded over what they are built from."""
    dynamic = {
        "action_item_": {f"action_item_{name}" for name in _transitions(ActionItem)},
        "extension_": {
            f"extension_{value}"
            for value in Extension.Status.values
            if value != Extension.Status.REQUESTED
        },
    }
    kinds, unread = set(), []
    for package in ("workflow", "cases"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for call in ast.walk(function):
                    name = getattr(call, "func", None)
                    name = getattr(name, "id", None) or getattr(name, "attr", None)
                    if not isinstance(call, ast.Call) or name not in RECORDERS:
                        continue
                    where, prefix = RECORDERS[name]
                    if isinstance(where, str):
                        arg = next((k.value for k in call.keywords if k.arg == where), None)
                    else:
                        arg = call.args[where] if len(call.args) > where else None
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        kinds.add(prefix + arg.value)
                    elif isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
                        head = prefix + arg.values[0].value
                        if head in dynamic:
                            kinds |= dynamic[head]
                        elif function.name not in RECORDERS:
                            unread.append(f"{path.name}:{call.lineno}")
                    elif function.name not in RECORDERS:
                        # Only a recorder may pass a kind it was given on to another.
                        unread.append(f"{path.name}:{call.lineno}")
    assert unread == [], f"kinds this test cannot read (make them literal): {unread}"
    return kinds


def test_every_kind_the_code_records_is_registered_and_nothing_else():
    kinds = recorded_kinds()
    assert {"session_rsvp", "session_opinion", "convene", "action_item_sign"} <= kinds
    assert kinds - set(EVENT_KINDS) == set(), "record_event would refuse these"
    assert set(EVENT_KINDS) - kinds == set(), "registered, but nothing records them"


def test_every_case_transition_is_a_registered_kind():
    assert _transitions(Case) <= set(EVENT_KINDS)


def test_record_event_refuses_an_unregistered_kind(submitted_case, coordinator):
    before = Event.objects.count()
    with pytest.raises(UnknownEventKind):
        record_event(case=submitted_case, kind="session_teleport", actor=coordinator)
    assert Event.objects.count() == before


def _reads_chinese_then_english(label) -> None:
    with translation.override("zh-hans"):
        chinese = str(label)
    with translation.override("en"):
        english = str(label)
    assert CJK.search(chinese) and not LATIN.search(chinese), chinese
    assert english != chinese and not CJK.search(english), f"{chinese} has no English"


@pytest.mark.parametrize("kind", sorted(EVENT_KINDS))
def test_every_kind_has_a_chinese_label_and_an_english_one(kind):
    entry = EVENT_KINDS[kind]
    _reads_chinese_then_english(entry.label)
    assert entry.subject in SUBJECTS
    assert entry.machine in MACHINES or entry.machine == ""


@pytest.mark.parametrize("subject", sorted(SUBJECTS))
def test_every_filter_has_a_label_in_both_languages(subject):
    _reads_chinese_then_english(SUBJECTS[subject])


def test_every_state_of_every_state_machine_is_labelled_in_both_languages():
    fields = {(model, field.name) for model, field in state_machines()}
    assert fields == set(MACHINES.values()), "a state machine the timeline cannot name"
    for machine, (model, name) in MACHINES.items():
        for value in model._meta.get_field(name).choices:
            with translation.override("zh-hans"):
                chinese = state_label(machine, value[0])
            with translation.override("en"):
                english = state_label(machine, value[0])
            assert CJK.search(chinese), (machine, value)
            assert english != chinese and not CJK.search(english), (machine, value)


def test_a_state_is_named_by_its_own_machine():
    """The bug this replaces: an RSVP "accepted" read as the case's 已受理, a session started
    as an item's 办理中."""
    with translation.override("zh-hans"):
        assert state_label("participant", "accepted") == "确认参会"
        assert state_label("case", "accepted") == "已受理"
        assert state_label("session", "in_progress") == "进行中"
        assert state_label("action_item", "in_progress") == "办理中"
        assert state_label("session", "no_such_state") == ""


# One event of every kind, on one page -------------------------------------------------------

TEXT = "甲乙丙"  # every free text of the payloads: removed before the words are checked


def _payload(session) -> dict:
    when = (timezone.now() + timedelta(days=3)).isoformat()
    return {
        **{
            key: TEXT
            for key in [
                "reason",
                "reply",
                "note",
                "comment",
                "body",
                "text",
                "answer",
                "summary",
                "reasons",
                "legal_basis",
                "name",
                "title",
                "place",
                "owner_name",
                "previous_owner_name",
                "new_owner_name",
                "session_title",
            ]
        },
        "rating": "basically_satisfied",
        "assignments": [{"organisation_name": TEXT, "title": TEXT, "due_date": "2026-12-31"}],
        "automatic": True,
        "rule_number": 2,
        "evidence": [1, 2],
        "due_date": "2026-12-31",
        "answer_due": "2026-12-31",
        "scheduled_at": when,
        "changes": {"title": [TEXT, TEXT], "scheduled_at": when, "place": TEXT},
        "capacity": "legal_expert",
        "required": True,
        "attendance": "absent",
        "stance": "conditional",
        "version": 2,
        "tally": {"support": 3, "object": 1, "abstain": 0, "conditional": 1},
        "number": 3,
        "rule_items": [{}, {}],
        "session": session.pk,
    }


@pytest.fixture
def every_kind(submitted_case, coordinator, enterprise_user, zigui_org):
    """A case with one event of every registered kind (plus what the fixtures record), each
    carrying a state of its machine when it has one."""
    for user, name in ((coordinator, "李敏"), (enterprise_user, "陈晓")):
        user.display_name = name
        user.save(update_fields=["display_name"])
    item = ActionItem.objects.create(
        case=submitted_case,
        owner=zigui_org,
        title=TEXT,
        due_date=factories.due_in(9),
        created_by=coordinator,
    )
    accepted = case_services.case_accept(case=submitted_case, by=coordinator)
    session = factories.session(accepted, coordinator, title=TEXT, place=TEXT)
    case = Case.objects.get(pk=submitted_case.pk)
    for kind, entry in EVENT_KINDS.items():
        states = MACHINES[entry.machine] if entry.machine else None
        to_state = states[0]._meta.get_field(states[1]).choices[-1][0] if states else ""
        record_event(
            case=case,
            kind=kind,
            actor=coordinator,
            action_item=item if entry.subject == "item" else None,
            to_state=to_state,
            payload=_payload(session),
            internal=kind == "comment",
        )
    record_event(case=case, kind="comment", actor=enterprise_user, payload={"body": TEXT})
    return case


def _timeline_text(client, case, language, user, query=""):
    client.force_login(user)
    client.cookies["django_language"] = language
    page = client.get(f"/cases/{case.pk}/{query}").content.decode()
    section = re.search(
        r'<section class="card" aria-labelledby="timeline-h">.*?</section>', page, re.S
    )
    markup = section.group(0)
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    names = (
        TEXT,
        case.title,
        "李敏",
        "陈晓",
        "海曙区政务服务办公室",
        "资规局",
        "宁波工业互联网研究院",
    )
    for data in names:
        text = text.replace(data, " ")
    return markup, text


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_timeline_with_every_kind_shows_no_raw_code_in_either_language(
    client, every_kind, coordinator, language
):
    markup, text = _timeline_text(client, every_kind, language, coordinator)
    with translation.override(language):
        for kind, entry in EVENT_KINDS.items():
            assert str(entry.label) in text, kind
    if language == "zh-hans":
        assert not LATIN.search(text), LATIN.findall(text)[:20]
    else:
        leftover = CJK.findall(text)
        assert not leftover, "".join(leftover)
    assert markup.count('class="tl-group') == 2  # the session, and the rules' drafting


def test_the_lines_say_what_the_payload_says(client, every_kind, coordinator):
    _markup, text = _timeline_text(client, every_kind, "zh-hans", coordinator)
    assert "缺席" in text  # attendance
    assert "附条件同意" in text and "第2版" in text  # the opinion's stance and version
    assert "基本满意" in text  # the rating
    assert "表态：同意 3、反对 1、弃权 0、附条件同意 1" in text
    assert "法律专家" in text and "必须到会" in text  # an invitation
    assert "佐证材料 2 份" in text


# A case through a real joint session ---------------------------------------------------------


@pytest.fixture
def convened(in_progress, coordinator, department_officer, third_party_officer):
    session, parts = in_progress
    session_participants.participant_rsvp(
        participant=parts["zigui"], by=department_officer, answer="accepted"
    )
    session_participants.participant_rsvp(
        participant=parts["kaitou"], by=third_party_officer, answer="declined", note="另有安排"
    )
    session_participants.participant_mark_attendance(
        participant=parts["zigui"], by=coordinator, attendance="present"
    )
    session_participants.participant_mark_attendance(
        participant=parts["kaitou"], by=coordinator, attendance="absent"
    )
    return session, parts


def test_a_session_reads_in_its_own_states_and_folds_under_one_line(client, convened, coordinator):
    session, _parts = convened
    case = session.case
    markup, text = _timeline_text(client, case, "zh-hans", coordinator)
    assert "→ 确认参会" in text and "→ 不能参会" in text and "→ 已发通知" in text
    assert "→ 进行中" in text  # the session started, not an item's 办理中
    assert "→ 已受理" in text  # only the case's own acceptance
    assert text.count("→ 已受理") == 1
    assert "到会" in text and "缺席" in text and "另有安排" in text
    # One fold for the session, closed, naming it, its state and how many lines it holds.
    folds = re.findall(r'<details class="tl-fold" id="tl-session-\d+"( open)?>', markup)
    assert folds == [""]
    session_events = case.events.filter(kind__startswith="session_").count()
    assert f"{session_events} 条记录" in text and "进行中" in text
    # The case's own transition stays on the main line, outside the fold.
    assert markup.index("召集审联体会议") < markup.index('<details class="tl-fold"')

    _markup, english = _timeline_text(client, case, "en", coordinator)
    assert "→ Attending" in english and "→ Declined" in english and "Absent" in english


def test_the_filter_keeps_one_subject_and_opens_its_folds(client, convened, coordinator):
    session, _parts = convened
    case = session.case
    comment_add(case=case, by=coordinator, body="请各方会前阅读材料", visibility="shared")
    markup, text = _timeline_text(client, case, "zh-hans", coordinator, "?timeline=comment")
    assert "请各方会前阅读材料" in text and "tl-fold" not in markup and "受理了诉求事项" not in text
    markup, text = _timeline_text(client, case, "zh-hans", coordinator, "?timeline=session")
    assert re.search(r'<details class="tl-fold" id="tl-session-\d+" open>', markup)
    assert "请各方会前阅读材料" not in text
    # An unknown filter shows everything.
    markup, text = _timeline_text(client, case, "zh-hans", coordinator, "?timeline=nonsense")
    assert "请各方会前阅读材料" in text and "tl-fold" in markup


def test_rule_drafting_folds_and_an_amendment_stays_on_the_main_line(
    client, concluded, coordinator, zigui_org
):
    session, _parts = concluded
    case = Case.objects.get(pk=session.case_id)
    for n in (1, 2):
        rules.rule_item_add(
            case=case,
            by=coordinator,
            title=f"细则{n}",
            owner=zigui_org,
            due_date=factories.due_in(20),
        )
    case = factories.issue_rules(case, by=coordinator)
    rule = case.rule_items.first()
    rules.rule_item_update(
        item=rule, by=coordinator, reason="工期调整", due_date=factories.due_in(30)
    )
    markup, text = _timeline_text(client, case, "zh-hans", coordinator)
    fold = re.search(r'<details class="tl-fold" id="tl-rules">.*?</details>', markup, re.S)
    assert fold and fold.group(0).count("添加了细则条目") == 2
    assert "修订了已发布的细则" not in fold.group(0) and "修订了已发布的细则" in text
    assert "工期调整" in text and "修改了：完成期限" in text


# Internal comments --------------------------------------------------------------------------


def test_internal_comments_are_marked_for_staff_and_never_shown_to_the_enterprise(
    client, submitted_case, coordinator, enterprise_user
):
    comment_add(case=submitted_case, by=coordinator, body="内部核对红线图", visibility="internal")
    comment_add(case=submitted_case, by=coordinator, body="请准时参会", visibility="shared")
    markup, text = _timeline_text(client, submitted_case, "zh-hans", coordinator)
    internal = re.search(
        r'<li data-event="\d+" class="[^"]*tl-internal[^"]*">.*?</li>', markup, re.S
    )
    assert internal and "内部核对红线图" in internal.group(0) and "内部" in internal.group(0)
    assert markup.count("tl-internal") == 1
    assert "企业可见" in text  # the shared one says so to the staff

    markup, text = _timeline_text(client, submitted_case, "zh-hans", enterprise_user)
    assert "内部核对红线图" not in markup and "tl-internal" not in markup
    assert "请准时参会" in text and "企业可见" not in text


# Names --------------------------------------------------------------------------------------


def test_an_organisation_is_not_repeated_after_a_name_that_says_it(
    other_enterprise_org, other_enterprise_user, submitted_case
):
    other_enterprise_org.short_name = "甬江精机"
    other_enterprise_org.save()
    other_enterprise_user.display_name = "王立 (甬江精机)"
    other_enterprise_user.save()
    event = Event(case=submitted_case, kind="comment", payload={"body": "好"})
    event.actor, event.actor_organisation = other_enterprise_user, other_enterprise_org
    line = describe(event)
    assert (line.actor, line.organisation) == ("王立 (甬江精机)", "")
    other_enterprise_user.display_name = "王立"
    line = describe(event)
    assert (line.actor, line.organisation) == ("王立", "甬江精机")


def test_a_participant_reads_once(submitted_case):
    event = Event(
        case=submitted_case,
        kind="session_attendance",
        payload={"name": "甬江精机 王立 (甬江精机)", "attendance": "present"},
    )
    with translation.override("zh-hans"):
        line = describe(event)
    assert line.object == "王立 (甬江精机)" and line.facts == ["到会"]


# The API gives the same words ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "rsvp", "started"),
    [
        ("zh-hans", ("回复了会议邀请", "确认参会"), "进行中"),
        ("en", ("answered the invitation", "Attending"), "In progress"),
    ],
)
def test_the_events_api_labels_each_event_and_its_state_by_its_machine(
    api, convened, coordinator, language, rsvp, started
):
    session, _parts = convened
    api.as_user(coordinator).cookies["django_language"] = language
    response = api.get(f"/api/v1/cases/{session.case_id}/events/?page_size=100")
    assert response.status_code == 200
    events = response.json()["results"]
    by_kind = {}
    for event in events:
        by_kind.setdefault(event["kind"], event)
    assert (by_kind["session_rsvp"]["label"], by_kind["session_rsvp"]["to_state_label"]) == rsvp
    assert by_kind["session_start"]["to_state_label"] == started
    assert all(event["label"] for event in events)
    assert by_kind["session_attendance"]["to_state_label"] == ""
