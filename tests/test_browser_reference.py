"""The reference data pages and a list export in a real browser (PostgreSQL only, like
tests/test_browser.py, whose live server it reuses): the office leader enters a day of the
working calendar, a category and an enterprise (each form once wrong and once right); the
department leader opens an account for their bureau and downloads the items as Excel; at 1280
and 390 px in Chinese and English, nothing scrolls sideways."""

import io

from openpyxl import load_workbook

from tests import test_browser
from tests.browser_sessions_support import shoot_everywhere

pytestmark = test_browser.pytestmark
server = test_browser.server
site = test_browser.site
browser = test_browser.browser
sign_in = test_browser.sign_in


def submit(page, scope="main"):
    page.click(f"{scope} button[type=submit] >> nth=-1")


def test_office_leader_keeps_the_reference_data(sign_in):
    leader = sign_in("office_leader")
    site = leader.site
    leader.goto(f"{site}/")
    leader.click("header.site nav a:text-is('基础数据')")
    leader.click("ul.tabs a:text-is('工作日历')")
    shoot_everywhere(leader, "reference-calendar")

    # A 调休 on a Wednesday is refused beside its field; a holiday is entered.
    year = leader.locator(".year-nav h2").inner_text().split()[0]
    leader.fill("#id_date", f"{year}-01-06")
    leader.select_option("#id_kind", "workday")
    submit(leader, "section[aria-labelledby=add-h]")
    leader.locator(".errorlist", has_text="调休工作日应是周六或周日").wait_for()
    leader.fill("#id_date", f"{year}-01-01")
    leader.select_option("#id_kind", "holiday")
    leader.fill("#id_note", "元旦")
    submit(leader, "section[aria-labelledby=add-h]")
    leader.locator(".messages", has_text="已录入").wait_for()
    assert "元旦" in leader.locator("section[aria-labelledby=entries-h]").inner_text()

    # A category: a limit of 0 working days is refused, 2 is saved.
    leader.click("ul.tabs a:text-is('问题类别')")
    shoot_everywhere(leader, "reference-categories")
    leader.click("a:text-is('新增问题类别')")
    leader.fill("#id_name", "供电接入")
    leader.fill("#id_code", "power_connection")
    leader.fill("#id_accept_days", "0")
    submit(leader)
    leader.locator(".errorlist", has_text="时限应为 1 到 250 个工作日").wait_for()
    leader.fill("#id_accept_days", "2")
    submit(leader)
    leader.locator(".messages", has_text="已新增问题类别").wait_for()

    # An enterprise: a credit code with a wrong check character is refused.
    leader.click("ul.tabs a:text-is('组织与人员')")
    shoot_everywhere(leader, "reference-organisations")
    leader.click("a:text-is('登记组织')")
    leader.fill("#id_name", "宁波新材料科技有限公司")
    leader.select_option("#id_kind", "enterprise")
    leader.fill("#id_credit_code", "91330200MA2AB0000X")
    submit(leader)
    leader.locator(".errorlist", has_text="校验位不正确").wait_for()
    leader.fill("#id_credit_code", "91330200MA2AB0000W")
    submit(leader)
    leader.locator(".messages", has_text="已登记").wait_for()
    assert "修改记录" in leader.locator("main").inner_text()


def test_department_leader_keeps_their_people_and_exports_items(sign_in):
    leader = sign_in("zhujian_leader")
    leader.goto(f"{leader.site}/")
    leader.click("header.site nav a:text-is('本单位人员')")
    shoot_everywhere(leader, "reference-bureau")
    leader.click("a:text-is('新增人员')")
    leader.fill("#id_username", "zhujian3")
    leader.fill("#id_display_name", "王经办")
    leader.fill("#id_password", "123")
    submit(leader)
    leader.locator(".errorlist", has_text="密码太短").wait_for()
    leader.fill("#id_password", "a-long-enough-pass-2026")
    submit(leader)
    leader.locator(".messages", has_text="已为 王经办 开通账号").wait_for()

    leader.goto(f"{leader.site}/items/?tab=all")
    with leader.expect_download() as info:
        leader.click("a:text-is('导出 Excel')")
    with open(info.value.path(), "rb") as workbook:
        sheet = load_workbook(io.BytesIO(workbook.read()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("诉求编号", "诉求事项", "任务", "承办单位")
    assert rows[2:] and {row[3] for row in rows[2:]} == {"海曙区住房和城乡建设局"}
