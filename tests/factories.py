"""Making test data through the same models and services users go through."""

import itertools
from datetime import timedelta

from django.utils import timezone

from cases.models import Case, Category
from departments.credit_code import check_character
from departments.models import Organisation, User
from workflow.casefile import services as case_services
from workflow.items import services as item_services

_serial = itertools.count(1)


def valid_credit_code() -> str:
    first_seventeen = f"913302{next(_serial):011d}"
    return first_seventeen + check_character(first_seventeen)


def organisation(name: str, *, kind: str) -> Organisation:
    return Organisation.objects.create(name=name, kind=kind)


def enterprise(name: str, tier: str = "") -> Organisation:
    return Organisation.objects.create(
        name=name, kind="enterprise", credit_code=valid_credit_code(), tier=tier
    )


def user(username: str, organisation_: Organisation | None, **fields) -> User:
    person = User(username=username, organisation=organisation_, **fields)
    person.set_password("pw")
    person.save()
    return person


def case(by: User, *, category: Category | None = None, submit: bool = True, **fields):
    return case_services.case_file(
        by=by,
        title=fields.pop("title", "周边市政配套工程滞后"),
        description=fields.pop("description", "市政配套工程滞后，影响项目综合验收。"),
        category=category or Category.objects.get(code="municipal_works"),
        submit=submit,
        **fields,
    )


def due_in(days: int):
    """A due date about `days` days ahead: the first working day from then (a due date someone
    sets must be a working day). The holiday package alone decides, without the database, so
    async tests may call it."""
    import chinese_calendar

    def works(day):
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:  # a year the package does not cover
            return day.weekday() < 5

    day = timezone.localdate() + timedelta(days=days)
    while not works(day):
        day += timedelta(days=1)
    return day


def session(case, by, **fields):
    """A joint session scheduled for `case` (convening it) through the service."""
    from workflow.sessions.services import session_create

    return session_create(
        case=case,
        by=by,
        title=fields.pop("title", "审联体会议：周边市政配套"),
        scheduled_at=fields.pop("scheduled_at", timezone.now() + timedelta(days=2)),
        agenda=fields.pop("agenda", ["情况通报", "各方发表意见", "形成决议"]),
        place=fields.pop("place", "区行政服务中心 3 楼会议室"),
        **fields,
    )


ITEM_TITLES = ["规划审批", "施工许可", "用地预审", "管线迁改"]


def assigned_case(by: User, coordinator: User, *owners: Organisation, **fields):
    """A case filed by `by`, accepted and assigned by `coordinator`: one item per owner."""
    filed = case(by, **fields)
    case_services.case_accept(case=filed, by=coordinator)
    item_services.case_assign(
        case=filed,
        by=coordinator,
        assignments=[
            {"organisation": owner, "title": title, "due_date": due_in(9)}
            for owner, title in zip(owners, ITEM_TITLES, strict=False)
        ],
    )
    return filed


def meeting_time_comes(session):
    """Time passes: the session's scheduled time is now a minute ago (it was scheduled in the
    future, as the services require), so it may start and conclude."""
    from workflow.sessions.models import JointSession

    JointSession.objects.filter(pk=session.pk).update(
        scheduled_at=timezone.now() - timedelta(minutes=1)
    )
    session.refresh_from_db()
    return session


def api_token(person: User, *, device: str = "tests") -> str:
    """A new API token's key for this person, issued as signing in to the API issues one."""
    from departments.services import token_issue

    return token_issue(user=person, device=device)[1]


def office_leader_of(coordinator: User) -> User:
    """The office leader of `coordinator`'s office (made if the test has none)."""
    leader = User.objects.filter(
        organisation=coordinator.organisation, organisation_role="leader", is_active=True
    ).first()
    return leader or user("office_leader", coordinator.organisation, organisation_role="leader")


def issue_rules(case, *, by: User, leader: User | None = None):
    """Issue a deliberated case's drafted rules the way the office does: the coordinator `by`
    submits them, the office leader approves (领导签批). Returns the case, re-read."""
    from workflow.implementation import services as rules

    sign_off = rules.rule_sign_off_submit(case=case, by=by)
    rules.rule_sign_off_approve(sign_off=sign_off, by=leader or office_leader_of(by))
    return Case.objects.get(pk=case.pk)
