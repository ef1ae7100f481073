"""The shared page behaviour in a real browser (pages.js): after a failed form the address bar
shows the page's own address, a reload does not post again and the live refresh keeps working;
a confirmation is asked only once the form is filled in as required.

PostgreSQL only, like tests/test_browser.py (whose live server and sign-in it reuses).
"""

from pathlib import Path

import pytest

from tests.test_browser import CHROMIUM, browser, server, sign_in, site  # noqa: F401
from workflow.demo import DEMO_PASSWORD
from workflow.items.models import ActionItem

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium package"),
]


@pytest.fixture
def open_item(server):  # noqa: F811
    """A demo action item still open, with its case (read before the browser starts)."""
    item = ActionItem.objects.exclude(status__in=ActionItem.CLOSED_STATES).order_by("pk").first()
    return item.pk, item.case_id


def test_failed_form_leaves_the_page_address_and_live_refresh_works(
    open_item,
    sign_in,  # noqa: F811
):
    _item, case = open_item
    page = sign_in("coordinator")
    root = page.site
    page.goto(f"{root}/cases/{case}/")
    live = []
    page.on(
        "request",
        lambda request: live.append(request.url) if request.headers.get("x-live") else None,
    )
    page.click("form[action$='/comments/'] button[type=submit]")  # nothing typed
    page.wait_for_selector("form[action$='/comments/'] .errorlist")
    # The case page at the comment form, not /cases/<id>/comments/.
    assert page.url == f"{root}/cases/{case}/#comment-form"

    # Someone else acts on the case: the page refreshes from its own address (a GET of the
    # POST address would be a 405 and stop the live updates).
    other = sign_in("office_leader")
    other.goto(f"{root}/cases/{case}/")
    other.fill("form[action$='/comments/'] textarea[name=body]", "已补充施工图纸。")
    other.click("form[action$='/comments/'] button[type=submit]")
    # A locator, not wait_for_function: the page's CSP refuses the latter's eval.
    page.locator("#timeline").get_by_text("已补充施工图纸").first.wait_for(timeout=15_000)
    assert live and all(url == f"{root}/cases/{case}/" for url in live)

    # A reload asks for the page, it does not post the comment form again.
    with page.expect_request(lambda request: request.is_navigation_request()) as reloaded:
        page.reload()
    assert reloaded.value.method == "GET"
    assert reloaded.value.url == f"{root}/cases/{case}/"
    assert page.locator("form[action$='/comments/'] .errorlist").count() == 0


def test_confirmation_only_after_the_form_is_valid(open_item, site, browser):  # noqa: F811
    item, _case = open_item
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{site}/")
    dialogs, posts = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )
    page.goto(f"{site}/items/{item}/")
    form = "form[action$='/transitions/cancel/']"
    page.click(f"details:has({form}) > summary")

    page.click(f"{form} button[type=submit]")  # no reason: the server says so, nothing asked
    page.wait_for_selector(f"{form} .errorlist")
    assert dialogs == []
    assert posts == [f"{site}/items/{item}/transitions/cancel/"]
    assert page.url == f"{site}/items/{item}/"

    page.fill(f"{form} textarea[name=reason]", "与其他任务重复")
    page.click(f"{form} button[type=submit]")  # asked, and declined: nothing is sent
    page.wait_for_timeout(300)
    assert len(dialogs) == 1 and "撤销" in dialogs[0]
    assert len(posts) == 1
    context.close()
