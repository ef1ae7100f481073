"""The pages in a real browser: Debian's Chromium driven by Playwright against a live server
(daphne through `runserver`, WebSockets included) on the test database.

The server is another process, so it shares the database only on PostgreSQL (the SQLite test
database lives in this process's memory). Screenshots go to test-results/screenshots/, so a test
run leaves the tracked files alone; `SCREENSHOTS_DIR=docs/screenshots` refreshes the README's.
"""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from workflow.demo import DEMO_PASSWORD, seed_demo

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(
    os.environ.get("SCREENSHOTS_DIR") or Path(settings.BASE_DIR) / "test-results" / "screenshots"
)
# Ten ports from BROWSER_TEST_PORT (default 8410): sessions sharing a machine keep to their own.
FIRST_PORT = int(os.environ.get("BROWSER_TEST_PORT", "8410"))
PORTS = range(FIRST_PORT, FIRST_PORT + 10)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium package"),
]


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )


class LiveServer:
    """runserver (daphne) as in production: DEBUG off (real error pages), static files served
    by the ASGI application itself. `stop()` and `start()` again on the same port simulate a
    lost connection."""

    def __init__(self):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="config.settings_test",
            DATABASE_URL=_database_url(),
            REDIS_URL="",
            DEBUG="false",
        )
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture
def server():
    seed_demo()
    connections.close_all()  # the server process must be able to use the database freely
    live = LiveServer()
    live.start()
    yield live
    live.stop()


@pytest.fixture
def site(server):
    return server.url


@pytest.fixture
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


# The pages run under the strict Content-Security-Policy (config/settings.py): every browser
# test fails on anything it blocks. Chromium reports each block to the page as an event.
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (e) => console.error(
  `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}` +
  ` at ${e.sourceFile}:${e.lineNumber}`));
"""


def watch_policy(context, violations: list) -> None:
    """Collect what the Content-Security-Policy blocks on every page of this context."""
    context.add_init_script(CSP_WATCH)

    def seen(message):
        if "CSP violation" in message.text or "Content Security Policy" in message.text:
            violations.append(f"{message.location.get('url')}: {message.text}")

    context.on("console", seen)


@pytest.fixture
def sign_in(site, browser):
    """A page signed in as a demo account, in its own browser context; at the end of the test,
    nothing the Content-Security-Policy blocked on any of its pages."""
    violations = []

    def open_as(username):
        context = browser.new_context(viewport={"width": 1280, "height": 860})
        watch_policy(context, violations)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # the confirmations
        page.goto(f"{site}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{site}/")
        page.site = site
        page.policy_violations = violations
        return page

    yield open_as
    assert not violations, "\n".join(violations)


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def fire(page, label, fields=None):
    """Open a transition's form by its button, fill it, and send it."""
    page.click(f"details.action > summary:text-is('{label}')")
    form = page.locator("details.action[open] form")
    for selector, value in (fields or {}).items():
        form.locator(selector).fill(value)
    form.locator("button[type=submit]").click()


def sign_off(coordinator, sign_in):
    """The coordinator sends the drafted rules for sign-off; the office leader first returns
    without remarks (refused, beside the field), then approves, which issues them."""
    coordinator.fill("#sign-off-note", "请领导审阅。")
    coordinator.click("#sign-off button:text-is('报请领导签批')")
    coordinator.locator(".messages", has_text="实施细则已报请领导签批").wait_for()
    leader = sign_in("office_leader")
    leader.goto(coordinator.url)
    leader.click("#sign-off button:text-is('退回修改')")
    leader.locator("#sign-off-remarks-errors", has_text="退回须写明签批意见").wait_for()
    leader.fill("#sign-off-remarks", "同意，按期推进。")
    leader.click("#sign-off button:text-is('签批同意并发布')")
    leader.locator(".messages", has_text="已签批").wait_for()
    leader.locator("h1 .badge", has_text="实施中").wait_for()
    return leader


