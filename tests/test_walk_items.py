"""The direct route walked through the pages by each role, in a real browser (PostgreSQL only,
like tests/test_browser.py, whose live server it reuses).

The coordinator assigns three departments in one go (first with past due dates: an error per
row), a department signs, starts, blocks, unblocks, asks for more time and completes with
evidence, the office reviews and sends one item back, then asks the enterprise, who answers
不满意 with a reason; the reopened case is routed again (in English) and closed. At 1280 and
390 px nothing scrolls sideways.
"""

import re
from pathlib import Path

import pytest
from django.db import connections

from tests.test_browser import (  # noqa: F401  (fixtures)
    CHROMIUM,
    LiveServer,
    browser,
    fire,
    shoot,
    sign_in,
    site,
    working_day_in,
)
from workflow.demo import seed_demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium package"),
]

# A port of this walk's own: on a machine where several suites run browsers at once, a shared
# range can hand the port to another suite's server between the probe and the bind.
PORT = 8504


class OwnPortServer(LiveServer):
    def __init__(self):
        self.port = PORT
        self.url = f"http://127.0.0.1:{PORT}"
        self.process = None


@pytest.fixture
def server():
    seed_demo()
    connections.close_all()
    live = OwnPortServer()
    live.start()
    assert live.process.poll() is None, f"port {PORT} is taken by another server"
    yield live
    live.stop()


