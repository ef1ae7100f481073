"""The case timeline in a real browser: a session's events fold and unfold without script,
an unfolded group stays open when a live update refreshes the timeline, and nothing scrolls
sideways on a phone, in Chinese or English."""

import pytest

from tests.test_browser import (  # noqa: F401 (fixtures)
    CHROMIUM,
    browser,
    in_thread,
    server,
    shoot,
    sign_in,
    site,
)

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_session_fold_opens_and_stays_open_across_a_live_update(sign_in):  # noqa: F811
    from cases.models import Case
    from workflow.demo import REFERENCE_TITLE

    coordinator = sign_in("coordinator")
    found = {}
    in_thread(lambda: found.update(pk=Case.objects.get(title=REFERENCE_TITLE).pk))
    case_id = found["pk"]
    coordinator.goto(f"{coordinator.site}/cases/{case_id}/")
    fold = coordinator.locator("details.tl-fold").first
    invited = fold.locator("li.tl-line", has_text="邀请了参会方").first
    assert not invited.is_visible()  # folded by default
    fold.locator("summary").click()
    invited.wait_for()

    # A colleague posts an internal comment from the comment form: the event reaches the open
    # page through the server's own channel layer.
    colleague = sign_in("office_leader")
    colleague.goto(f"{colleague.site}/cases/{case_id}/")
    form = colleague.locator("form[action$='/comments/']")
    form.locator("[name=body]").fill("会前请核对红线图")
    visibility = form.locator("[name=visibility]")
    if visibility.first.evaluate("e => e.tagName") == "SELECT":
        visibility.select_option("internal")
    else:
        form.locator("[name=visibility][value=internal]").check()
    form.locator("button[type=submit]").click()
    line = coordinator.locator("#timeline li.tl-internal", has_text="会前请核对红线图")
    line.wait_for(timeout=30_000)
    assert line.locator(".tl-badge-internal").inner_text() == "内部"
    assert coordinator.locator("details.tl-fold").first.get_attribute("open") is not None

    for language in ("zh-hans", "en"):
        coordinator.context.add_cookies(
            [{"name": "django_language", "value": language, "url": coordinator.site}]
        )
        coordinator.set_viewport_size({"width": 390, "height": 860})
        coordinator.goto(f"{coordinator.site}/cases/{case_id}/?timeline=session")
        assert coordinator.locator("details.tl-fold[open]").count() == 1
        width = coordinator.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert width[0] <= width[1], width
        shoot(coordinator, f"case-timeline-390-{language}")
