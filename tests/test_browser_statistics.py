"""The leaders' pages in Chromium: the office leader opens the board, the league table sorted
and exported to Excel; a department leader sees their own row; both at phone width without
sideways scrolling. Screenshots: statistics-board.png, statistics-league.png."""

import pytest
from openpyxl import load_workbook

from tests.test_browser import CHROMIUM, browser, server, shoot, sign_in, site  # noqa: F401

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
