"""The pages under the strict Content-Security-Policy, in Chromium, with DEBUG off: the main
pages of several roles, the API docs and the admin run without a single blocked script, style
or connection, and what used to be inline (the language switch, the print button, the
progress bars) still works. A refused upload says why on the page, in Chinese and English.

PostgreSQL only, like tests/test_browser.py, whose live server and signed-in pages it uses
(`sign_in` fails a test on any violation).
"""

import pytest

from tests import test_browser as live
from tests.test_uploads import zip_bomb  # noqa: F401 (fixture)

pytestmark = live.pytestmark
server, site, browser, sign_in = live.server, live.site, live.browser, live.sign_in
shoot = live.shoot


@pytest.fixture
def demo(server):
    """Addresses of the demo's pages, read before the browser starts (no ORM beside it)."""
    from cases.models import Case
    from workflow.items.models import ActionItem
    from workflow.sessions.models import JointSession

    case = Case.objects.filter(action_items__isnull=False).order_by("pk").first()
    mine = Case.objects.filter(filed_by__username="enterprise").order_by("pk")
    enterprise_case = mine.filter(status="implementing").first() or mine.first()
    return {
        "case": f"/cases/{case.pk}/",
        "enterprise_case": f"/cases/{enterprise_case.pk}/",
        "item": f"/items/{ActionItem.objects.order_by('pk').first().pk}/",
        "session": f"/sessions/{JointSession.objects.order_by('pk').first().pk}/",
    }


def visit(page, path):
    response = page.goto(page.site + path)
    assert response.status == 200, path
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
    return response


def test_main_pages_run_under_the_strict_policy(demo, sign_in):
    coordinator = sign_in("coordinator")
    for path in ["/", "/cases/", demo["case"], "/items/", demo["item"], "/sessions/"]:
        visit(coordinator, path)
    visit(coordinator, demo["session"])
    visit(coordinator, demo["session"] + "minutes/")
    coordinator.wait_for_selector("button[data-print]")
    # The progress bars take their width from data-percent through the stylesheet's object
    # model, not a style attribute.
    visit(coordinator, demo["case"])
    widths = coordinator.eval_on_selector_all(
        ".progress > span[data-percent]",
        "bars => bars.map(b => [b.dataset.percent, b.style.width])",
    )
    assert widths and all(width == f"{percent}%" for percent, width in widths)
    # The API docs (Swagger UI, its script a file of its own) render.
    visit(coordinator, "/api/v1/docs/")
    coordinator.wait_for_selector(".swagger-ui .info .title")
    shoot(coordinator, "policy-api-docs")
    # The language switch sends its form without an inline handler.
    visit(coordinator, "/")
    coordinator.select_option("#language", "en")
    coordinator.wait_for_selector("html[lang=en]")
    assert "Triage queue" in coordinator.locator("header.site").inner_text()
    coordinator.select_option("#language", "zh-hans")
    coordinator.wait_for_selector("html[lang=zh-hans]")
    # The watch itself: an inline script is refused, and the refusal is reported.
    assert not coordinator.policy_violations
    coordinator.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = 1'; document.body.append(s); }"
    )
    coordinator.wait_for_timeout(500)
    assert coordinator.evaluate("() => window.ran") is None
    assert any("script-src" in v for v in coordinator.policy_violations)
    coordinator.policy_violations.clear()

    for username, paths in [
        ("enterprise", ["/", "/cases/", demo["enterprise_case"], "/cases/new/"]),
        ("zigui", ["/", "/items/", "/sessions/"]),
        ("deputy", ["/", "/sessions/"]),
    ]:
        page = sign_in(username)
        for path in paths:
            visit(page, path)
        page.context.close()

    admin = sign_in("admin")
    for path in ["/admin/", "/admin/cases/case/", "/admin/departments/user/1/change/"]:
        visit(admin, path)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_refused_upload_says_why_on_the_case_page(demo, sign_in, zip_bomb, language):  # noqa: F811
    page = sign_in("enterprise")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.site}])
    visit(page, demo["enterprise_case"])
    form = page.locator("form[action$='/attachments/']")
    form.locator("input[type=file]").set_input_files(
        {"name": "合同.docx", "mimeType": "application/octet-stream", "buffer": zip_bomb}
    )
    form.locator("button[type=submit]").click()
    error = page.locator("form[action$='/attachments/'] .errorlist")
    error.wait_for()
    expected = {
        "zh-hans": "Office 文档解压后超过 200 MB 或含有超过 5000 个部件，不予接受。",
        "en": "The Office document unpacks to more than 200 MB or holds more than 5000 parts",
    }[language]
    assert expected in error.inner_text()
    error.scroll_into_view_if_needed()
    shoot(page, f"upload-refused-{language}")
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    error.scroll_into_view_if_needed()
    page.screenshot(path=str(live.SHOTS / f"upload-refused-{language}-390.png"))
