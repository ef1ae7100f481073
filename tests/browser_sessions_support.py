"""Helpers of the joint session role walk (tests/test_walk_sessions.py)."""

from datetime import timedelta

from django.utils import timezone

from tests.test_browser import in_thread, shoot

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def upload(page, name):
    """The enterprise attaches a PDF to its case from the case page."""
    form = page.locator("form[action$='/attachments/']")
    form.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": PDF}
    )
    form.locator("button[type=submit]").click()
    page.locator("[data-live=attachments]", has_text=name).wait_for()


def local_input(moment) -> str:
    """A datetime-local value in the site's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def tomorrow_morning() -> str:
    when = timezone.localtime() + timedelta(days=1)
    return local_input(when.replace(hour=9, minute=30, second=0, microsecond=0))


def meeting_time_comes(title):
    """Time passes: the session titled `title` is due a minute ago (it could only be
    scheduled ahead), so it may start and conclude."""

    def work():
        from workflow.sessions.models import JointSession

        JointSession.objects.filter(title=title).exclude(
            status__in=["concluded", "adjourned", "cancelled"]
        ).update(scheduled_at=timezone.now() - timedelta(minutes=1))

    in_thread(work)


def fits(page, label):
    """Nothing scrolls sideways."""
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{label}: {width[0]} px wide in a {width[1]} px window"


def shoot_everywhere(page, name, url=None):
    """The page at 1280 and 390 px, in Chinese and English: no sideways scroll, no Chinese in
    the English page's own labels; a screenshot of each. Leaves the page in Chinese at 1280."""
    url = url or page.url
    for language in ("zh-hans", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": page.site}])
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 860})
            page.goto(url)
            fits(page, f"{name} {language} {width}")
            shoot(page, f"{name}-{language}-{width}")
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": page.site}])
    page.set_viewport_size({"width": 1280, "height": 860})
    page.goto(url)
