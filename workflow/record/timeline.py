"""How the record reads in a page: one translated line per event, with what its payload says
that a reader needs, and the events of a session (and the drafting of the rules) folded under
one line each.

Nothing here writes; `timeline_entries` is called in the view, inside the reader's language.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from cases.models import Case
from workflow.extensions.models import Extension
from workflow.implementation.models import RuleSignOff
from workflow.items.models import ActionItem
from workflow.precedents.models import PrecedentFollow
from workflow.record.kinds import EVENT_KINDS, SUBJECTS
from workflow.sessions.models import JointSession, Opinion, SessionParticipant
from workflow.standing_rules.models import StandingRuleVersion
from workflow.supervision.models import SupervisionNotice

# Whose states an event's `to_state` names (EventKind.machine): (model, its FSM field).
MACHINES = {
    "case": (Case, "status"),
    "action_item": (ActionItem, "status"),
    "session": (JointSession, "status"),
    "participant": (SessionParticipant, "status"),
    "extension": (Extension, "status"),
    "supervision": (SupervisionNotice, "status"),
    "sign_off": (RuleSignOff, "status"),
    "standing_rule": (StandingRuleVersion, "status"),
}

# Rule items drafted before the rules are issued fold under one line; an amendment of an issued
# rule changes an action item's terms, so it stays on the timeline's main line.
FOLDED_RULE_KINDS = {"rule_item_added", "rule_item_edited", "rule_item_deleted"}

RULE_FIELDS = {
    "title": gettext_lazy("事项"),
    "owner": gettext_lazy("责任单位"),
    "deliverable": gettext_lazy("交付成果"),
    "due_date": gettext_lazy("完成期限"),
}
SESSION_FIELDS = {
    "title": gettext_lazy("会议名称"),
    "scheduled_at": gettext_lazy("会议时间"),
    "agenda": gettext_lazy("议程"),
    "place": gettext_lazy("地点"),
    "video_link": gettext_lazy("视频会议链接"),
}
SYSTEM = pgettext_lazy("timeline", "系统")
PARENTHESIS = re.compile(r"[(（]([^()（）]+)[)）]\s*$")


def state_labels(machine: str) -> dict:
    if machine not in MACHINES:
        return {}
    model, name = MACHINES[machine]
    return dict(model._meta.get_field(name).choices)


def state_label(machine: str, state: str) -> str:
    """A state's label in the machine it belongs to; empty when it has none (never the code)."""
    label = state_labels(machine).get(state)
    return str(label) if label is not None else ""


def kind_label(kind: str) -> str:
    entry = EVENT_KINDS.get(kind)
    return str(entry.label) if entry else _("记录")


def to_state_label(kind: str, to_state: str) -> str:
    entry = EVENT_KINDS.get(kind)
    return state_label(entry.machine, to_state) if entry and to_state else ""


@dataclass
class Line:
    """One event as the timeline prints it."""

    event: object
    actor: str
    organisation: str
    label: str
    subject: str
    object: str = ""
    state: str = ""
    facts: list = field(default_factory=list)
    quote: str = ""
    is_group = False

    @property
    def internal(self) -> bool:
        return self.event.internal

    @property
    def is_comment(self) -> bool:
        return self.event.kind == "comment"


@dataclass
class Group:
    """The events of one session, or the rules' drafting, folded under one line."""

    key: str
    subject: str
    title: str
    status: str = ""
    status_value: str = ""
    lines: list = field(default_factory=list)
    open: bool = False
    is_group = True

    @property
    def first(self):
        return self.lines[0].event.created_at

    @property
    def last(self):
        return self.lines[-1].event.created_at


def _day(value) -> str:
    parsed = parse_date(value) if isinstance(value, str) else value
    return date_format(parsed, "DATE_FORMAT") if isinstance(parsed, date) else str(value or "")


def _moment(value) -> str:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        return str(value or "")
    if timezone.is_aware(parsed):
        parsed = timezone.localtime(parsed)
    return date_format(parsed, "DATETIME_FORMAT")


def _choice(choices, value) -> str:
    return str(dict(choices).get(value, "")) if value else ""


def without_repeat(name: str) -> str:
    """A participant's name once: "甬江精机 王立 (甬江精机)" reads "王立 (甬江精机)"."""
    head, _space, rest = (name or "").partition(" ")
    return rest if head and rest and head in rest else name or ""


