"""Demo data for joint sessions: the reference scenario (seed 004) at two stages.

- The reference case (宁波工业互联网研究院, supporting municipal works) is accepted and
  convening: a session is scheduled and the invitations are out.
- A second case of the same park is implementing under rules issued from a concluded session
  ("由相邻地块的海曙开投集团报资规局审批实施"), its items owned by 海曙开投集团 and 资规局.

Idempotent like the rest of the demo: each stage is walked only from where a fresh load
leaves it, and a case that already has sessions is left alone.
"""

from datetime import timedelta

from django.utils import timezone

from cases.models import Case, Category
from workflow.casefile import services as case_services
from workflow.deadlines.working_days import add_working_days
from workflow.implementation import services as implementation_rules
from workflow.items import services as action_items
from workflow.sessions import opinions as session_opinions
from workflow.sessions import participants
from workflow.sessions import services as sessions
from workflow.sessions.models import JointSession

RESOLUTION = "由相邻地块的海曙开投集团报资规局审批实施"
LEGAL_BASIS = "《中华人民共和国城乡规划法》第四十条；《浙江省城乡规划条例》第三十二条"
IMPLEMENTED_TITLE = "园区北侧配套道路及雨污管网接入"


def _invite_all(session, orgs, users, coordinator):
    invitations = [
        ("department", orgs["资规局"], None, True),
        ("department", orgs["住建局"], None, False),
        ("third_party", orgs["海曙开投集团"], None, True),
        ("legal_expert", None, users["legal"], False),
        ("npc_deputy", None, users["deputy"], False),
        ("cppcc_member", None, users["cppcc"], False),
        ("citizen", None, users["citizen"], False),
        ("enterprise", orgs["工业互联网研究院"], None, False),
    ]
    return {
        organisation.short_name if organisation else person.username: (
            participants.participant_invite(
                session=session,
                by=coordinator,
                capacity=capacity,
                organisation=organisation,
                person=person,
                required=required,
            )
        )
        for capacity, organisation, person, required in invitations
    }


def _convening(case, orgs, users):
    coordinator = users["coordinator"]
    case_services.case_accept(
        case=case, by=coordinator, note="涉及多个部门和相邻地块业主，召集审联体。"
    )
    session = sessions.session_create(
        case=case,
        by=coordinator,
        title="工业互联网研究院产业园市政配套审联体会议",
        scheduled_at=timezone.now() + timedelta(days=3),
        agenda=[
            "企业陈述诉求",
            "资规局、住建局说明审批情况",
            "海曙开投集团说明相邻地块情况",
            "各方发表意见",
            "形成决议",
        ],
        place="海曙区行政服务中心 3 楼审联体会议室",
    )
    _invite_all(session, orgs, users, coordinator)
    sessions.session_notify(session=session, by=coordinator)


def _implementing(orgs, users):
    enterprise, coordinator = users["enterprise"], users["coordinator"]
    case = case_services.case_file(
        by=enterprise,
        title=IMPLEMENTED_TITLE,
        description="园区北侧规划道路及雨污管网尚未接通，需相邻地块业主配合实施。",
        category=Category.objects.get(code="municipal_works"),
        project_name="宁波工业互联网研究院产业园项目",
        location="海曙区望春工业园区",
        submit=True,
    )
    case_services.case_accept(case=case, by=coordinator)
    session = sessions.session_create(
        case=case,
        by=coordinator,
        title="园区北侧配套道路审联体会议",
        scheduled_at=timezone.now() + timedelta(hours=1),
        agenda=["情况通报", "各方发表意见", "形成决议"],
        place="海曙区行政服务中心 3 楼审联体会议室",
    )
    invited = _invite_all(session, orgs, users, coordinator)
    sessions.session_notify(session=session, by=coordinator)
    # The story: the session was held a week ago (a session is only ever scheduled ahead).
    JointSession.objects.filter(pk=session.pk).update(
        scheduled_at=timezone.now() - timedelta(days=7)
    )
    session.refresh_from_db()
    sessions.session_start(session=session, by=coordinator)
    speakers = {
        "资规局": users["zigui"],
        "海曙开投集团": users["kaitou"],
        users["legal"].pk: users["legal"],
    }
    for key, participant in invited.items():
        participants.participant_mark_attendance(
            participant=participant, by=coordinator, attendance="present"
        )
        if key in speakers:
            session_opinions.opinion_record(
                participant=participant,
                by=speakers[key],
                stance="conditional" if key == "legal" else "support",
                reasons="须依法报资规局审批后实施。" if key == "legal" else "同意。",
            )
    sessions.session_conclude(
        session=session,
        by=coordinator,
        summary=RESOLUTION,
        legal_basis=LEGAL_BASIS,
        responsible_organisations=[orgs["海曙开投集团"], orgs["资规局"]],
    )
    today = timezone.localdate()
    for owner, title, deliverable, days in (
        ("海曙开投集团", "编制北侧配套道路及管网接入方案并报资规局审批", "报批方案", 10),
        ("资规局", "审批配套工程规划许可", "建设工程规划许可证", 15),
    ):
        implementation_rules.rule_item_add(
            case=case,
            by=coordinator,
            title=title,
            owner=orgs[owner],
            deliverable=deliverable,
            due_date=add_working_days(today, days),
        )
    # The office leader signs the rules off (领导签批), which issues them.
    sign_off = implementation_rules.rule_sign_off_submit(
        case=case, by=coordinator, note="请审阅并签批。"
    )
    implementation_rules.rule_sign_off_approve(
        sign_off=sign_off, by=users["office_leader"], remarks="同意，按期推进。"
    )
    case = Case.objects.get(pk=case.pk)
    item = case.action_items.get(owner=orgs["海曙开投集团"])
    action_items.action_item_sign(item=item, by=users["kaitou"])
    action_items.action_item_start(item=item, by=users["kaitou"])


def seed_sessions(orgs, users, reference_title: str) -> None:
    enterprise = users["enterprise"]
    reference = Case.objects.filter(enterprise_id=enterprise.organisation_id, title=reference_title)
    case = reference.first()
    if case and case.status == Case.Status.SUBMITTED and not case.sessions.exists():
        _convening(case, orgs, users)
    if not Case.objects.filter(
        enterprise_id=enterprise.organisation_id, title=IMPLEMENTED_TITLE
    ).exists():
        _implementing(orgs, users)
