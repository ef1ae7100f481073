"""Demo data for standing rules (常态化机制): an earlier water-main relocation that went the long
way (a joint session, a resolution with its legal basis, implementation rules signed off, every
item done, the enterprise satisfied), which the office leader has promoted to the standing rule
for 水电气管线迁改. The demo's new gas-pipe case, waiting at triage, is then offered the rule and
can be assigned directly under it.

Idempotent like the rest of the demo: the resolved case is made only if missing, the rule only
if no rule was promoted from it."""

from datetime import timedelta

from django.utils import timezone

from cases.models import Case, Category
from config import timesource
from workflow.casefile import services as case_services
from workflow.deadlines.working_days import add_working_days
from workflow.implementation import services as implementation_rules
from workflow.items import services as action_items
from workflow.sessions import opinions as session_opinions
from workflow.sessions import participants
from workflow.sessions import services as sessions
from workflow.sessions.models import JointSession
from workflow.standing_rules import services as standing_rules
from workflow.standing_rules.models import StandingRule

RESOLVED_TITLE = "一期厂房红线内 DN300 自来水管线迁改"
RESOLUTION = (
    "由自来水公司编制迁改方案并报资规局审批，住建局同步办理迁改工程施工许可，"
    "自来水公司实施迁改并恢复供水，企业配合提供施工场地。"
)
LEGAL_BASIS = "《城镇供水条例》第三十条；《浙江省城镇供水管理条例》第二十六条"
RULES = [
    # owner (short name), title, deliverable, working days
    ("自来水公司", "编制管线迁改方案并报资规局审批", "迁改方案及报批材料", 5),
    ("资规局", "审批管线迁改工程规划许可", "建设工程规划许可证", 5),
    ("住建局", "核发管线迁改工程施工许可", "施工许可证", 3),
    ("自来水公司", "实施管线迁改并恢复供水", "迁改竣工及通水记录", 15),
]
OFFICERS = {"自来水公司": "water", "资规局": "zigui", "住建局": "zhujian"}


def _session_resolves(case, orgs, users):
    coordinator = users["coordinator"]
    case_services.case_accept(case=case, by=coordinator, note="涉及供水管线产权单位，召集审联体。")
    session = sessions.session_create(
        case=case,
        by=coordinator,
        title="一期厂房自来水管线迁改审联体会议",
        scheduled_at=timezone.now() + timedelta(hours=1),
        agenda=["企业陈述诉求", "自来水公司说明管线情况", "各方发表意见", "形成决议"],
        place="海曙区行政服务中心 3 楼审联体会议室",
    )
    invited = [
        participants.participant_invite(
            session=session,
            by=coordinator,
            capacity=capacity,
            organisation=orgs[short_name],
            required=True,
        )
        for capacity, short_name in (
            ("third_party", "自来水公司"),
            ("department", "资规局"),
            ("department", "住建局"),
        )
    ]
    sessions.session_notify(session=session, by=coordinator)
    # The story: the session was held some weeks ago.
    JointSession.objects.filter(pk=session.pk).update(
        scheduled_at=timezone.now() - timedelta(days=30)
    )
    session.refresh_from_db()
    sessions.session_start(session=session, by=coordinator)
    for participant in invited:
        participants.participant_mark_attendance(
            participant=participant, by=coordinator, attendance="present"
        )
        officer = users[OFFICERS[participant.organisation.short_name]]
        session_opinions.opinion_record(
            participant=participant, by=officer, stance="support", reasons="同意。"
        )
    sessions.session_conclude(
        session=session,
        by=coordinator,
        summary=RESOLUTION,
        legal_basis=LEGAL_BASIS,
        responsible_organisations=[orgs["自来水公司"], orgs["资规局"], orgs["住建局"]],
    )


def _rules_done(case, orgs, users):
    coordinator = users["coordinator"]
    today = timesource.today()
    for owner, title, deliverable, days in RULES:
        implementation_rules.rule_item_add(
            case=case,
            by=coordinator,
            title=title,
            owner=orgs[owner],
            deliverable=deliverable,
            due_date=add_working_days(today, days),
        )
    sign_off = implementation_rules.rule_sign_off_submit(case=case, by=coordinator)
    implementation_rules.rule_sign_off_approve(sign_off=sign_off, by=users["office_leader"])
    case = Case.objects.get(pk=case.pk)
    for item in case.action_items.select_related("owner").order_by("pk"):
        officer = users[OFFICERS[item.owner.short_name]]
        action_items.action_item_sign(item=item, by=officer)
        action_items.action_item_complete(item=item, by=officer, note="已按细则办结。")
    action_items.case_resolve(case=Case.objects.get(pk=case.pk), by=coordinator)
    case_services.case_confirm(
        case=Case.objects.get(pk=case.pk),
        by=users["enterprise2"],
        rating=Case.Rating.SATISFIED,
        comment="管线迁改顺利完成，没有耽误工期。",
    )


def _resolved_case(orgs, users) -> Case:
    enterprise = users["enterprise2"]
    found = Case.objects.filter(enterprise_id=enterprise.organisation_id, title=RESOLVED_TITLE)
    if found.exists():
        return found.get()
    case = case_services.case_file(
        by=enterprise,
        title=RESOLVED_TITLE,
        description="一期厂房扩建范围内有一条 DN300 自来水管线，需迁改后方可开挖基础，"
        "管线产权属自来水公司，迁改需规划和施工两项许可。",
        category=Category.objects.get(code="utility_relocation"),
        project_name="甬江精机一期厂房扩建",
        location="海曙区集士港镇",
        submit=True,
    )
    _session_resolves(case, orgs, users)
    _rules_done(Case.objects.get(pk=case.pk), orgs, users)
    return Case.objects.get(pk=case.pk)


def seed_standing_rules(orgs, users) -> None:
    case = _resolved_case(orgs, users)
    if StandingRule.objects.filter(source_case=case).exists():
        return
    standing_rules.standing_rule_promote(
        case=case,
        by=users["office_leader"],
        title="水电气管线迁改",
        summary=RESOLUTION,
        legal_basis=LEGAL_BASIS,
        effective_on=timesource.today(),
        items=[
            {"owner": orgs[owner], "title": title, "deliverable": deliverable, "working_days": days}
            for owner, title, deliverable, days in RULES
        ],
        enact=True,
    )
