"""The leaders' pages in Chromium: the office leader opens the board, the league table sorted
and exported to Excel; a department leader sees their own row; both at phone width without
sideways scrolling; the exceptions board, the trends and the weekly report with its workbook.
Screenshots: statistics-board.png, statistics-league.png, statistics-exceptions.png,
statistics-trends.png, statistics-weekly.png."""

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.test_browser import (  # noqa: F401
    CHROMIUM,
    browser,
    in_thread,
    server,
    shoot,
    sign_in,
    site,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def no_sideways_scroll(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_office_leader_reads_the_board_sorts_and_exports_the_league_table(sign_in, tmp_path):  # noqa: F811
    leader = sign_in("office_leader")
    leader.click("header nav >> text=统计")
    leader.wait_for_url("**/statistics/")
    leader.select_option("#f-period", "year")
    leader.click(".stats-filters button[type=submit]")
    leader.wait_for_url("**/statistics/?period=year**")
    rate = leader.locator("[data-rate=response_items]")
    assert "/" in rate.inner_text()  # numerator/denominator, never a bare percentage
    assert leader.locator("text=各单位在办任务").is_visible()
    shoot(leader, "statistics-board")

    leader.click(".stats-tabs >> text=部门考核")
    leader.wait_for_url("**/statistics/league/?period=year**")
    leader.click("table.league th >> text=收到任务")
    leader.wait_for_url("**sort=received**")
    assert leader.locator("table.league th[aria-sort]").inner_text().startswith("收到任务")
    names = leader.locator("table.league tbody tr td:first-child").all_inner_texts()
    assert len(names) >= 2
    shoot(leader, "statistics-league")

    with leader.expect_download() as download:
        leader.click("text=导出 Excel")
    path = tmp_path / "league.xlsx"
    download.value.save_as(path)
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][0] == "部门考核排名" and rows[2][1] == "收到任务"
    assert sorted(row[0] for row in rows[3:]) == sorted(names)

    # The first figure's drill-down lists the items behind it.
    leader.click("table.league tbody tr:first-child td:nth-child(2) a")
    leader.wait_for_url("**/statistics/items/?**measure=received**")
    assert leader.locator("h1").inner_text().startswith("收到的任务")

    leader.set_viewport_size({"width": 390, "height": 844})
    for address in ("/statistics/?period=year", "/statistics/league/?period=year"):
        leader.goto(leader.site + address)
        assert no_sideways_scroll(leader), address


def test_department_leader_sees_their_bureaus_row_and_its_officers(sign_in):  # noqa: F811
    leader = sign_in("zhujian_leader")
    leader.click("header nav >> text=部门考核")
    leader.wait_for_url("**/statistics/league/")
    rows = leader.locator("table.league tbody tr")
    assert rows.count() == 1 and "住房和城乡建设局" in rows.first.inner_text()
    assert leader.locator("text=按经办人").is_visible()
    leader.set_viewport_size({"width": 390, "height": 844})
    assert no_sideways_scroll(leader)


def _block_an_item(blocked: list):
    """A demo item its officer blocks (the demo has none): a row for the exceptions board."""
    from departments.models import User
    from workflow.items import services as item_services
    from workflow.items.models import ActionItem

    item = ActionItem.objects.filter(status="assigned").select_related("owner").first()
    officer = (
        User.objects.filter(organisation=item.owner, is_active=True)
        .exclude(organisation_role="leader")
        .first()
    )
    item_services.action_item_sign(item=item, by=officer)
    item_services.action_item_block(
        item=ActionItem.objects.get(pk=item.pk), by=officer, reason="等待市级部门出具用地意见"
    )
    blocked.append(item.pk)


def test_office_leader_walks_the_exceptions_the_trends_and_the_weekly_report(sign_in, tmp_path):  # noqa: F811
    leader = sign_in("office_leader")
    blocked = []
    in_thread(lambda: _block_an_item(blocked))
    [item] = blocked

    leader.goto(leader.site + "/statistics/")
    leader.click(".stats-tabs >> text=异常事项")
    leader.wait_for_url("**/statistics/exceptions/**")
    assert "1" in leader.locator("[data-kind=blocked_items]").inner_text()
    leader.select_option("#f-category", index=1)  # a category without blocked items
    leader.click(".stats-filters button[type=submit]")
    leader.wait_for_url("**category=**")
    leader.goto(leader.site + "/statistics/exceptions/?kind=nope")  # a kind that is not: 404
    leader.goto(leader.site + "/statistics/exceptions/")
    assert leader.locator("table.exceptions").inner_text().count("等待市级部门出具用地意见") == 1
    shoot(leader, "statistics-exceptions")
    leader.click("table.exceptions >> text=查看并解除受阻")
    leader.wait_for_url(f"**/items/{item}/")

    leader.goto(leader.site + "/statistics/trends/?period=year")
    assert leader.locator("svg.chart").count() == 4
    assert leader.locator("table.trend-table").count() == 4
    assert leader.locator("svg.chart rect[class^=series]").count() >= 1
    shoot(leader, "statistics-trends")

    leader.click(".stats-tabs >> text=周报")
    leader.wait_for_url("**/statistics/weekly/")
    leader.fill("#f-week", "2099-W01")  # a week that has not begun: refused beside the field
    leader.click(".stats-filters button[type=submit]")
    assert leader.locator(".errorlist").inner_text() == "这一周还没有开始。"
    this_week = timezone.localdate().isocalendar()  # the demo's cases were filed this week
    leader.goto(f"{leader.site}/statistics/weekly/?week={this_week[0]}-W{this_week[1]:02d}")
    assert leader.locator("h1").inner_text().startswith("审联体周报")
    assert leader.locator("[data-rate=on_time]").is_visible()
    shoot(leader, "statistics-weekly")
    with leader.expect_download() as download:
        leader.click("text=导出 Excel")
    path = tmp_path / "weekly.xlsx"
    download.value.save_as(path)
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["周报", "超期任务"]
    assert next(book["周报"].iter_rows(values_only=True))[0].startswith("审联体周报")
    leader.emulate_media(media="print")
    assert not leader.locator("form.stats-filters").is_visible()
    assert not leader.locator(".stats-tabs").is_visible()
    leader.emulate_media(media="screen")

    leader.set_viewport_size({"width": 390, "height": 844})
    for address in (
        "/statistics/exceptions/",
        "/statistics/trends/?period=year",
        "/statistics/weekly/",
    ):
        leader.goto(leader.site + address)
        assert no_sideways_scroll(leader), address
