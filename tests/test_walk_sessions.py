"""The joint session route walked through the pages by every role it needs, in a real browser
(PostgreSQL only, like tests/test_browser.py, whose live server it reuses): convene, invite
eight parties in one step, share materials, RSVP, the deputy reads the case, a delegate,
opinions, adjourn, the follow-up session, conclude, issue the rules; each form once wrong and
once right; at 1280 and 390 px in Chinese and English, nothing scrolls sideways."""

from tests import test_browser
from tests.browser_sessions_support import (
    fits,
    meeting_time_comes,
    shoot_everywhere,
    tomorrow_morning,
    upload,
)
from tests.test_browser import file_case, fire, sign_off

pytestmark = test_browser.pytestmark
# The live server (runserver on the test database), the browser and the signed-in pages.
server = test_browser.server
site = test_browser.site
browser = test_browser.browser
sign_in = test_browser.sign_in

TITLE = "园区北区市政配套审联体会议"
VIDEO = "https://meeting.example.com/j/20300410093000000000?pwd=AVeryLongMeetingPasswordTokenThatDoesNotWrap"
EIGHT = [
    ("部门", "资规局", True),
    ("部门", "住建局", False),
    ("第三方", "海曙开投集团", True),
    ("企业", "工业互联网研究院", False),
    ("法律专家", "沈律师", False),
    ("人大代表", "韩代表", False),
    ("政协委员", "杨委员", False),
    ("群众代表", "朱阿姨", False),
]


def invite_eight(coordinator):
    coordinator.click("details.action > summary:text-is('邀请参会方')")
    form = coordinator.locator("details.action[open] form.invite-many")
    # Another enterprise and the administrator are never offered.
    assert "甬江精机" not in form.inner_text() and "admin" not in form.inner_text()
    form.locator("button[type=submit]").click()
    coordinator.locator("#invite-errors", has_text="请至少选择一个参会方").wait_for()
    form = coordinator.locator("details.action[open] form.invite-many")
    for capacity, name, required in EIGHT:
        row = form.locator("fieldset", has_text=capacity).locator(".invite-row", has_text=name)
        row.locator("input[name=invitations]").check()
        if required:
            row.locator("input[name=required]").check()
    form.locator("button[type=submit]").click()
    coordinator.locator(".messages", has_text="已邀请 8 个参会方").wait_for()
    participants = coordinator.locator("[data-live=participants]")
    assert participants.locator("tbody tr").count() == 8
    assert participants.locator(".badge", has_text="待通知").count() == 8


def opinion(page, board, stance, reasons="同意由开投集团实施"):
    page.goto(board)
    page.click("details.action > summary:text-matches('发表意见|修改意见')")
    form = page.locator("details.action[open] form")
    form.locator(f"input[value={stance}]").check()
    form.locator("textarea[name=reasons]").fill(reasons)
    form.locator("button[type=submit]").click()
    page.locator(".messages", has_text="意见已记录").wait_for()


def hold(coordinator, title, speakers, board, *, notify=True):
    """Notify, fail to start early, the day comes, start, everyone present, opinions."""
    if notify:
        fire(coordinator, "发出会议通知")
        coordinator.locator("h1 .badge", has_text="已发通知").wait_for()
    assert coordinator.locator("[data-live=participants] .badge", has_text="待通知").count() == 0
    # Before its day the session is not offered a start; the board says when it can.
    coordinator.locator("[data-live=actions]", has_text="当天才能开始").wait_for()
    assert coordinator.locator("details.action > summary:text-is('开始会议')").count() == 0
    meeting_time_comes(title)
    coordinator.goto(board)
    fire(coordinator, "开始会议")
    coordinator.locator("h1 .badge", has_text="进行中").wait_for()
    button = coordinator.locator("[data-live=participants] button[value=present]").first
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    assert "到会" in button.get_attribute("aria-label")
    with coordinator.expect_navigation():
        coordinator.click("button:text-is('全部到会')")
    coordinator.locator(".messages", has_text="已登记全部到会").wait_for()
    for page in speakers:
        opinion(page, board, "support")
    coordinator.goto(board)


