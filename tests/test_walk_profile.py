"""A person's own settings in a real browser: the office's open home page shows a new
submission at once; then from the header to 个人设置, choose which
notifications come by e-mail, change the password (once wrong, once right), then switch to
English and read a notification in English with its local time. PostgreSQL only, like
tests/test_browser.py, whose live server and browser it reuses."""

import datetime
from pathlib import Path

import pytest

from departments.models import User
from tests.test_browser import (  # noqa: F401  (the fixtures)
    CHROMIUM,
    browser,
    file_case,
    in_thread,
    server,
    shoot,
    sign_in,
    site,
)
from workflow.demo import DEMO_PASSWORD
from workflow.notifications.services import notify

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium package"),
]

NEW_PASSWORD = "Haishu-walk-2026"


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def coordinator_now() -> User:
    """The coordinator as the database has it now (read beside Playwright's event loop)."""
    found = []
    in_thread(lambda: found.append(User.objects.get(username="coordinator")))
    return found[0]


def test_settings_walk(sign_in, site):  # noqa: F811
    in_thread(
        lambda: notify(
            recipients=[User.objects.get(username="coordinator")],
            kind="invitation",
            params={
                "title": "园区配套协调会",
                "when": datetime.datetime(2026, 12, 4, 1, 30, tzinfo=datetime.UTC),
                "place": "3 楼会议室",
            },
        )
    )
    page = sign_in("coordinator")
    # The office's open home page shows a new submission without a reload (it is notified).
    enterprise = sign_in("enterprise")
    file_case(enterprise, "新提交的园区配套诉求")
    page.locator("main", has_text="新提交的园区配套诉求").wait_for()
    enterprise.context.close()

    page.click("header.site .who a[href='/profile/']")
    page.wait_for_url(f"{site}/profile/")
    assert page.locator("h1").inner_text() == "个人设置"

    # E-mail preferences: untick two kinds, save, and find them unticked.
    page.uncheck("#email label:has-text('新诉求待受理') input")
    page.uncheck("#email label:has-text('时限提醒') input")
    page.click("#email button[type=submit]")
    page.locator(".messages li", has_text="邮件通知设置已保存。").wait_for()
    assert not page.is_checked("#email label:has-text('新诉求待受理') input")
    assert page.is_checked("#email label:has-text('会议邀请') input")
    coordinator = coordinator_now()
    assert {"case_submitted", "deadline"} <= set(coordinator.email_muted_kinds)
    assert "invitation" not in coordinator.email_muted_kinds

    # The password: once with a wrong old password (an error, at the page's own address).
    page.fill("#id_password-old_password", "not-the-password")
    page.fill("#id_password-new_password1", NEW_PASSWORD)
    page.fill("#id_password-new_password2", NEW_PASSWORD)
    page.click("#password button[type=submit]")
    page.locator("#id_password-old_password_errors").wait_for()
    assert page.url.split("#")[0] == f"{site}/profile/"
    assert page.locator(".messages li.error").is_visible()
    shoot(page, "profile-password-error")
    page.fill("#id_password-old_password", DEMO_PASSWORD)
    page.fill("#id_password-new_password1", NEW_PASSWORD)
    page.fill("#id_password-new_password2", NEW_PASSWORD)
    page.click("#password button[type=submit]")
    page.locator(".messages li", has_text="密码已修改。").wait_for()
    assert coordinator_now().check_password(NEW_PASSWORD)

    # Switch to English in the header and read the invitation in English, in Beijing time.
    page.select_option("#language", "en")
    page.locator("h1", has_text="My settings").wait_for()
    page.click("header.site a.inbox-link")
    row = page.locator("tr", has_text="Joint session invitation: 园区配套协调会")
    assert "When: 4 Dec 2026, 09:30; where: 3 楼会议室" in row.inner_text()
    assert "Session invitations" in row.inner_text()
    shoot(page, "inbox-en")

    # The page on a phone: nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site}/profile/")
    no_sideways_scroll(page)
    shoot(page, "profile-en-390")

    # Signed out (on a phone, through the header's menu), the new password signs in.
    page.click("header.site label.menu-button")
    page.click("header.site .who button[type=submit]")
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{site}/")