def _actor(event) -> tuple[str, str]:
    """The actor and their organisation, the organisation left out when the name says it."""
    if event.actor is None:
        return str(SYSTEM), ""
    name = str(event.actor)
    organisation = event.actor_organisation
    if organisation is None:
        return name, ""
    names = {organisation.name, organisation.short_name} - {""}
    # "王立 (甬江精机)": a name that already says its organisation is not followed by it again.
    said = PARENTHESIS.search(name)
    if any(n in name for n in names) or (said and any(said[1] in n for n in names)):
        return name, ""
    return name, str(organisation)


def _list_separator() -> str:
    return pgettext("timeline", "、")


def _rule(payload) -> str:
    number, title = payload.get("number"), payload.get("title", "")
    if number:
        return _("第%(n)s条 %(title)s") % {"n": number, "title": title}
    return title


def _changed(changes, labels) -> list[str]:
    names = [str(labels[name]) for name in changes if name in labels]
    return [_("修改了：%(fields)s") % {"fields": _list_separator().join(names)}] if names else []


def _assignment(a: dict) -> str:
    return _("%(owner)s：%(title)s，期限 %(due)s") % {
        "owner": a.get("organisation_name", ""),
        "title": a.get("title", ""),
        "due": _day(a.get("due_date")),
    }


def _standing_rule(cited: dict) -> str:
    """常态化机制第1号（第2版）：名称, as the event cited it."""
    return _("常态化机制第%(n)s号（第%(v)s版）：%(title)s") % {
        "n": cited.get("number", ""),
        "v": cited.get("version", ""),
        "title": cited.get("title", ""),
    }


def _details(kind: str, payload: dict) -> tuple[str, list[str], str]:
    """(object, facts, quote) of one event from its payload."""
    p = payload
    name = without_repeat(p.get("name", ""))
    if kind == "confirm":
        return "", [_choice(Case.Rating.choices, p.get("rating"))], p.get("comment", "")
    if kind == "assign":
        facts = [_assignment(a) for a in p.get("assignments", [])]
        if isinstance(p.get("standing_rule"), dict):
            facts.insert(0, _("依据：%(rule)s") % {"rule": _standing_rule(p["standing_rule"])})
        return "", facts, ""
    if kind == "standing_rule_promoted":
        return _standing_rule(p), [], ""
    if kind == "resolve" and p.get("automatic"):
        return "", [_("全部任务已完成，自动办结")], ""
    if kind == "attachment_added":
        return p.get("name", ""), [], ""
    if kind == "comment":
        return "", [], p.get("body", "")
    if kind == "action_item_assigned":
        facts = [_("承办单位：%(owner)s") % {"owner": p.get("owner_name", "")}]
        if p.get("rule_number"):
            facts.append(_("实施细则第%(n)s条") % {"n": p["rule_number"]})
        return "", facts, ""
    if kind == "action_item_reassign":
        fact = _("承办单位：%(old)s → %(new)s") % {
            "old": p.get("previous_owner_name", ""),
            "new": p.get("new_owner_name", ""),
        }
        return "", [fact], ""
    if kind == "action_item_complete":
        count = len(p.get("evidence") or [])
        facts = (
            [ngettext("佐证材料 %(n)d 份", "佐证材料 %(n)d 份", count) % {"n": count}]
            if count
            else []
        )
        return "", facts, p.get("note", "")
    if kind == "extension_requested":
        return "", [_("申请延至 %(due)s") % {"due": _day(p.get("due_date"))}], p.get("reason", "")
    if kind in ("extension_approved", "extension_refused"):
        fact = _("办理期限：%(due)s") % {"due": _day(p.get("due_date"))}
        return "", [fact], p.get("note", "")
    if kind == "supervision_issued":
        fact = _("答复期限：%(due)s") % {"due": _day(p.get("answer_due"))}
        return "", [fact], p.get("text", "")
    if kind == "supervision_answered":
        return "", [], p.get("answer", "")
    if kind == "session_scheduled":
        facts = [_("时间：%(when)s") % {"when": _moment(p.get("scheduled_at"))}]
        if p.get("place"):
            facts.append(_("地点：%(place)s") % {"place": p["place"]})
        return "", facts, ""
    if kind == "session_updated":
        changes = p.get("changes") or {}
        facts = _changed(changes, SESSION_FIELDS)
        if "scheduled_at" in changes:
            facts.append(_("时间：%(when)s") % {"when": _moment(changes["scheduled_at"])})
        if changes.get("place"):
            facts.append(_("地点：%(place)s") % {"place": changes["place"]})
        return "", facts, ""
    if kind == "session_participant_invited":
        facts = [_choice(SessionParticipant.Capacity.choices, p.get("capacity"))]
        if p.get("required"):
            facts.append(_("必须到会"))
        return name, facts, ""
    if kind == "session_rsvp":
        return name, [], p.get("note", "")
    if kind == "session_attendance":
        return name, [_choice(SessionParticipant.Attendance.choices, p.get("attendance"))], ""
    if kind == "session_opinion":
        facts = [_choice(Opinion.Stance.choices, p.get("stance"))]
        if (p.get("version") or 1) > 1:
            facts.append(_("第%(n)s版") % {"n": p["version"]})
        return name, facts, p.get("reasons", "")
    if kind == "session_conclude":
        tally = p.get("tally") or {}
        counts = _list_separator().join(
            f"{label} {tally.get(value, 0)}" for value, label in Opinion.Stance.choices
        )
        facts = [_("表态：%(counts)s") % {"counts": counts}]
        if p.get("legal_basis"):
            facts.append(_("法律依据：%(basis)s") % {"basis": p["legal_basis"]})
        return "", facts, p.get("summary", "")
    if kind.startswith("rule_item_"):
        facts = []
        if kind in ("rule_item_added", "rule_item_deleted"):
            facts.append(_("责任单位：%(owner)s") % {"owner": p.get("owner_name", "")})
            facts.append(_("完成期限：%(due)s") % {"due": _day(p.get("due_date"))})
        else:
            facts.extend(_changed(p.get("changes") or {}, RULE_FIELDS))
        return _rule(p), facts, p.get("reason", "")
    if kind == "precedent_followed":
        count = p.get("steps") or 0
        facts = [
            _choice(PrecedentFollow.Mode.choices, p.get("mode")),
            ngettext("%(n)d 项", "%(n)d 项", count) % {"n": count},
        ]
        return _("类案 %(reference)s") % {"reference": p.get("reference", "")}, facts, ""
    if kind == "issue_rules":
        count = len(p.get("rule_items") or [])
        return "", [ngettext("%(n)d 条细则", "%(n)d 条细则", count) % {"n": count}], ""
    # Transitions with a free text written by a person.
    if kind in ("case_owner_named", "action_item_handler_named"):
        return "", [p.get("name", "")], ""
    for key in ("reason", "reply", "note", "remarks"):
        if isinstance(p.get(key), str) and p[key]:
            return "", [], p[key]
    return "", [], ""