TITLE = "厂区雨水管网接驳受阻，影响竣工验收"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def no_sideways_scroll(page, name):
    """At 390 px the page fits its width; both widths are shot for a look."""
    shoot(page, f"walk-items-{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    shoot(page, f"walk-items-{name}-390")
    page.set_viewport_size({"width": 1280, "height": 860})
    assert width[0] <= width[1], f"{name}: {width[0]} px wide in a {width[1]} px window"


def file_case(enterprise):
    enterprise.goto(f"{enterprise.site}/cases/new/")
    enterprise.fill("#id_title", TITLE)
    enterprise.select_option("#id_category", label="市政配套")
    enterprise.fill("#id_description", "雨水管网接驳点未明确，竣工验收无法进行。")
    enterprise.click("main button[type=submit]")
    enterprise.wait_for_url("**/cases/*/")
    return enterprise.url


def assign_rows(form, rows):
    for index, (department, task, deliverable, due) in enumerate(rows):
        form.locator(f"[name=assignments-{index}-organisation]").select_option(label=department)
        form.locator(f"[name=assignments-{index}-title]").fill(task)
        form.locator(f"[name=assignments-{index}-deliverable]").fill(deliverable)
        form.locator(f"[name=assignments-{index}-due_date]").fill(due)


def open_item(officer, title, tab):
    officer.goto(f"{officer.site}/items/?tab={tab}")
    officer.click(f"text={title}")


def test_direct_route_with_review_and_reopening(sign_in):  # noqa: F811  (the fixture)
    enterprise = sign_in("enterprise")
    base = enterprise.site
    case_url = file_case(enterprise)

    coordinator = sign_in("coordinator")
    coordinator.goto(case_url)
    fire(coordinator, "受理")
    coordinator.locator("h1 .badge", has_text="已受理").wait_for()

    # 交办: a wide form, three rows by default, one more on request; past dates refused per row.
    coordinator.click("details.action > summary:text-is('交办')")
    form = coordinator.locator("details.action[open] form")
    assert form.locator("legend").first.inner_text() == "交办单位与任务"
    select_box = form.locator("[name=assignments-0-organisation]").bounding_box()
    assert select_box["width"] > 150
    form.locator("[data-add-row]").click()
    assert form.locator("[data-row]").count() == 4
    assert form.locator("[name=assignments-TOTAL_FORMS]").input_value() == "4"
    rows = [
        ("资规局", "明确雨水接驳点位", "接驳点位确认函", working_day_in(5)),
        ("住建局", "组织竣工验收预审", "预审意见", "2020-01-06"),
        ("城管局", "协调道路开挖许可", "开挖许可", "2020-01-07"),
    ]
    assign_rows(form, rows)
    form.locator("button[type=submit]").click()
    errors = coordinator.locator(".assign-rows > .errorlist")
    errors.wait_for()
    assert "第 2 行 办理期限：期限必须是今天以后的日期。" in errors.inner_text()
    assert "第 3 行 办理期限：" in errors.inner_text()
    assert "第 1 行" not in errors.inner_text()
    no_sideways_scroll(coordinator, "assign-errors")
    form = coordinator.locator("details.action[open] form")
    form.locator("[name=assignments-1-due_date]").fill(working_day_in(6))
    form.locator("[name=assignments-2-due_date]").fill(working_day_in(7))
    form.locator("button[type=submit]").click()
    coordinator.locator("h1 .badge", has_text="实施中").wait_for()
    assert "接驳点位确认函" in coordinator.locator("[data-live=items]").inner_text()

    # The department: sign, start, block, unblock, extension, evidence, complete.
    zigui = sign_in("zigui")
    open_item(zigui, "明确雨水接驳点位", "assigned")
    fire(zigui, "签收")
    zigui.locator("h1 .badge", has_text="已签收").wait_for()
    fire(zigui, "开始办理")
    fire(zigui, "报告受阻", {"[name=reason]": "排水管线图缺失"})
    zigui.locator("h1 .badge", has_text="受阻").wait_for()
    coordinator.goto(f"{base}/notifications/")
    assert "任务受阻" in coordinator.locator("main").inner_text()
    fire(zigui, "解除受阻")
    zigui.locator("h1 .badge", has_text="办理中").wait_for()
    zigui.click("details.action > summary:text-is('申请延期')")
    zigui.locator("details.action[open] [name=due_date]").fill(working_day_in(9))
    zigui.locator("details.action[open] [name=reason]").fill("需补测管线")
    zigui.locator("details.action[open] button[type=submit]").click()
    zigui.locator(".messages", has_text="延期申请已提交").wait_for()
    assert zigui.locator("summary:text-is('申请延期')").count() == 0
    zigui.set_input_files(
        "input[type=file]", files=[{"name": "确认函.png", "mimeType": "image/png", "buffer": PNG}]
    )
    zigui.click("form[enctype] button[type=submit]")
    zigui.locator(".messages", has_text="附件已上传").wait_for()
    zigui.click("details.action > summary:text-is('办结')")
    done = zigui.locator("details.action[open] form")
    done.locator("[name=note]").fill("已出具接驳点位确认函")
    done.locator("label", has_text="确认函.png").locator("input").check()
    done.locator("button[type=submit]").click()
    zigui.locator("h1 .badge", has_text="已完成").wait_for()
    no_sideways_scroll(zigui, "item-done")

    for username, title in (("zhujian", "组织竣工验收预审"), ("chengguan", "协调道路开挖许可")):
        officer = sign_in(username)
        open_item(officer, title, "assigned")
        fire(officer, "签收")
        officer.locator("h1 .badge", has_text="已签收").wait_for()
        fire(officer, "办结", {"[name=note]": "已办结"})
        officer.locator("h1 .badge", has_text="已完成").wait_for()
        if username == "zhujian":
            zhujian = officer
        else:
            officer.context.close()

    # The office's review: the case waits on the coordinator's home with the evidence.
    coordinator.goto(f"{base}/")
    coordinator.click(f"text={TITLE}")
    coordinator.locator("h1 .badge", has_text="待审核").wait_for()
    review = coordinator.locator(".wide-actions")
    assert "确认函.png" in review.inner_text()
    no_sideways_scroll(coordinator, "review")
    coordinator.click("details.action > summary:text-is('退回重办')")
    back = coordinator.locator("details.action[open] form")
    back.locator("button[type=submit]").click()  # nothing chosen, no reason: refused
    coordinator.locator("details.action[open] .errorlist").first.wait_for()
    back = coordinator.locator("details.action[open] form")
    back.locator("label", has_text="组织竣工验收预审").locator("input").check()
    back.locator("[name=reason]").fill("预审意见未盖章")
    back.locator("[name=due_date]").fill(working_day_in(4))
    back.locator("button[type=submit]").click()
    coordinator.locator(".messages", has_text="已退回重办").wait_for()
    coordinator.locator("h1 .badge", has_text="实施中").wait_for()

    zhujian.reload()
    zhujian.locator("h1 .badge", has_text="办理中").wait_for()
    assert "预审意见未盖章" in zhujian.locator("main").inner_text()
    fire(zhujian, "办结", {"[name=note]": "已补盖章"})
    zhujian.locator("h1 .badge", has_text="已完成").wait_for()
    zhujian.context.close()

    coordinator.reload()
    coordinator.locator("h1 .badge", has_text="待审核").wait_for()
    fire(coordinator, "提请企业评价")
    coordinator.locator(".messages", has_text="已提请企业评价").wait_for()

    # 不满意: a reason is required, the form says what it does, the case is handled again.
    enterprise.goto(case_url)
    enterprise.locator("h1 .badge", has_text="已办结").wait_for()
    enterprise.click("details.action > summary:text-is('评价办理结果')")
    rate = enterprise.locator("details.action[open] form")
    assert "重新办理" in rate.inner_text()
    rate.locator("input[value=dissatisfied]").check()
    rate.locator("button[type=submit]").click()
    enterprise.locator("details.action[open] .errorlist", has_text="仍未解决").wait_for()
    rate = enterprise.locator("details.action[open] form")
    rate.locator("input[value=dissatisfied]").check()
    rate.locator("[name=comment]").fill("接驳后仍有积水")
    rate.locator("button[type=submit]").click()
    enterprise.locator(".messages", has_text="已提交不满意意见").wait_for()
    assert "确认确认" not in enterprise.locator("main").inner_text()
    items = enterprise.locator("[data-live=items]").inner_text()
    assert "重新办理中" in items and "接驳后仍有积水" in items
    no_sideways_scroll(enterprise, "reopened")

    # The office is told and routes it again, in English this time.
    coordinator.goto(f"{base}/notifications/")
    assert "企业不满意" in coordinator.locator("main").inner_text()
    coordinator.select_option("#language", "en")
    coordinator.locator("header nav", has_text="My work").wait_for()
    coordinator.goto(case_url)
    assert "Being handled again" in coordinator.locator("[data-live=items]").inner_text()
    coordinator.click("details.action > summary:text-is('Assign')")
    form = coordinator.locator("details.action[open] form")
    assert form.locator("legend").first.inner_text() == "Departments and tasks"
    assign_rows(form, [("资规局", "排查积水原因", "排查报告", "2020-01-06")])
    form.locator("button[type=submit]").click()
    errors = coordinator.locator(".assign-rows > .errorlist")
    errors.wait_for()
    assert "Row 1, Due date: The due date must be after today." in errors.inner_text()
    assert not re.search(r"[\u4e00-\u9fff]", errors.inner_text())
    no_sideways_scroll(coordinator, "assign-errors-en")
    form = coordinator.locator("details.action[open] form")
    form.locator("[name=assignments-0-due_date]").fill(working_day_in(5))
    form.locator("button[type=submit]").click()
    coordinator.locator("h1 .badge", has_text="Implementing").wait_for()

    open_item(zigui, "排查积水原因", "assigned")
    fire(zigui, "签收")
    zigui.locator("h1 .badge", has_text="已签收").wait_for()
    fire(zigui, "办结", {"[name=note]": "已疏通"})
    zigui.locator("h1 .badge", has_text="已完成").wait_for()

    coordinator.reload()
    fire(coordinator, "Ask the enterprise to rate")
    coordinator.locator("h1 .badge", has_text="Resolved").wait_for()
    no_sideways_scroll(coordinator, "resolved-en")

    enterprise.goto(case_url)
    enterprise.click("details.action > summary:text-is('评价办理结果')")
    enterprise.locator("details.action[open] input[value=satisfied]").check()
    enterprise.locator("details.action[open] button[type=submit]").click()
    enterprise.locator(".messages", has_text="已提交评价，诉求事项已归档").wait_for()
    enterprise.locator("h1 .badge", has_text="已归档").wait_for()