def working_day_in(days: int) -> str:
    """The ISO date of the working day `days` working days from today (a due date field), by
    the holiday package alone: no database query beside Playwright's event loop."""
    import datetime

    import chinese_calendar

    def works(day):
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:  # a year the package does not cover
            return day.weekday() < 5

    day = datetime.date.today()
    while days:
        day += datetime.timedelta(days=1)
        days -= works(day)
    return day.isoformat()


def file_case(enterprise, title):
    """The enterprise files a case through the form, first with a field left out."""
    enterprise.goto(f"{enterprise.site}/cases/new/")
    enterprise.fill("#id_description", "周边道路和雨污水管网滞后，影响综合验收。")
    enterprise.click("main button[type=submit]")
    # Bad input: the error is shown beside the field, nothing is filed.
    assert enterprise.locator("#id_title_errors").is_visible()
    enterprise.fill("#id_title", title)
    enterprise.select_option("#id_category", label="市政配套")
    enterprise.click("main button[type=submit]")
    enterprise.wait_for_url("**/cases/*/")


def test_haishu_scenario_live_across_users(sign_in):
    enterprise = sign_in("enterprise")
    site = enterprise.site
    file_case(enterprise, "产业园二期市政配套滞后")
    case_url = enterprise.url
    assert "待受理" in enterprise.locator("h1").inner_text()

    coordinator = sign_in("coordinator")
    coordinator.goto(f"{site}/cases/?tab=new")
    coordinator.click("text=产业园二期市政配套滞后")
    shoot_queue = sign_in("coordinator")
    shoot_queue.goto(f"{site}/cases/?tab=all")
    shoot(shoot_queue, "coordinator-queue")
    shoot_queue.context.close()

    # The coordinator accepts; the enterprise's open page changes without a reload.
    fire(coordinator, "受理")
    enterprise.locator("h1 .badge", has_text="已受理").wait_for()
    coordinator.click("details.action > summary:text-is('交办')")
    form = coordinator.locator("details.action[open] form")
    form.locator("[name=assignments-0-organisation]").select_option(label="资规局")
    form.locator("[name=assignments-0-title]").fill("出具规划许可")
    form.locator("[name=assignments-0-due_date]").fill(working_day_in(10))
    form.locator("[name=assignments-1-organisation]").select_option(label="海曙开投集团")
    form.locator("[name=assignments-1-title]").fill("实施市政配套工程")
    form.locator("[name=assignments-1-due_date]").fill(working_day_in(20))
    form.locator("button[type=submit]").click()
    enterprise.locator("h1 .badge", has_text="实施中").wait_for()

    for username in ("zigui", "kaitou"):
        officer = sign_in(username)
        officer.goto(f"{site}/items/")
        if username == "zigui":
            shoot(officer, "action-items")
        officer.click("text=出具规划许可" if username == "zigui" else "text=实施市政配套工程")
        fire(officer, "签收")
        fire(officer, "开始办理")
        fire(officer, "办结", {"[name=note]": "已完成"})
        officer.locator("h1 .badge", has_text="已完成").wait_for()
        officer.context.close()

    # The last item done puts the case under the office's review; after it, the enterprise
    # sees the case resolved live and confirms.
    enterprise.locator("h1 .badge", has_text="待审核").wait_for()
    coordinator.goto(case_url)
    fire(coordinator, "提请企业评价")
    enterprise.locator("h1 .badge", has_text="已办结").wait_for()
    assert "2/2" in enterprise.locator("[data-live=items]").inner_text()
    enterprise.click("details.action > summary:text-is('评价办理结果')")
    enterprise.locator("details.action[open] input[value=satisfied]").check()
    enterprise.locator("details.action[open] button[type=submit]").click()
    enterprise.locator("h1 .badge", has_text="已归档").wait_for()
    shoot(enterprise, "enterprise-case")
    coordinator.goto(case_url)
    assert "已归档" in coordinator.locator("h1").inner_text()


def test_other_enterprise_gets_the_404_page(sign_in):
    owner = sign_in("enterprise")
    owner.goto(f"{owner.site}/cases/")
    owner.click("text=项目红线内自来水主管迁改")
    page = sign_in("enterprise2")
    response = page.goto(owner.url)
    assert response.status == 404
    assert "页面不存在" in page.locator("h1").inner_text()


