"""What every page shares: the icon, the error pages, the branded admin, the clocks' calendar
warning, the transition forms' own checks, and `make run` serving with DEBUG off."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from departments.models import User
from tests import factories
from workflow.casefile import services as case_services
from workflow.deadlines.working_days import WorkingCalendar
from workflow.items import services as item_services

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.invalid", "pw")


def test_favicon_is_served_and_linked(client, coordinator):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url == "/static/favicon.svg"
    assert finders.find("favicon.svg")
    assert "<svg" in Path(finders.find("favicon.svg")).read_text()
    client.force_login(coordinator)
    assert 'rel="icon" href="/static/favicon.svg"' in client.get("/").content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_admin_is_branded_and_names_every_app_and_model(client, superuser, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(superuser)
    response = client.get("/admin/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Django" not in page.split("<body", 1)[1].split("</header>", 1)[0]
    names = [app["name"] for app in response.context["app_list"]]
    names += [model["name"] for app in response.context["app_list"] for model in app["models"]]
    assert len(names) > 20
    if language == "zh-hans":
        assert "审联体 管理后台" in page
        assert [name for name in names if not CJK.search(str(name))] == []
    else:
        assert "Shenlianti administration" in page
        assert [name for name in names if CJK.search(str(name))] == []


def test_not_found_page_offers_a_way_on(client, coordinator):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "/no-such-page/" in page
    assert 'href="/accounts/login/"' in page  # signed out: sign in
    client.force_login(coordinator)
    page = client.get("/cases/999999/").content.decode()
    assert 'class="button" href="/"' in page and 'href="/cases/"' in page
    assert "Traceback" not in page and "URLconf" not in page


def test_not_found_page_in_english(english, coordinator):
    english.force_login(coordinator)
    page = english.get("/no-such-page/").content.decode()
    assert "Page not found" in page and "My work" in page
    assert not CJK.search(page.split("<main", 1)[1].split("</main>", 1)[0])


@pytest.mark.parametrize(
    ("language", "words"), [("zh-hans", "系统出错了"), ("en", "Something went wrong")]
)
def test_server_error_page_in_the_readers_language(language, words):
    with translation.override(language):
        response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert words in page and 'href="/"' in page
    assert "/static/css/site.css" in page


@pytest.fixture
def assigned(submitted_case, coordinator, zigui_org):
    case = case_services.case_accept(case=submitted_case, by=coordinator)
    item_services.case_assign(
        case=case,
        by=coordinator,
        assignments=[
            {"organisation": zigui_org, "title": "规划审批", "due_date": factories.due_in(20)}
        ],
    )
    return case


def test_clock_in_a_year_without_holidays_warns(client, coordinator, assigned):
    client.force_login(coordinator)
    assert "节假日数据缺失" not in client.get(f"/cases/{assigned.pk}/").content.decode()
    calendar = WorkingCalendar()
    year = next(y for y in range(datetime.date.today().year, 2200) if not calendar.year_covered(y))
    clock = assigned.clocks.get(action_item__isnull=False)
    clock.due = datetime.date(year, 1, 15)
    clock.save(update_fields=["due"])
    page = client.get(f"/cases/{assigned.pk}/").content.decode()
    assert "节假日数据缺失" in page and f"{year} 年的法定节假日尚未录入" in page
    item_page = client.get(f"/items/{clock.action_item_id}/").content.decode()
    assert "节假日数据缺失" in item_page


def test_clock_flagged_when_computed_warns_too(client, coordinator, assigned):
    client.force_login(coordinator)
    assigned.clocks.update(calendar_gap=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/cases/{assigned.pk}/").content.decode()
    assert "No holiday data" in page and "counts weekends only" in page


def test_required_choices_are_required_in_the_form(
    client, coordinator, department_officer, assigned
):
    """The browser checks what it can before the confirmation (pages.js): a required choice
    carries `required`."""
    item = item_services.action_item_return(
        item=assigned.action_items.get(), by=department_officer, reason="不属于本单位职责"
    )
    client.force_login(coordinator)
    page = client.get(f"/items/{item.pk}/").content.decode()
    reassign = page.split("/transitions/reassign/", 1)[1].split("</form>", 1)[0]
    assert re.search(r'<select id="[^"]*-owner" name="owner" required>', reassign)


def test_make_run_serves_with_debug_off_and_a_local_key():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "DEBUG=true" not in run
    assert "$(RUN_ENV)" in run and "runserver" in run
    assert "DEBUG=false" in makefile and ".local/secret_key" in makefile
    assert "/.local/" in (Path(settings.BASE_DIR) / ".gitignore").read_text().split()