def test_joint_session_walk(sign_in):
    enterprise = sign_in("enterprise")
    try:
        _walk(sign_in, enterprise)
    except Exception:
        for page in enterprise.context.browser.contexts:
            for index, tab in enumerate(page.pages):
                test_browser.shoot(tab, f"walk-failure-{index}-{id(page)}")
        raise


def _walk(sign_in, enterprise):
    base = enterprise.site
    file_case(enterprise, "产业园北区市政配套滞后")
    case_url = enterprise.url
    upload(enterprise, "红线图.pdf")
    upload(enterprise, "企业财务报表.pdf")

    coordinator = sign_in("coordinator")
    coordinator.goto(case_url)
    fire(coordinator, "受理")
    coordinator.locator("h1 .badge", has_text="已受理").wait_for()

    # Convene: once in the past (refused beside the field), once right.
    coordinator.click("details.action > summary:text-is('召集审联体')")
    form = coordinator.locator("details.action[open] form")
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=scheduled_at]").fill("2020-04-10T09:30")
    form.locator("button[type=submit]").click()
    coordinator.locator("[id='case-convene-scheduled_at-errors']").wait_for()
    form = coordinator.locator("details.action[open] form")
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=scheduled_at]").fill(tomorrow_morning())
    form.locator("[name=agenda]").fill("企业介绍情况\n各方发表意见\n形成决议")
    form.locator("[name=place]").fill("海曙区政务服务中心三楼会议室")
    form.locator("[name=video_link]").fill(VIDEO)
    form.locator("button[type=submit]").click()
    coordinator.locator("h1 .badge", has_text="召集中").wait_for()
    coordinator.click("[data-live=sessions] a")
    board = coordinator.url
    quorum = coordinator.locator("[data-live=quorum]").inner_text()
    assert "还没有邀请参会方" in quorum and "✓" not in quorum

    # Share one of the two attachments with the participants.
    shared = coordinator.locator("section", has_text="与参会方共享的材料")
    shared.locator(".invite-row", has_text="红线图.pdf").locator("input").check()
    shared.locator("button[type=submit]").click()
    coordinator.locator(".messages", has_text="已更新与参会方共享的附件").wait_for()

    invite_eight(coordinator)
    fire(coordinator, "发出会议通知")
    coordinator.locator("h1 .badge", has_text="已发通知").wait_for()

    # The deputy: the session on the home page, RSVP, and the case as an invited party.
    deputy = sign_in("deputy")
    deputy.locator("section", has_text="我参加的审联体会议").locator(
        f"a:text-is('{TITLE}')"
    ).click()
    deputy.wait_for_url(board)
    assert deputy.locator("details.action input[value=delegated]").count() == 0
    deputy.click("details.action > summary:text-is('回复邀请')")
    deputy.locator("details.action[open] button[type=submit]").click()
    deputy.locator("details.action[open] .errorlist").wait_for()  # no answer chosen
    deputy.locator("details.action[open] input[value=accepted]").check()
    deputy.locator("details.action[open] button[type=submit]").click()
    deputy.locator(".messages", has_text="已回复").wait_for()
    deputy.click("dl.facts a:has-text('产业园北区市政配套滞后')")
    deputy.locator("h1", has_text="产业园北区市政配套滞后").wait_for()
    text = deputy.locator("main").inner_text()
    assert "周边道路和雨污水管网滞后" in text and "红线图.pdf" in text
    assert "企业财务报表.pdf" not in text and "留言" not in text
    shoot_everywhere(deputy, "session-case-view")
    assert deputy.goto(case_url).status == 404
    deputy.set_viewport_size({"width": 390, "height": 860})
    deputy.goto(f"{base}/")
    fits(deputy, "deputy's home")
    deputy.set_viewport_size({"width": 1280, "height": 860})

    # 住建局 delegates to its leader: once without naming the colleague, once right.
    zhujian = sign_in("zhujian")
    zhujian.goto(board)
    zhujian.click("details.action > summary:text-is('回复邀请')")
    form = zhujian.locator("details.action[open] form")
    form.locator("input[value=delegated]").check()
    form.locator("button[type=submit]").click()
    zhujian.locator("details.action[open] .errorlist", has_text="受托").wait_for()
    form = zhujian.locator("details.action[open] form")
    form.locator("input[value=delegated]").check()
    form.locator("[name=delegate]").select_option(label="郑强 (住建局分管领导)")
    form.locator("button[type=submit]").click()
    zhujian.locator(".messages", has_text="已回复").wait_for()
    coordinator.goto(board)
    assert "委托：郑强" in coordinator.locator("[data-live=participants]").inner_text()

    # The first sitting: opinions, then 休会 (adjourn) for missing survey data.
    zigui, kaitou = sign_in("zigui"), sign_in("kaitou")
    hold(coordinator, TITLE, [zigui, deputy], board, notify=False)
    opinion(kaitou, board, "object", "需先补充相邻地块测绘资料")
    shoot_everywhere(coordinator, "session-board", board)
    fire(coordinator, "休会", {"[name=reason]": "需补充相邻地块测绘资料"})
    coordinator.locator("h1 .badge", has_text="休会待续").wait_for()

    # The case page offers the follow-up; the follow-up form, once wrong, once right.
    coordinator.goto(case_url)
    coordinator.click("[data-live=sessions] a:text-is('安排续会')")
    follow_up = coordinator.locator("#follow-up form")
    assert follow_up.locator("[name=title]").input_value() == f"{TITLE}（续会）"
    follow_up.locator("button[type=submit]").click()
    coordinator.locator("#id_scheduled_at_errors").wait_for()
    follow_up = coordinator.locator("#follow-up form")
    follow_up.locator("[name=scheduled_at]").fill(tomorrow_morning())
    follow_up.locator("button[type=submit]").click()
    coordinator.locator(".messages", has_text="已安排新的会议").wait_for()
    assert "（续会）" in coordinator.locator("h1").inner_text()
    second = coordinator.url
    assert second != board
    assert coordinator.locator("[data-live=participants] tbody tr").count() == 8

    hold(coordinator, f"{TITLE}（续会）", [zigui, kaitou], second)
    coordinator.locator("[data-live=quorum]", has_text="均已到会并发表意见").wait_for()

    # Conclude: the responsible organisations offered leave out unrelated enterprises.
    coordinator.click("details.action > summary:text-is('形成决议')")
    form = coordinator.locator("details.action[open] form")
    assert "甬江精机" not in form.inner_text()
    form.locator("[name=summary]").fill(
        "由相邻地块的海曙开投集团报资规局审批实施周边市政配套工程。"
    )
    form.locator("label", has_text="海曙开投集团").locator("input").check()
    form.locator("button[type=submit]").click()
    coordinator.locator(".messages", has_text="决议未写明法律依据").wait_for()
    coordinator.click("details.action > summary:text-is('形成决议')")
    form = coordinator.locator("details.action[open] form")
    form.locator("[name=summary]").fill(
        "由相邻地块的海曙开投集团报资规局审批实施周边市政配套工程。"
    )
    form.locator("label", has_text="海曙开投集团").locator("input").check()
    form.locator("[name=legal_basis]").fill("《中华人民共和国城乡规划法》第四十条")
    form.locator("button[type=submit]").click()
    coordinator.locator("h1 .badge", has_text="已形成决议").wait_for()
    enterprise.goto(case_url)
    enterprise.locator("h1 .badge", has_text="已议定").wait_for()
    coordinator.click("a:text-is('会议纪要（可打印）')")
    shoot_everywhere(coordinator, "session-minutes")

    # Issue the implementation rules.
    coordinator.goto(case_url)
    coordinator.click("details.action > summary:text-is('添加细则条目')")
    form = coordinator.locator("details.action[open] form")
    form.locator("[name=title]").fill("实施周边市政配套工程")
    form.locator("[name=owner]").select_option(label="海曙开投集团")
    form.locator("[name=due_date]").fill("2030-06-28")
    form.locator("button[type=submit]").click()
    coordinator.locator(".messages", has_text="细则条目已添加").wait_for()
    leader = sign_off(coordinator, sign_in)
    shoot_everywhere(leader, "rules-signed-off")
    coordinator.goto(case_url)
    coordinator.locator("h1 .badge", has_text="实施中").wait_for()
    fits(coordinator, "case page")
