"""Case lifecycles as rows: each case walked from filing to its state today, with the rows the
services would have left behind (events, action items, involvements, clocks, sessions).

The rows follow the services' rules, not every step of them:

- Events keep the milestones of each case (submit, accept, the route taken, the transition into
  today's state): about three per case, the size the issue's measurements used. The
  intermediate action-item events (sign, start, …) are left out.
- Involvements are what ``sync_action_item_involvement`` and ``participant_invite`` create: one
  row per organisation owning a live (not cancelled) item, and one per invited department or
  third party. A withdrawn case keeps its owners' rows, as ``case_withdraw`` does (it cancels the
  items without syncing).
- Clocks are those of ``workflow/deadlines/services.py``: accept (submitted; paused while
  needs_info), convene, issue_rules and confirm for the case states that run one, and one per
  action item from its assignment to its due date. A clock is open only while its state runs
  one; stopped clocks are met or missed. Open clocks carry the state the daily scan would have
  given them today (running, yellow, red, with the warning recorded as sent).
- Working days come from the real calendar through ``DayTable``.
- Nothing happens today or later: every change is dated yesterday or before, except sessions
  scheduled for the coming days.
"""

import bisect
import json
import math
from datetime import UTC, datetime, timedelta

from workflow.deadlines.clock_state import YELLOW_SHARE
from workflow.loadgen import vocabulary as words

DAY = 86400
OFFICE_OPENS = 8 * 3600 + 1800  # 08:30 local
OFFICE_HOURS = 9 * 3600

# Share of the cases in each state today; "closed" takes the rest (about 86 %).
STATE_SHARES = {
    "draft": 0.005,
    "submitted": 0.012,
    "needs_info": 0.004,
    "accepted": 0.004,
    "convening": 0.006,
    "deliberated": 0.003,
    "implementing": 0.040,
    "under_review": 0.003,
    "resolved": 0.010,
    "rejected": 0.040,
    "withdrawn": 0.016,
}
# When a case in each state was filed: calendar days before today (inclusive range).
FILED_DAYS_AGO = {
    "draft": (1, 30),
    "submitted": (1, 4),
    "needs_info": (3, 30),
    "accepted": (2, 12),
    "convening": (6, 40),
    "deliberated": (10, 50),
    "implementing": (8, 90),
    "under_review": (12, 100),
    "resolved": (15, 120),
    "closed": (25, 1095),
    "rejected": (1, 1095),
    "withdrawn": (2, 1095),
}
STATES = list(FILED_DAYS_AGO)
KEPT_EVENTS = {"created", "submit", "accept"}
SESSION_ROUTE = 0.03  # share of the implemented cases that went through a joint session
CATEGORY_WEIGHT = {
    "utility_relocation": 12,
    "municipal_works": 14,
    "approval": 12,
    "construction_permit": 10,
    "planning": 8,
    "land": 7,
    "fire_safety": 6,
    "completion_acceptance": 6,
    "environment": 5,
    "policy_fulfilment": 6,
    "property_registration": 4,
    "traffic": 3,
    "public_resource_trading": 3,
    "employment": 2,
    "other": 2,
}
RATINGS = [("satisfied", 0.8), ("basically_satisfied", 1.0)]
STANCES = [("support", 0.7), ("conditional", 0.9), ("abstain", 0.97), ("object", 1.0)]
OPEN_ITEM_STATES = [
    ("assigned", 0.2),
    ("signed", 0.4),
    ("in_progress", 0.8),
    ("blocked", 0.9),
    ("returned", 1.0),
]

