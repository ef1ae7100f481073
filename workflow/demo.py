"""Demo data: the Haishu district's organisations, people and cases, loaded by `seed_demo`.

Everything is created through the same services users go through, so the demo cases have
real timelines. Loading twice changes nothing: organisations and people are looked up by
name, cases by their enterprise and title.
"""

from django.db import transaction

from cases.models import Case, Category
from config import timesource
from departments.models import Organisation, User
from workflow.casefile import services as case_services
from workflow.deadlines.working_days import add_working_days
from workflow.items import services as items
from workflow.precedents.demo import seed_precedent
from workflow.sessions.demo import seed_sessions
from workflow.standing_rules.demo import seed_standing_rules

DEMO_PASSWORD = "shenlianti-demo"

OFFICE = "海曙区政务服务办公室"
ORGANISATIONS = [
    # name, short name, kind, credit code, tier
    (OFFICE, "区政务服务办", "office", None, ""),
    ("宁波市自然资源和规划局海曙分局", "资规局", "department", None, ""),
    ("海曙区住房和城乡建设局", "住建局", "department", None, ""),
    ("海曙区综合行政执法局（城管局）", "城管局", "department", None, ""),
    ("海曙区农业农村局（水利局）", "水利局", "department", None, ""),
    ("宁波市海曙开发建设投资集团有限公司", "海曙开投集团", "third_party", None, ""),
    ("宁波市自来水有限公司海曙分公司", "自来水公司", "third_party", None, ""),
    (
        "宁波工业互联网研究院",
        "工业互联网研究院",
        "enterprise",
        "91330203MA2H7XK3LR",
        "specialised_sme",
    ),
    ("宁波甬江精密机械有限公司", "甬江精机", "enterprise", "91330200MA2AJ8QW5H", "little_giant"),
    (
        "宁波海曙新材料科技有限公司",
        "海曙新材料",
        "enterprise",
        "91330203MA2CL4NP0L",
        "innovative_sme",
    ),
]

PEOPLE = [
    # username, display name, organisation short name, role, representative capacity
    ("enterprise", "陈晓 (研究院)", "工业互联网研究院", "member", ""),
    ("enterprise2", "王立 (甬江精机)", "甬江精机", "member", ""),
    ("coordinator", "李敏 (政务服务办)", "区政务服务办", "member", ""),
    ("office_leader", "赵刚 (政务服务办主任)", "区政务服务办", "leader", ""),
    ("zigui", "周杰 (资规局)", "资规局", "member", ""),
    ("zigui_leader", "孙伟 (资规局分管领导)", "资规局", "leader", ""),
    ("zhujian", "吴芳 (住建局)", "住建局", "member", ""),
    ("zhujian_leader", "郑强 (住建局分管领导)", "住建局", "leader", ""),
    ("chengguan", "冯军 (城管局)", "城管局", "member", ""),
    ("shuili", "何静 (水利局)", "水利局", "member", ""),
    ("kaitou", "钱涛 (海曙开投集团)", "海曙开投集团", "member", ""),
    ("water", "林波 (自来水公司)", "自来水公司", "member", ""),
    ("legal", "沈律师 (法律专家)", None, "member", "legal_expert"),
    ("deputy", "韩代表 (人大代表)", None, "member", "npc_deputy"),
    ("cppcc", "杨委员 (政协委员)", None, "member", "cppcc_member"),
    ("citizen", "朱阿姨 (群众代表)", None, "member", "citizen"),
]

REFERENCE_TITLE = "园区项目周边市政配套工程滞后，影响综合验收"


def _organisations() -> dict[str, Organisation]:
    by_short_name = {}
    for name, short_name, kind, credit_code, tier in ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short_name,
                "kind": kind,
                "credit_code": credit_code,
                "tier": tier,
            },
        )
        by_short_name[short_name] = organisation
    return by_short_name


def _people(organisations) -> dict[str, User]:
    users = {}
    for username, display_name, organisation, role, capacity in PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "display_name": display_name,
                "organisation": organisations.get(organisation),
                "organisation_role": role,
                "representative_capacity": capacity,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        users[username] = user
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser(
            "admin", "admin@example.invalid", DEMO_PASSWORD, display_name="系统管理员"
        )
    return users


def _working_days_ahead(days: int):
    """A due date `days` working days ahead, holidays and make-up days counted."""
    return add_working_days(timesource.today(), days)


def _file(user, title, description, category_code, **fields) -> Case | None:
    """File a case unless the enterprise already has one with this title."""
    if Case.objects.filter(enterprise_id=user.organisation_id, title=title).exists():
        return None
    category = Category.objects.get(code=category_code)
    return case_services.case_file(
        by=user, title=title, description=description, category=category, **fields
    )


