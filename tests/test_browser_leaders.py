"""The leaders' pages in a real browser (PostgreSQL only, like tests/test_browser.py, whose
live server it reuses): the sessions calendar, the workload of the case owners, naming a case
owner and an item's handler (each form once wrong and once right), and downloading the minutes
and the rules as PDF; at 1280 and 390 px in Chinese and English, nothing scrolls sideways."""

import io

from pypdf import PdfReader

from tests import test_browser
from tests.browser_sessions_support import shoot_everywhere

pytestmark = test_browser.pytestmark
server = test_browser.server
site = test_browser.site
browser = test_browser.browser
sign_in = test_browser.sign_in

IMPLEMENTED = "园区北侧配套道路及雨污管网接入"


def download(page, link_text) -> bytes:
    with page.expect_download() as info:
        page.click(f"a:text-is('{link_text}')")
    return open(info.value.path(), "rb").read()


def test_office_leader_pages(sign_in):
    leader = sign_in("office_leader")
    site = leader.site
    # The calendar: the convening case's session with who has not replied.
    leader.goto(f"{site}/sessions/")
    leader.click("a:text-is('会议日程（按周）')")
    leader.locator(".calendar-week").first.wait_for()
    assert "未回复" in leader.locator("main").inner_text()
    shoot_everywhere(leader, "sessions-calendar")

    # Name a case owner: a stale choice is refused, a coordinator is saved.
    leader.goto(f"{site}/cases/?tab=all&q={IMPLEMENTED}")
    leader.click(f"a:text-is('{IMPLEMENTED}')")
    case_url = leader.url
    leader.click("details.action > summary:text-is('指定承办人')")
    leader.locator("#case-owner").evaluate(
        "select => { select.options[1].value = '999999'; select.selectedIndex = 1; }"
    )
    leader.click("details.action[open] button[type=submit]")
    leader.locator(".messages", has_text="请选择政务服务办的工作人员").wait_for()
    leader.click("details.action > summary:text-is('指定承办人')")
    leader.locator("#case-owner").select_option(label="李敏 (政务服务办)")
    leader.click("details.action[open] button[type=submit]")
    leader.locator(".messages", has_text="已指定承办人").wait_for()
    assert "李敏" in leader.locator("dl.facts").first.inner_text()

    # The rules as a PDF with its document number and readable Chinese.
    content = download(leader, "下载实施细则（PDF）")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "〔" in text and "号" in text
    assert f"关于“{IMPLEMENTED}”的实施细则" in "".join(text.split())

    # The workload page, and the list of one owner's cases it links to.
    leader.goto(f"{site}/cases/")
    leader.click("a:text-is('承办人工作量')")
    shoot_everywhere(leader, "workload")
    leader.click("a:text-is('1')")
    leader.locator(".owner-filter").wait_for()
    assert IMPLEMENTED in leader.locator("main").inner_text()

    # The minutes of the concluded session as a PDF.
    leader.goto(case_url)
    leader.click("section[aria-labelledby=sessions-h] a >> nth=0")
    leader.click("a:text-is('会议纪要（可打印）')")
    content = download(leader, "下载会议纪要（PDF）")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "审联体会议纪要" in "".join(text.split())


def test_department_leader_names_a_handler(sign_in):
    leader = sign_in("zhujian_leader")
    leader.goto(f"{leader.site}/items/")
    leader.click("a:text-is('办理迁改工程施工许可')")
    leader.click("details.action > summary:text-is('指定经办人')")
    leader.locator("#item-handler").evaluate(
        "select => { select.options[1].value = 'x'; select.selectedIndex = 1; }"
    )
    leader.click("details.action[open] button[type=submit]")
    leader.locator(".messages", has_text="请选择本单位的在职人员").wait_for()
    leader.click("details.action > summary:text-is('指定经办人')")
    leader.locator("#item-handler").select_option(index=1)
    leader.click("details.action[open] button[type=submit]")
    leader.locator(".messages", has_text="已指定经办人").wait_for()
    shoot_everywhere(leader, "item-handler")