# Table name -> columns, in the order the rows are built.
COLUMNS = {
    "case": [
        "id",
        "reference",
        "title",
        "description",
        "category_id",
        "project_name",
        "location",
        "urgency",
        "desired_date",
        "enterprise_id",
        "filed_by_id",
        "status",
        "rating",
        "closure_kind",
        "created_at",
        "updated_at",
        "submitted_at",
        "resolved_at",
        "closed_at",
    ],
    "event": [
        "id",
        "case_id",
        "kind",
        "actor_id",
        "actor_organisation_id",
        "action_item_id",
        "from_state",
        "to_state",
        "payload",
        "internal",
        "created_at",
    ],
    "item": [
        "id",
        "case_id",
        "owner_id",
        "title",
        "deliverable",
        "due_date",
        "status",
        "status_reason",
        "completion_note",
        "created_by_id",
        "created_at",
        "updated_at",
        "completed_at",
    ],
    "involvement": ["id", "case_id", "organisation_id", "person_id", "reason", "case_created_at"],
    "clock": [
        "id",
        "kind",
        "case_id",
        "action_item_id",
        "started",
        "due",
        "limit_days",
        "paused_at",
        "paused_days",
        "state",
        "notified",
        "stopped",
        "calendar_gap",
        "yellow_on",
    ],
    "session": [
        "id",
        "case_id",
        "title",
        "agenda",
        "scheduled_at",
        "place",
        "video_link",
        "convener_id",
        "status",
        "outcome_reason",
        "created_at",
        "notified_at",
        "started_at",
        "ended_at",
    ],
    "participant": [
        "id",
        "session_id",
        "capacity",
        "organisation_id",
        "person_id",
        "required",
        "status",
        "delegate_id",
        "rsvp_note",
        "attendance",
        "invited_at",
        "responded_at",
    ],
    "opinion": ["id", "participant_id", "version", "stance", "reasons", "author_id", "created_at"],
    "resolution": [
        "id",
        "session_id",
        "summary",
        "legal_basis",
        "tally",
        "adopted_by_id",
        "adopted_at",
    ],
    "resolution_owner": ["id", "resolution_id", "organisation_id"],
    "rule_item": [
        "id",
        "case_id",
        "session_id",
        "number",
        "title",
        "owner_id",
        "deliverable",
        "due_date",
        "version",
        "published_at",
        "action_item_id",
        "created_by_id",
        "created_at",
    ],
}


def state_counts(cases: int) -> dict[str, int]:
    """How many cases in each state: every state at least once, closed takes the rest."""
    counts = {state: max(1, round(share * cases)) for state, share in STATE_SHARES.items()}
    counts["closed"] = cases - sum(counts.values())
    if counts["closed"] < 1:
        raise ValueError(f"--cases must be at least {len(STATES)} to hold every state.")
    return counts


def reference_code(case_id: int) -> str:
    """Six hex digits, distinct for every id below 2**24: multiplying by an odd number is a
    bijection modulo a power of two. The app's own references take six random ones."""
    return f"{(case_id * 0x9E3779) & 0xFFFFFF:06X}"


def _pick(table, draw):
    for value, upto in table:
        if draw < upto:
            return value
    return table[-1][0]


