"""Demo data for precedents (类案参照): an earlier water-main relocation, solved through a joint
session and implementation rules, confirmed by the enterprise, so that the demo's relocation
cases find it (docs/precedents.md).

Idempotent like the rest of the demo: the case is filed only if the enterprise has none of
this title.
"""

from datetime import timedelta

from django.utils import timezone

from cases.models import Case, Category
from workflow.casefile import services as case_services
from workflow.deadlines.working_days import add_working_days
from workflow.implementation import services as rules
from workflow.items import services as items
from workflow.sessions import opinions, participants
from workflow.sessions import services as sessions
from workflow.sessions.models import JointSession

TITLE = "一期厂房红线内自来水主管迁改"
RESOLUTION = "由自来水公司编制迁改方案并实施迁改，资规局出具管线迁改规划许可，住建局办理施工许可"
LEGAL_BASIS = "《城镇供水条例》第三十条；《浙江省城镇供水管理条例》第二十六条"
STEPS = [
    ("自来水公司", "编制自来水主管迁改方案", "迁改设计方案", 5),
    ("资规局", "出具管线迁改工程规划许可", "建设工程规划许可证", 8),
    ("住建局", "办理迁改工程施工许可", "施工许可证", 10),
    ("自来水公司", "完成自来水主管迁改施工并通水", "通水验收记录", 20),
]


def _session(case, orgs, users):
    coordinator = users["coordinator"]
    session = sessions.session_create(
        case=case,
        by=coordinator,
        title="甬江精机一期厂房自来水主管迁改审联体会议",
        scheduled_at=timezone.now() + timedelta(hours=1),
        agenda=["企业陈述诉求", "自来水公司说明管线情况", "各方发表意见", "形成决议"],
        place="海曙区行政服务中心 3 楼审联体会议室",
    )
    invited = [
        (orgs["资规局"], users["zigui"], True),
        (orgs["住建局"], users["zhujian"], False),
        (orgs["自来水公司"], users["water"], True),
    ]
    speakers = []
    for organisation, speaker, required in invited:
        participant = participants.participant_invite(
            session=session,
            by=coordinator,
            capacity="third_party" if organisation.kind == "third_party" else "department",
            organisation=organisation,
            required=required,
        )
        speakers.append((participant, speaker))
    sessions.session_notify(session=session, by=coordinator)
    # The story: the session was held weeks ago (a session is only ever scheduled ahead).
    JointSession.objects.filter(pk=session.pk).update(
        scheduled_at=timezone.now() - timedelta(days=30)
    )
    session.refresh_from_db()
    sessions.session_start(session=session, by=coordinator)
    for participant, speaker in speakers:
        participants.participant_mark_attendance(
            participant=participant, by=coordinator, attendance="present"
        )
        opinions.opinion_record(
            participant=participant, by=speaker, stance="support", reasons="同意。"
        )
    sessions.session_conclude(
        session=session,
        by=coordinator,
        summary=RESOLUTION,
        legal_basis=LEGAL_BASIS,
        responsible_organisations=[orgs["自来水公司"], orgs["资规局"], orgs["住建局"]],
    )


def seed_precedent(orgs, users) -> None:
    enterprise = users["enterprise2"]
    if Case.objects.filter(enterprise_id=enterprise.organisation_id, title=TITLE).exists():
        return
    coordinator = users["coordinator"]
    case = case_services.case_file(
        by=enterprise,
        title=TITLE,
        description="一期厂房地块红线内有一条 DN500 自来水主管，需迁改后方可开挖基础。",
        category=Category.objects.get(code="utility_relocation"),
        project_name="甬江精机一期厂房",
        location="海曙区集士港镇",
        urgency=Case.Urgency.URGENT,
        submit=True,
    )
    case_services.case_accept(case=case, by=coordinator, note="涉及供水管线产权单位，召集审联体。")
    _session(case, orgs, users)
    today = timezone.localdate()
    for owner, title, deliverable, days in STEPS:
        rules.rule_item_add(
            case=case,
            by=coordinator,
            title=title,
            owner=orgs[owner],
            deliverable=deliverable,
            due_date=add_working_days(today, days),
        )
    sign_off = rules.rule_sign_off_submit(case=case, by=coordinator, note="请审阅并签批。")
    rules.rule_sign_off_approve(sign_off=sign_off, by=users["office_leader"], remarks="同意。")
    owners = {"资规局": users["zigui"], "住建局": users["zhujian"], "自来水公司": users["water"]}
    for item in Case.objects.get(pk=case.pk).action_items.select_related("owner"):
        officer = owners[item.owner.short_name]
        items.action_item_sign(item=item, by=officer)
        items.action_item_complete(item=item, by=officer, note="已按细则办结。")
    items.case_resolve(case=Case.objects.get(pk=case.pk), by=coordinator)
    case_services.case_confirm(
        case=Case.objects.get(pk=case.pk),
        by=enterprise,
        rating=Case.Rating.SATISFIED,
        comment="迁改按期完成，厂房已开工。",
    )
    # The story: filed six weeks ago (the working days to resolve read from it).
    Case.objects.filter(pk=case.pk).update(submitted_at=timezone.now() - timedelta(days=42))