def _cases(orgs, users) -> None:
    enterprise, enterprise2 = users["enterprise"], users["enterprise2"]
    coordinator = users["coordinator"]

    # The reference scenario, as the enterprise files it (seed 004).
    _file(
        enterprise,
        REFERENCE_TITLE,
        "我院在海曙区建设的工业互联网产业园项目主体已完工，但周边道路、雨污水管网等市政配套"
        "工程进度滞后于项目本身，导致项目无法按期通过综合验收。恳请区里协调相关部门和相邻地块"
        "业主，加快推进周边市政配套工程。",
        "municipal_works",
        project_name="宁波工业互联网研究院产业园项目",
        location="海曙区望春工业园区",
        urgency=Case.Urgency.URGENT,
        desired_date=_working_days_ahead(40),
        submit=True,
    )

    _file(
        enterprise,
        "研发楼消防设计审查咨询",
        "研发楼局部改造，想先了解消防设计审查的材料要求。",
        "fire_safety",
        project_name="研发楼改造",
    )

    returned = _file(
        enterprise2,
        "新厂房用地规划条件调整",
        "我司新厂房用地的容积率上限无法满足扩产需要，申请协调规划条件调整。",
        "planning",
        project_name="甬江精机二期厂房",
        location="海曙区集士港镇",
        submit=True,
    )
    if returned:
        case_services.case_return_for_info(
            case=returned,
            by=coordinator,
            reason="请补充二期项目的产能测算和现行规划条件通知书复印件。",
        )

    piped = _file(
        enterprise,
        "项目红线内自来水主管迁改",
        "产业园项目红线内有一条 DN600 自来水主管，需迁改后方可施工地下车库。",
        "utility_relocation",
        project_name="宁波工业互联网研究院产业园项目",
        location="海曙区望春工业园区",
        urgency=Case.Urgency.URGENT,
        submit=True,
    )
    if piped:
        case_services.case_accept(case=piped, by=coordinator, note="涉及供水安全，优先办理。")
        items.case_assign(
            case=piped,
            by=coordinator,
            assignments=[
                {
                    "organisation": orgs["资规局"],
                    "title": "出具管线迁改规划许可",
                    "deliverable": "管线迁改工程规划许可证",
                    "due_date": _working_days_ahead(5),
                },
                {
                    "organisation": orgs["住建局"],
                    "title": "办理迁改工程施工许可",
                    "deliverable": "施工许可证",
                    "due_date": _working_days_ahead(8),
                },
            ],
        )
        first = piped.action_items.get(owner=orgs["资规局"])
        items.action_item_sign(item=first, by=users["zigui"])
        items.action_item_start(item=first, by=users["zigui"])

    # A new case waiting in the office's triage queue.
    _file(
        enterprise2,
        "二期厂房天然气管道接入卡在燃气报装与道路开挖审批之间",
        "二期厂房需接入天然气，燃气公司要求先取得道路开挖许可，城管部门要求先有燃气报装"
        "受理单，两边互为前置，已拖延一个月。",
        "utility_relocation",
        project_name="甬江精机二期厂房",
        location="海曙区集士港镇",
        urgency=Case.Urgency.URGENT,
        desired_date=_working_days_ahead(15),
        submit=True,
    )

    trading = _file(
        enterprise2,
        "设备采购项目公共资源交易进场咨询",
        "政府补助的设备采购是否需要进入公共资源交易平台？",
        "public_resource_trading",
        submit=True,
    )
    if trading:
        case_services.case_accept(case=trading, by=coordinator)
        items.case_assign(
            case=trading,
            by=coordinator,
            assignments=[
                {
                    "organisation": orgs["住建局"],
                    "title": "答复进场交易适用范围",
                    "due_date": _working_days_ahead(3),
                },
            ],
        )
        item = trading.action_items.get()
        items.action_item_sign(item=item, by=users["zhujian"])
        items.action_item_complete(
            item=item, by=users["zhujian"], note="已书面答复：补助资金占比低于限额，可自行采购。"
        )
        # The office reviews the answer, then asks the enterprise.
        items.case_resolve(case=Case.objects.get(pk=trading.pk), by=coordinator)
        case_services.case_confirm(
            case=Case.objects.get(pk=trading.pk),
            by=enterprise2,
            rating=Case.Rating.SATISFIED,
            comment="答复及时、清楚。",
        )


@transaction.atomic
def seed_demo() -> None:
    organisations = _organisations()
    users = _people(organisations)
    # The earlier relocation first: the demo's relocation cases find it as their precedent.
    seed_precedent(organisations, users)
    _cases(organisations, users)
    seed_sessions(organisations, users, REFERENCE_TITLE)
    seed_standing_rules(organisations, users)