class Lifecycles:
    """Builds the rows of consecutive cases into ``self.rows`` (table -> list of tuples)."""

    def __init__(self, *, rng, days, today_offset, directory, categories, first_ids):
        self.rng = rng
        self.days = days
        self.today = today_offset
        self.directory = directory
        self.next_id = dict(first_ids)
        self.rows = {table: [] for table in COLUMNS}
        local = datetime(days.first.year, days.first.month, days.first.day, tzinfo=UTC)
        self.base = local - timedelta(hours=8)  # local midnight (Asia/Shanghai) in UTC
        self.categories = categories  # [(id, code, {limit field: days})]
        self.category_cumulative = []
        total = 0
        for _id, code, _limits in categories:
            total += CATEGORY_WEIGHT.get(code, 2)
            self.category_cumulative.append(total)
        self.enterprise_cumulative = []
        total = 0.0
        for weight in directory.enterprise_weight:
            total += weight
            self.enterprise_cumulative.append(total)
        self.owners_by_category = {}
        for owner, codes in directory.owners.items():
            for code in codes:
                self.owners_by_category.setdefault(code, []).append(owner)
        self.all_owners = list(directory.owners)

    # --- small helpers -------------------------------------------------------------------

    def new_id(self, table):
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def when(self, t):
        return self.base + timedelta(seconds=t)

    def date(self, offset):
        return self.days.days[offset]

    def office_time(self, offset):
        return offset * DAY + OFFICE_OPENS + int(self.rng.random() * OFFICE_HOURS)

    def later(self, t, offset=None):
        """Minutes after ``t``, or office hours on day ``offset`` if that is later."""
        step = t + 60 + int(self.rng.random() * 1800)
        if offset is not None:
            return max(step, self.office_time(offset))
        return step

    def working_after(self, offset, low, high, cap=None):
        """A working day ``low``..``high`` working days after ``offset``, not after ``cap``."""
        day = self.days.add(offset, self.rng.randint(low, high)) if high else offset
        if cap is not None and day > cap:
            day = max(cap, offset)
        return day

    def between(self, low, high):
        return low if high <= low else self.rng.randint(low, high)

    def event(self, case_id, kind, t, actor, organisation, from_state, to_state, payload=None):
        self.rows["event"].append(
            (
                self.new_id("event"),
                case_id,
                kind,
                actor,
                organisation,
                None,
                from_state,
                to_state,
                json.dumps(payload or {}, ensure_ascii=False),
                False,
                self.when(t),
            )
        )

    def clock(self, case_id, kind, started, due, *, limit=None, item=None, stopped=None):
        """A clock from ``started`` to ``due`` (day offsets), stopped on ``stopped`` or open."""
        if stopped is None:
            state = self.live_state(started, due)
            notified = "" if state == "running" else state
        else:
            state, notified = ("met" if stopped <= due else "missed"), ""
        self.rows["clock"].append(
            (
                self.new_id("clock"),
                kind,
                case_id,
                item,
                self.date(started),
                self.date(due),
                limit,
                None,
                0,
                state,
                notified,
                None if stopped is None else self.date(stopped),
                self.days.gap(started, due),
                None if stopped is not None else self.date(self.yellow_on(started, due)),
            )
        )

    def yellow_on(self, started, due):
        """The day an open clock turns yellow, as ``clock_state.yellow_on`` stores it."""
        total = self.days.between(started, due)
        if total <= 0:
            return due + 1
        return self.days.add(started, math.ceil(YELLOW_SHARE * total))

    def live_state(self, started, due):
        """Today's state of an open clock, as ``clock_state.live_state`` computes it."""
        if self.today > due:
            return "red"
        total = self.days.between(started, due)
        used = self.days.between(started, self.today)
        return "yellow" if total > 0 and used >= 0.8 * total else "running"

    def choose_owners(self, code, count):
        """Departments and third parties for a case: mostly those that answer its category."""
        preferred = self.owners_by_category.get(code) or self.all_owners
        owners = []
        while len(owners) < count:
            pool = preferred if self.rng.random() < 0.7 else self.all_owners
            owner = self.rng.choice(pool)
            if owner not in owners:
                owners.append(owner)
        return owners

    # --- one case ------------------------------------------------------------------------

    def case(self, filed_at, state):
        rng = self.rng
        directory = self.directory
        case_id = self.new_id("case")
        enterprise = directory.enterprises[
            bisect.bisect(self.enterprise_cumulative, rng.random() * self.enterprise_cumulative[-1])
        ]
        filer = rng.choice(directory.members[enterprise])
        category_id, code, limits = self.categories[
            bisect.bisect(self.category_cumulative, rng.random() * self.category_cumulative[-1])
        ]
        project = rng.choice(words.PROJECTS)
        street = rng.choice(words.STREETS)
        title = rng.choice(words.TITLES.get(code, words.TITLES["other"])).format(
            project=project, street=street
        )
        filed = filed_at // DAY
        self.filed_when = self.when(filed_at)  # the case's created_at, which involvements copy
        draw = rng.random()
        urgency = "normal" if draw < 0.8 else "urgent" if draw < 0.97 else "critical"
        desired = self.date(filed) + timedelta(days=rng.randint(10, 60)) if draw < 0.5 else None
        coordinator = rng.choice(directory.coordinators)
        office = directory.office
        yesterday = self.today - 1
        submitted_at = None if state == "draft" else filed_at + 30 + int(rng.random() * 900)
        resolved_at = closed_at = None
        rating = closure = ""
        last = filed_at + 1 + int(rng.random() * 600)  # the case row's last save

        timeline = []

        def milestone(kind, t, from_state, to_state, payload=None, by=coordinator):
            nonlocal last
            organisation = None if by is None else enterprise if by == filer else office
            timeline.append((kind, t, by, organisation, from_state, to_state, payload))
            last = t

        if state == "draft":
            saved = last  # a draft is saved again after it is created: keep that later time
            milestone("created", filed_at, "", "draft", by=filer)
            last = saved
        else:
            if state == "submitted":
                milestone("created", filed_at, "", "draft", by=filer)
            milestone("submit", submitted_at, "draft", "submitted", by=filer)
        accept_due = self.days.add(filed, limits["accept_days"])
        t = submitted_at

        if state == "submitted":
            self.clock(case_id, "accept", filed, accept_due, limit=limits["accept_days"])
        elif state == "needs_info":
            returned = self.working_after(filed, 1, 2, cap=yesterday)
            t = self.later(t, returned)
            milestone("return_for_info", t, "submitted", "needs_info", {"reason": "请补充材料。"})
            self.paused_clock(case_id, filed, accept_due, returned, limits["accept_days"])
        elif state == "rejected":
            rejected = self.working_after(filed, 0, 3, cap=yesterday)
            t = self.later(t, rejected)
            milestone("reject", t, "submitted", "rejected", {"reason": "不属于审联体受理范围。"})
            self.clock(
                case_id, "accept", filed, accept_due, limit=limits["accept_days"], stopped=rejected
            )
            closed_at = t
        elif state == "withdrawn" and rng.random() < 0.6:
            withdrawn = self.working_after(filed, 0, 3, cap=yesterday)
            t = self.later(t, withdrawn)
            milestone(
                "withdraw", t, "submitted", "withdrawn", {"reason": "问题已自行解决。"}, filer
            )
            self.clock(
                case_id, "accept", filed, accept_due, limit=limits["accept_days"], stopped=withdrawn
            )
            closed_at = t
        elif state != "draft":
            accepted = self.working_after(filed, 0, 2, cap=yesterday)
            t = self.later(t, accepted)
            milestone("accept", t, "submitted", "accepted", {"note": ""})
            self.clock(
                case_id, "accept", filed, accept_due, limit=limits["accept_days"], stopped=accepted
            )
            outcome = self.after_acceptance(
                case_id=case_id,
                state=state,
                t=t,
                accepted=accepted,
                code=code,
                limits=limits,
                title=title,
                enterprise=enterprise,
                filer=filer,
                coordinator=coordinator,
                milestone=milestone,
            )
            resolved_at, closed_at, rating, closure = outcome

        # The timeline keeps filing, acceptance and the transition into today's state.
        for index, (kind, *event) in enumerate(timeline):
            if kind in KEPT_EVENTS or index == len(timeline) - 1:
                self.event(case_id, kind, *event)
        self.rows["case"].append(
            (
                case_id,
                f"SLT-{self.date(filed):%Y%m%d}-{reference_code(case_id)}",
                title,
                rng.choice(words.DESCRIPTIONS),
                category_id,
                f"{street}{project}项目",
                f"海曙区{street}",
                urgency,
                desired,
                enterprise,
                filer,
                state,
                rating,
                closure,
                self.when(filed_at),
                self.when(last),
                None if submitted_at is None else self.when(submitted_at),
                resolved_at,
                closed_at if closed_at is None else self.when(closed_at),
            )
        )

    def paused_clock(self, case_id, started, due, paused, limit):
        self.rows["clock"].append(
            (
                self.new_id("clock"),
                "accept",
                case_id,
                None,
                self.date(started),
                self.date(due),
                limit,
                self.date(paused),
                0,
                "paused",
                "",
                None,
                self.days.gap(started, due),
                self.date(self.yellow_on(started, due)),
            )
        )

    def after_acceptance(
        self,
        *,
        case_id,
        state,
        t,
        accepted,
        code,
        limits,
        title,
        enterprise,
        filer,
        coordinator,
        milestone,
    ):
        """From acceptance to today's state; returns (resolved_at, closed_at, rating, closure)."""
        rng = self.rng
        yesterday = self.today - 1
        resolved_at = closed_at = None
        rating = closure = ""
        if state == "accepted":
            return resolved_at, closed_at, rating, closure

        count = 1 if rng.random() < 0.85 else 2 if rng.random() < 0.8 else 3
        owners = self.choose_owners(code, count)
        convening_states = ("convening", "deliberated")
        by_session = state in convening_states or (
            state in ("implementing", "under_review", "resolved", "closed")
            and rng.random() < SESSION_ROUTE
        )
        if state == "withdrawn" and rng.random() < 0.4:  # before any work was assigned
            withdrawn = self.working_after(accepted, 0, 5, cap=yesterday)
            t = self.later(t, withdrawn)
            milestone("withdraw", t, "accepted", "withdrawn", {"reason": "问题已自行解决。"}, filer)
            return resolved_at, t, rating, closure

        session = None
        if by_session:
            convened = self.working_after(accepted, 0, 1, cap=yesterday)
            if state == "convening":
                convened = self.between(max(accepted, yesterday - 7), yesterday)
            t = self.later(t, convened)
            milestone("convene", t, "accepted", "convening")
            convene_due = self.days.add(convened, limits["convene_days"])
            if state == "convening":
                self.clock(case_id, "convene", convened, convene_due, limit=limits["convene_days"])
                self.session(case_id, title, enterprise, owners, coordinator, t, None)
                return resolved_at, closed_at, rating, closure
            if state == "deliberated":
                deliberated = self.between(min(convened + 1, yesterday), yesterday)
                deliberated = max(deliberated, yesterday - 4)
            else:
                deliberated = self.working_after(convened, 2, 8, cap=yesterday)
            session, ended = self.session(
                case_id, title, enterprise, owners, coordinator, t, deliberated
            )
            t = max(ended, t) + 60
            milestone("deliberate", t, "convening", "deliberated", {"session": session})
            self.clock(
                case_id,
                "convene",
                convened,
                convene_due,
                limit=limits["convene_days"],
                stopped=deliberated,
            )
            rules_due = self.days.add(deliberated, limits["rules_days"])
            if state == "deliberated":
                self.clock(
                    case_id, "issue_rules", deliberated, rules_due, limit=limits["rules_days"]
                )
                if rng.random() < 0.5:
                    self.draft_rules(case_id, session, owners, deliberated, coordinator, t)
                return resolved_at, closed_at, rating, closure
            started = self.working_after(deliberated, 0, 2, cap=yesterday)
            t = self.later(t, started)
            due_days = self.due_days(state, started, len(owners))
            milestone("issue_rules", t, "deliberated", "implementing", {"session": session})
            self.clock(
                case_id,
                "issue_rules",
                deliberated,
                rules_due,
                limit=limits["rules_days"],
                stopped=started,
            )
        else:
            started = self.working_after(accepted, 0, 1, cap=yesterday)
            t = self.later(t, started)
            due_days = self.due_days(state, started, len(owners))
            milestone(
                "assign",
                t,
                "accepted",
                "implementing",
                {
                    "assignments": [
                        {
                            "organisation": owner,
                            "organisation_name": self.directory.owner_names[owner],
                            "title": words.ITEM_TITLES[(owner + case_id) % len(words.ITEM_TITLES)],
                            "due_date": self.date(self.days.add(started, days)).isoformat(),
                        }
                        for owner, days in zip(owners, due_days, strict=True)
                    ]
                },
            )
        assigned_at = t

        # When the work ends: resolved within the confirmation limit before today; closed ones
        # whenever their items were done; implementing and withdrawn ones are still running.
        if state == "resolved":
            end = max(self.today - rng.randint(1, 6), started)
        elif state == "under_review":
            end = max(self.today - rng.randint(0, 1), started)
        elif state == "closed":
            end = None
        elif state == "withdrawn":
            end = self.between(started, yesterday)
        else:
            end = yesterday
        items, withdrawn_t = self.items(
            case_id, state, owners, due_days, started, end, assigned_at, coordinator
        )
        if session is not None:
            self.published_rules(case_id, session, items, coordinator, assigned_at)
        if state == "implementing":
            return resolved_at, closed_at, rating, closure
        if state == "withdrawn":
            reason = {"reason": "企业已另行解决。"}
            milestone("withdraw", withdrawn_t, "implementing", "withdrawn", reason, filer)
            return resolved_at, withdrawn_t, rating, closure

        done_t = max(i[2] for i in items)
        t = done_t + 1
        # The last item done puts the case under the office's review; the office resolves it
        # (asks the enterprise) the same day.
        milestone("submit_for_review", t, "implementing", "under_review", {"automatic": True}, None)
        review_day = done_t // DAY
        if state == "under_review":
            review_due = self.days.add(review_day, limits["accept_days"])
            self.clock(case_id, "review", review_day, review_due, limit=limits["accept_days"])
            return resolved_at, closed_at, rating, closure
        self.clock(
            case_id,
            "review",
            review_day,
            self.days.add(review_day, limits["accept_days"]),
            limit=limits["accept_days"],
            stopped=review_day,
        )
        resolved = review_day
        t += 1
        milestone("resolve", t, "under_review", "resolved", {})
        resolved_at = self.when(t)
        confirm_due = self.days.add(resolved, limits["confirm_days"])
        if state == "resolved":
            self.clock(case_id, "confirm", resolved, confirm_due, limit=limits["confirm_days"])
            return resolved_at, closed_at, rating, closure
        if rng.random() < 0.97:
            answered = self.working_after(resolved, 0, limits["confirm_days"], cap=yesterday)
            t = self.later(t, answered)
            rating = _pick(RATINGS, rng.random())
            milestone("confirm", t, "resolved", "closed", {"rating": rating, "comment": ""}, filer)
            closure = "rated"
        else:
            answered = min(self.days.add(confirm_due, 1), yesterday)
            t = self.later(t, answered)
            milestone("close_unanswered", t, "resolved", "closed", None, None)
            closure = "no_answer"
        self.clock(
            case_id,
            "confirm",
            resolved,
            confirm_due,
            limit=limits["confirm_days"],
            stopped=answered,
        )
        return resolved_at, t, rating, closure

    def due_days(self, state, started, count):
        """Each item's limit in working days. Items still open today are mostly not overdue:
        their limits reach past today by a few days (a quarter fall short: red clocks)."""
        if state != "implementing":
            return [self.rng.randint(5, 30) for _ in range(count)]
        elapsed = self.days.between(started, self.today)
        return [max(5, elapsed + self.rng.randint(-4, 25)) for _ in range(count)]

    def items(self, case_id, state, owners, due_days, started, end, assigned_at, coordinator):
        """One action item per owner, with its clock and the owners' involvements.

        Returns the items as [(id, status, last change time, owner, due offset)] and, for a
        withdrawn case, when it was withdrawn (its open items are cancelled with it)."""
        rng = self.rng
        yesterday = self.today - 1
        statuses = []
        for _owner in owners:
            if state == "implementing":
                done = rng.random() < 0.3
                statuses.append("done" if done else _pick(OPEN_ITEM_STATES, rng.random()))
            elif state == "withdrawn":
                statuses.append("done" if rng.random() < 0.4 else "cancelled")
            else:
                statuses.append("done")
        if state == "implementing" and all(s == "done" for s in statuses):
            statuses[-1] = "in_progress"  # the case would have resolved itself otherwise
        if state == "withdrawn" and "cancelled" not in statuses:
            statuses[-1] = "cancelled"

        planned = []  # (owner, status, created, due, changed, completed)
        for index, (owner, status, limit) in enumerate(
            zip(owners, statuses, due_days, strict=True)
        ):
            due = self.days.add(started, limit)
            created = assigned_at + index
            changed = completed = None
            if status == "done":
                if end is None:  # closed: done within the limit mostly, some late
                    finished = self.working_after(started, 1, limit + 5, cap=yesterday - 1)
                elif state == "resolved" and index == len(owners) - 1:
                    finished = end
                else:
                    finished = self.between(started, end)
                changed = completed = max(self.later(created, finished), created + 60)
            elif status == "assigned":
                changed = created + 1
            elif status != "cancelled":
                changed = max(self.later(created, self.between(started, yesterday)), created + 60)
            planned.append([owner, status, created, due, changed, completed])
        withdrawn_t = None
        if state == "withdrawn":
            finished = [p[4] for p in planned if p[4] is not None]
            withdrawn_t = max(
                [self.later(assigned_at + len(owners), end), *(f + 60 for f in finished)]
            )
            for plan in planned:
                if plan[1] == "cancelled":
                    plan[4] = withdrawn_t + 1  # cancelled in the withdrawal's transaction

        made = []
        live_owners = set()
        for owner, status, created, due, changed, completed in planned:
            item_id = self.new_id("item")
            reason = {
                "blocked": "等待相邻地块业主配合。",
                "returned": "不属于本单位职责。",
                "cancelled": "企业已撤回诉求",
            }.get(status, "")
            self.rows["item"].append(
                (
                    item_id,
                    case_id,
                    owner,
                    words.ITEM_TITLES[(owner + case_id) % len(words.ITEM_TITLES)],
                    rng.choice(words.DELIVERABLES),
                    self.date(due),
                    status,
                    reason,
                    "已按要求办结。" if status == "done" else "",
                    coordinator,
                    self.when(created),
                    self.when(changed),
                    None if completed is None else self.when(completed),
                )
            )
            stopped = None
            if status in ("done", "cancelled"):
                stopped = changed // DAY
            self.clock(case_id, "action_item", started, due, item=item_id, stopped=stopped)
            # sync_action_item_involvement drops cancelled items' owners; case_withdraw does
            # not call it, so a withdrawn case keeps them.
            if status != "cancelled" or state == "withdrawn":
                live_owners.add(owner)
            made.append((item_id, status, changed, owner, due))
        for owner in sorted(live_owners):
            self.involve(case_id, owner, "action_item")
        return made, withdrawn_t

    def involve(self, case_id, organisation, reason):
        self.rows["involvement"].append(
            (self.new_id("involvement"), case_id, organisation, None, reason, self.filed_when)
        )

    # --- joint sessions ------------------------------------------------------------------

    def session(self, case_id, title, enterprise, owners, coordinator, convened_t, concluded):
        """The case's joint session: open when ``concluded`` is None, else concluded that day.

        Returns (session id, end time) for a concluded session."""
        rng = self.rng
        directory = self.directory
        session_id = self.new_id("session")
        yesterday = self.today - 1
        created = convened_t + 1
        convened = convened_t // DAY
        if concluded is not None:
            status = "concluded"
            held = concluded
        else:
            draw = rng.random()
            status = (
                "scheduled"
                if draw < 0.25
                else "notified"
                if draw < 0.65
                else "in_progress"
                if draw < 0.85
                else "adjourned"
            )
            if status in ("scheduled", "notified"):
                held = self.today + rng.randint(1, 10)
            else:
                held = self.between(convened, yesterday)
        scheduled = max(held * DAY + (9 if rng.random() < 0.5 else 14) * 3600, created + 3600)
        notified_at = started_at = ended_at = None
        if status != "scheduled":
            notified_at = created + 600 + int(rng.random() * 3600)
        if status in ("in_progress", "adjourned", "concluded"):
            started_at = max(scheduled, notified_at + 60)
        if status in ("adjourned", "concluded"):
            ended_at = started_at + 5400 + int(rng.random() * 3600)
        self.rows["session"].append(
            (
                session_id,
                case_id,
                f"审联体会议：{title}"[:200],
                json.dumps(words.AGENDA, ensure_ascii=False),
                self.when(scheduled),
                words.PLACE_OF_SESSION,
                "",
                coordinator,
                status,
                "部分责任单位需进一步研究，择期续会。" if status == "adjourned" else "",
                self.when(created),
                None if notified_at is None else self.when(notified_at),
                None if started_at is None else self.when(started_at),
                None if ended_at is None else self.when(ended_at),
            )
        )
        invited = [
            (directory.owner_kind[owner], owner, None, index < 2)
            for index, owner in enumerate(owners)
        ]
        if len(owners) == 1:
            extra = self.choose_owners("municipal_works", 2)
            extra = [o for o in extra if o not in owners][:1]
            invited += [(directory.owner_kind[o], o, None, False) for o in extra]
        invited.append(("enterprise", enterprise, None, False))
        for capacity, share in (
            ("legal_expert", 1.0),
            ("npc_deputy", 0.3),
            ("cppcc_member", 0.2),
            ("citizen", 0.2),
        ):
            people = directory.representatives.get(capacity)
            if people and rng.random() < share:
                invited.append((capacity, None, rng.choice(people), capacity == "legal_expert"))
        latest = {}
        for index, (capacity, organisation, person, required) in enumerate(invited):
            participant = self.new_id("participant")
            answer, delegate, responded, attendance = "invited", None, None, ""
            members = directory.members.get(organisation, []) if organisation else []
            if status == "notified":
                draw = rng.random()
                answer = (
                    "accepted"
                    if draw < 0.6
                    else "declined"
                    if draw < 0.7 and not required
                    else "invited"
                )
            elif status != "scheduled":
                draw = rng.random()
                if draw < 0.1 and len(members) > 1:
                    answer, delegate = "delegated", members[-1]
                elif draw < 0.15 and not required:
                    answer = "declined"
                else:
                    answer = "accepted"
            if answer != "invited":
                responded = notified_at + 600 + int(rng.random() * 7200)
            if started_at is not None:
                present = answer != "declined" and (required or rng.random() < 0.85)
                attendance = "present" if present else "absent"
            self.rows["participant"].append(
                (
                    participant,
                    session_id,
                    capacity,
                    organisation,
                    person,
                    required,
                    answer,
                    delegate,
                    "",
                    attendance,
                    self.when(created + 1 + index),
                    None if responded is None else self.when(responded),
                )
            )
            if organisation is not None and capacity in ("department", "third_party"):
                self.involve(case_id, organisation, "session")
            if attendance != "present":
                continue
            speaks = {"concluded": 0.6, "in_progress": 0.4, "adjourned": 0.3}[status]
            if not (required and status == "concluded") and rng.random() >= speaks:
                continue
            author = delegate or person or (rng.choice(members) if members else coordinator)
            versions = 2 if rng.random() < 0.1 else 1
            for version in range(1, versions + 1):
                stance = _pick(STANCES, rng.random())
                spoke = started_at + 600 * version + int(rng.random() * 3000)
                self.rows["opinion"].append(
                    (
                        self.new_id("opinion"),
                        participant,
                        version,
                        stance,
                        "同意按决议推进。" if stance == "support" else "须依法依规办理。",
                        author,
                        self.when(spoke),
                    )
                )
                latest[participant] = stance
        if status != "concluded":
            return session_id, None
        tally = {"support": 0, "object": 0, "abstain": 0, "conditional": 0}
        for stance in latest.values():
            tally[stance] += 1
        resolution = self.new_id("resolution")
        self.rows["resolution"].append(
            (
                resolution,
                session_id,
                f"由{'、'.join(directory.owner_names[o] for o in owners)}按实施细则分工办理。",
                words.LEGAL_BASIS,
                json.dumps(tally),
                coordinator,
                self.when(ended_at),
            )
        )
        for owner in owners:
            self.rows["resolution_owner"].append(
                (self.new_id("resolution_owner"), resolution, owner)
            )
        return session_id, ended_at

    def draft_rules(self, case_id, session, owners, deliberated, coordinator, t):
        for number, owner in enumerate(owners, start=1):
            self.rule_item(
                case_id,
                session,
                number,
                owner,
                self.days.add(deliberated, 15),
                None,
                None,
                coordinator,
                t + number,
            )

    def published_rules(self, case_id, session, items, coordinator, issued_t):
        for number, (item_id, _status, _changed, owner, due) in enumerate(items, start=1):
            self.rule_item(
                case_id,
                session,
                number,
                owner,
                due,
                issued_t,
                item_id,
                coordinator,
                issued_t - 600 + number,
            )

    def rule_item(self, case_id, session, number, owner, due, published, item, by, created):
        self.rows["rule_item"].append(
            (
                self.new_id("rule_item"),
                case_id,
                session,
                number,
                words.ITEM_TITLES[(owner + case_id) % len(words.ITEM_TITLES)],
                owner,
                words.DELIVERABLES[number % len(words.DELIVERABLES)],
                self.date(due),
                1,
                None if published is None else self.when(published),
                item,
                by,
                self.when(created),
            )
        )
