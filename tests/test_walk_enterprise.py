"""The enterprise's whole job through the pages, in a real browser, as `enterprise2` would do it:
file a case with an image attached, keep a draft then edit and delete it, comment (once empty,
once right), and answer the office's return for information by correcting the description.
Each page is also looked at 390 px wide (nothing may scroll sideways) and in English.

PostgreSQL only, like tests/test_browser.py, whose live server and sign-in it uses.
"""

import re
import struct
import zlib

from tests import test_browser as live

# The live server, the browser and the signed-in pages of tests/test_browser.py, and its marks
# (browser, PostgreSQL only, a transactional database).
pytestmark = live.pytestmark
server, site, browser, sign_in = live.server, live.site, live.browser, live.sign_in
in_thread, shoot = live.in_thread, live.shoot

TITLE = "厂区西侧道路积水影响货车进出"
QUESTION = "请补充积水路段的具体位置和照片拍摄时间。"
CORRECTED = "积水路段位于厂区西门至望春路口约200米，照片摄于11月28日暴雨后。"


def png() -> bytes:
    """A small valid PNG (a 4×3 grey image)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * 4 for _ in range(3))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 3, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def no_sideways_scroll(page, name):
    """Look at the page at 390 px (and take both widths' pictures): nothing wider than the
    screen."""
    shoot(page, f"walk-enterprise-{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{name} scrolls sideways at 390 px: {widths}"
        shoot(page, f"walk-enterprise-{name}-390")
    finally:
        page.set_viewport_size({"width": 1280, "height": 860})


def switch_language(page, code):
    with page.expect_navigation():
        page.select_option("#language", code)


def test_enterprise_files_comments_keeps_drafts_and_answers_a_return(sign_in, tmp_path):
    photo = tmp_path / "积水现场.png"
    photo.write_bytes(png())
    page = sign_in("enterprise2")
    site = page.site

    # File a case with a photo: first with the title left out, then right.
    page.goto(f"{site}/cases/new/")
    page.fill("#id_description", "厂区西侧道路每逢降雨即积水，货车无法进出。")
    page.set_input_files("#id_attachments", str(photo))
    page.click("main button[value=submit]")
    assert page.locator("#id_title_errors").is_visible()
    no_sideways_scroll(page, "new-error")
    page.fill("#id_title", TITLE)
    page.select_option("#id_category", label="市政配套")
    page.set_input_files("#id_attachments", str(photo))
    page.click("main button[value=submit]")
    page.wait_for_url(re.compile(r".*/cases/\d+/$"))
    case_url = page.url
    assert "待受理" in page.locator("h1").inner_text()
    thumbnail = page.locator("img[alt='图片附件：积水现场.png']")
    thumbnail.wait_for()
    assert page.evaluate(
        "(img) => img.complete && img.naturalWidth === 4", thumbnail.element_handle()
    )
    assert thumbnail.bounding_box()["width"] <= 80

    # Comment: empty is refused beside the field at the case's own address, then posted.
    page.click("#comment-form button[type=submit]")
    page.wait_for_url(case_url + "#comment-form")
    assert "留言内容不能为空" in page.locator("#id_body_errors").inner_text()
    page.fill("#id_body", "补充：积水最深处约30厘米。")
    page.click("#comment-form button[type=submit]")
    page.locator(".messages", has_text="留言已发表").wait_for()
    assert page.url == case_url + "#comment-form"
    assert "积水最深处约30厘米" in page.locator("#timeline").inner_text()
    no_sideways_scroll(page, "case")

    # A draft: saved, edited, then deleted after the confirmation page.
    page.goto(f"{site}/cases/new/")
    page.fill("#id_title", "厂区东侧路灯不亮")
    page.select_option("#id_category", label="市政配套")
    page.fill("#id_description", "东侧道路路灯损坏。")
    page.click("main button[value=draft]")
    page.locator(".messages", has_text="草稿已保存").wait_for()
    assert "草稿" in page.locator("h1").inner_text()
    no_sideways_scroll(page, "draft")
    page.click("text=编辑草稿")
    page.fill("#id_title", "厂区东侧路灯长期不亮")
    page.click("main button[value=save]")
    page.locator(".messages", has_text="修改已保存").wait_for()
    assert "厂区东侧路灯长期不亮" in page.locator("h1").inner_text()
    page.click("text=删除草稿")
    assert "/delete/" in page.url
    no_sideways_scroll(page, "draft-delete")
    page.click("main button[type=submit]")
    page.locator(".messages", has_text="已删除").wait_for()
    assert page.locator("main a", has_text="厂区东侧路灯长期不亮").count() == 0

    # The office returns the case for more information (through its service).
    def return_for_info():
        from cases.models import Case
        from departments.models import User
        from workflow.casefile.services import case_return_for_info

        case = Case.objects.get(title=TITLE)
        coordinator = User.objects.get(username="coordinator")
        case_return_for_info(case=case, by=coordinator, reason=QUESTION)

    in_thread(return_for_info)
    page.goto(case_url)
    banner = page.locator(".banner")
    assert QUESTION in banner.inner_text()
    no_sideways_scroll(page, "returned")
    switch_language(page, "en")
    assert "Needs information" in page.locator(".banner h2").inner_text()
    assert not re.search(r"[\u4e00-\u9fff]", page.locator(".banner p.actions").inner_text())
    no_sideways_scroll(page, "returned-en")
    banner.locator("text=Correct the case").click()
    assert "Save and resubmit" in page.locator("main").inner_text()
    no_sideways_scroll(page, "correct-en")
    switch_language(page, "zh-hans")

    # The enterprise corrects the description and resubmits.
    assert page.url == f"{case_url}edit/"
    assert QUESTION in page.locator("main").inner_text()
    page.fill("#id_description", "")
    page.click("main button[value=send]")
    assert page.locator("#id_description_errors").is_visible()  # bad input first
    no_sideways_scroll(page, "correct-error")
    page.fill("#id_description", CORRECTED)
    page.fill("#id_reply", "已补充位置和时间")
    page.click("main button[value=send]")
    page.wait_for_url(case_url)
    page.locator(".messages", has_text="已保存并提交").wait_for()
    assert "待受理" in page.locator("h1").inner_text()
    assert CORRECTED in page.locator("[aria-labelledby=facts]").inner_text()
    assert page.locator(".banner").count() == 0
    no_sideways_scroll(page, "resubmitted")