def describe(event) -> Line:
    kind = EVENT_KINDS.get(event.kind)
    payload = event.payload if isinstance(event.payload, dict) else {}
    actor, organisation = _actor(event)
    subject_of, facts, quote = _details(event.kind, payload)
    if event.action_item_id:
        subject_of = event.action_item.title
    return Line(
        event=event,
        actor=actor,
        organisation=organisation,
        # An unregistered kind is refused when recorded; an old row still reads as something.
        label=kind_label(event.kind),
        subject=kind.subject if kind else "case",
        object=subject_of,
        state=to_state_label(event.kind, event.to_state),
        facts=[fact for fact in facts if fact],
        quote=quote if isinstance(quote, str) else "",
    )


def _group_key(line: Line):
    payload = line.event.payload if isinstance(line.event.payload, dict) else {}
    if line.subject == "session" and isinstance(payload.get("session"), int):
        return f"session-{payload['session']}"
    if line.event.kind in FOLDED_RULE_KINDS:
        return "rules"
    return None


def timeline_entries(events, *, sessions=(), subject: str = "") -> list:
    """The timeline's entries, oldest first: lines, and groups where their first event was.

    `subject` (a key of SUBJECTS) keeps only its events, with their groups open."""
    by_pk = {session.pk: session for session in sessions}
    entries, groups = [], {}
    for event in events:
        line = describe(event)
        if subject and line.subject != subject:
            continue
        key = _group_key(line)
        if key is None:
            entries.append(line)
            continue
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(key=key, subject=line.subject, title="", open=bool(subject))
            entries.append(group)
        group.lines.append(line)
    for key, group in groups.items():
        if key == "rules":
            group.title = _("实施细则的拟定")
            continue
        session = by_pk.get(int(key.removeprefix("session-")))
        recorded = [(ln.event.payload or {}).get("session_title") for ln in group.lines]
        title = session.title if session else next(filter(None, recorded), "")
        group.title = _("审联体会议：%(title)s") % {"title": title} if title else _("审联体会议")
        if session is not None:
            group.status = state_label("session", session.status)
            group.status_value = session.status
    return entries


def subject_links() -> list[tuple[str, str]]:
    return [("", str(pgettext_lazy("timeline", "全部")))] + [
        (key, str(label)) for key, label in SUBJECTS.items()
    ]