def test_english_switch(sign_in):
    page = sign_in("enterprise")
    assert "待办" in page.locator("header nav").inner_text()
    page.select_option("#language", "en")
    page.wait_for_load_state()
    page.locator("header nav", has_text="My work").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"


def test_chinese_characters_have_a_font():
    """Without a CJK font every character renders as a box: the set-up installs one."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        pytest.skip("fontconfig is not installed")
    fonts = subprocess.run([fc_list, ":lang=zh-cn"], capture_output=True, text=True).stdout
    assert fonts.strip(), "install Debian's fonts-noto-cjk"


def meeting_time_comes(title):
    """Time passes: the open session titled `title` is due a minute ago."""

    def work():
        from datetime import timedelta

        from django.utils import timezone

        from workflow.sessions.models import JointSession

        JointSession.objects.filter(title=title).update(
            scheduled_at=timezone.now() - timedelta(minutes=1)
        )

    in_thread(work)


def test_haishu_session_route_live(sign_in):
    """The reference scenario through a joint session: convene, invite, RSVP, opinions that
    appear live on the coordinator's board, the resolution, rules, work, confirmation."""
    enterprise = sign_in("enterprise")
    site = enterprise.site
    file_case(enterprise, "产业园南区市政配套滞后")
    coordinator = sign_in("coordinator")
    coordinator.goto(f"{site}/cases/?tab=new")
    coordinator.click("text=产业园南区市政配套滞后")
    fire(coordinator, "受理")
    enterprise.locator("h1 .badge", has_text="已受理").wait_for()

    coordinator.click("details.action > summary:text-is('召集审联体')")
    form = coordinator.locator("details.action[open] form")
    form.locator("[name=title]").fill("园区市政配套审联体会议")
    form.locator("[name=scheduled_at]").fill("2030-04-10T09:30")
    form.locator("[name=agenda]").fill("企业介绍情况\n各方发表意见\n形成决议")
    form.locator("[name=place]").fill("海曙区政务服务中心三楼会议室")
    form.locator("button[type=submit]").click()
    enterprise.locator("h1 .badge", has_text="召集中").wait_for()
    coordinator.click("[data-live=sessions] a")
    board = coordinator.url

    coordinator.click("details.action > summary:text-is('邀请参会方')")
    form = coordinator.locator("details.action[open] form")
    for name, required in (("资规局", True), ("海曙开投集团", True), ("沈律师", False)):
        row = form.locator(".invite-row", has_text=name).first  # 部门 before 列席
        row.locator("input[name=invitations]").check()
        if required:
            row.locator("input[name=required]").check()
    form.locator("button[type=submit]").click()
    coordinator.locator(".messages", has_text="已邀请").wait_for()
    fire(coordinator, "发出会议通知")
    coordinator.locator("h1 .badge", has_text="已发通知").wait_for()

    officers = {name: sign_in(name) for name in ("zigui", "kaitou", "legal")}
    for officer in officers.values():
        officer.goto(board)
        officer.click("details.action > summary:text-is('回复邀请')")
        officer.locator("details.action[open] input[value=accepted]").check()
        officer.locator("details.action[open] button[type=submit]").click()
        officer.locator(".messages", has_text="已回复").wait_for()
    meeting_time_comes("园区市政配套审联体会议")  # scheduled ahead; the day has come
    coordinator.goto(board)
    fire(coordinator, "开始会议")
    coordinator.locator("h1 .badge", has_text="进行中").wait_for()
    for row in range(3):
        with coordinator.expect_navigation():
            coordinator.locator("button[name=attendance][value=present]").nth(row).click()
    assert "未到会" not in coordinator.locator("[data-live=quorum]").inner_text()

    # Opinions appear on the coordinator's open board without a reload.
    stances = {"zigui": "support", "kaitou": "conditional", "legal": "support"}
    for name, officer in officers.items():
        officer.goto(board)
        officer.click("details.action > summary:text-is('发表意见')")
        officer.locator(f"details.action[open] input[value={stances[name]}]").check()
        officer.locator("details.action[open] textarea[name=reasons]").fill("同意由开投集团实施")
        officer.locator("details.action[open] button[type=submit]").click()
        officer.locator(".messages", has_text="意见已记录").wait_for()
    coordinator.locator("[data-live=participants]", has_text="附条件同意").wait_for()
    coordinator.locator("[data-live=quorum]", has_text="均已到会并发表意见").wait_for()
    legal_row = coordinator.locator("[data-live=participants] tr", has_text="沈律师")
    legal_row.locator(".badge", has_text="同意").wait_for()
    shoot(coordinator, "session-board")

    coordinator.click("details.action > summary:text-is('形成决议')")
    form = coordinator.locator("details.action[open] form")
    form.locator("[name=summary]").fill(
        "由相邻地块的海曙开投集团报资规局审批实施周边市政配套工程。"
    )
    form.locator("[name=legal_basis]").fill("《中华人民共和国城乡规划法》第四十条")
    form.locator("button[type=submit]").click()
    coordinator.locator("h1 .badge", has_text="已形成决议").wait_for()
    enterprise.locator("h1 .badge", has_text="已议定").wait_for()

    coordinator.goto(enterprise.url)
    for title, owner in (
        ("报资规局审批市政配套工程", "资规局"),
        ("实施周边市政配套工程", "海曙开投集团"),
    ):
        coordinator.click("details.action > summary:text-is('添加细则条目')")
        form = coordinator.locator("details.action[open] form")
        form.locator("[name=title]").fill(title)
        form.locator("[name=owner]").select_option(label=owner)
        form.locator("[name=due_date]").fill("2030-06-28")
        form.locator("button[type=submit]").click()
        coordinator.locator(".messages", has_text="细则条目已添加").wait_for()
    sign_off(coordinator, sign_in)
    enterprise.locator("h1 .badge", has_text="实施中").wait_for()
    assert "实施周边市政配套工程" in enterprise.locator("[data-live=rules]").inner_text()

    for name, title in (("zigui", "报资规局审批市政配套工程"), ("kaitou", "实施周边市政配套工程")):
        officer = officers[name]
        officer.goto(f"{site}/items/")
        officer.click(f"text={title}")
        fire(officer, "签收")
        fire(officer, "开始办理")
        fire(officer, "办结", {"[name=note]": "已完成"})
        officer.locator("h1 .badge", has_text="已完成").wait_for()
    enterprise.locator("h1 .badge", has_text="待审核").wait_for()
    coordinator.goto(enterprise.url)
    fire(coordinator, "提请企业评价")
    enterprise.locator("h1 .badge", has_text="已办结").wait_for()
    enterprise.click("details.action > summary:text-is('评价办理结果')")
    enterprise.locator("details.action[open] input[value=satisfied]").check()
    enterprise.locator("details.action[open] button[type=submit]").click()
    enterprise.locator("h1 .badge", has_text="已归档").wait_for()


def in_thread(work):
    """Run ORM code beside Playwright's event loop (Django refuses it in an async context)."""

    def run():
        try:
            work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)


def test_open_page_catches_up_after_a_lost_connection(sign_in, server):
    """The server goes away, the case moves on meanwhile, the server comes back: the open
    page reconnects from the last event it saw and shows the change without a reload."""
    from cases.models import Case
    from departments.models import User
    from workflow.casefile.services import case_accept

    enterprise = sign_in("enterprise")
    file_case(enterprise, "断线期间受理的诉求")
    enterprise.locator(".live-status[data-state=open]").wait_for()
    server.stop()
    enterprise.locator(".live-status[data-state=closed]").wait_for()

    def accept():
        case = Case.objects.get(title="断线期间受理的诉求")
        case_accept(case=case, by=User.objects.get(username="coordinator"))

    in_thread(accept)
    server.start()
    enterprise.locator("h1 .badge", has_text="已受理").wait_for(timeout=30_000)
