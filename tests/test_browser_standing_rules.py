"""Standing rules (常态化机制) in a real browser (PostgreSQL only, like tests/test_browser.py,
whose live server it reuses), on the demo: the office leader reads the 水电气管线迁改 rule and
amends it (the form once wrong, once right); the coordinator is offered the rule on the gas-pipe
case at triage and assigns it directly; the enterprise reads that its case was handled under
it. At 1280 and 390 px in Chinese and English, nothing scrolls sideways."""

from tests import test_browser
from tests.browser_sessions_support import shoot_everywhere

pytestmark = test_browser.pytestmark
server = test_browser.server
site = test_browser.site
browser = test_browser.browser
sign_in = test_browser.sign_in

GAS = "二期厂房天然气管道接入卡在燃气报装与道路开挖审批之间"


def test_standing_rule_from_the_leader_to_the_enterprise(sign_in):
    leader = sign_in("office_leader")
    leader.goto(f"{leader.site}/standing-rules/")
    shoot_everywhere(leader, "standing-rules")
    leader.click("main a:has-text('常态化机制第1号')")
    rule_url = leader.url
    shoot_everywhere(leader, "standing-rule")

    leader.click("a:text-is('修订（新版本）')")
    leader.click("main form button[type=submit]")
    leader.locator(".errorlist").first.wait_for()
    assert "/amend/" in leader.url  # the refused form stays at its own address
    leader.fill("#id_reason", "施工许可时限缩短。")
    leader.fill("#id_effective_on", test_browser.working_day_in(10))
    leader.fill("#id_items-2-working_days", "2")
    leader.click("main form button[type=submit]")
    leader.locator(".messages", has_text="已保存第2版").wait_for()
    assert leader.url == rule_url
    assert "待生效" in leader.locator("main").inner_text()

    coordinator = sign_in("coordinator")
    coordinator.goto(f"{coordinator.site}/cases/?tab=new")
    coordinator.click(f"a:text-is('{GAS}')")
    case_url = coordinator.url
    coordinator.locator("section.standing-offer").wait_for()
    shoot_everywhere(coordinator, "standing-rule-offer")
    coordinator.click("button:text-is('依此机制直接交办')")
    coordinator.locator(".messages", has_text="已依常态化机制第1号直接交办").wait_for()
    timeline = coordinator.locator("main").inner_text()
    assert "依据：常态化机制第1号（第1版）" in timeline

    enterprise = sign_in("enterprise2")
    enterprise.goto(case_url)
    assert "依常态化机制办理" in enterprise.locator("main").inner_text()
    shoot_everywhere(enterprise, "standing-rule-enterprise-case")
