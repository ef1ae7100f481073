"""The working calendar (工作日历) kept from its page: who may, a year's entries and its warning,
adding, editing and deleting a day (wrong and right), importing a year from chinese-calendar,
and the process's working-day table following every edit at once."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry

from tests import factories
from workflow.deadlines.calendar import CalendarDay
from workflow.deadlines.working_days import WorkingCalendar, is_working_day, package_years

PAGE = "/reference/calendar/"
# A Wednesday in a year the package does not know, and a Saturday of the same year.
GAP_WEDNESDAY = datetime.date(package_years().stop, 1, 6)
GAP_SATURDAY = datetime.date(package_years().stop, 1, 9)
LAST_PACKAGE_YEAR = package_years().stop - 1


@pytest.fixture(autouse=True)
def _today(settings):
    """The last year the package knows: the coming year has no holiday data."""
    settings.SHENLIANTI_TODAY = f"{LAST_PACKAGE_YEAR}-12-01"


@pytest.fixture
def admin_user(db):
    return factories.user("admin", None, is_staff=True, is_superuser=True)


def test_only_the_office_leader_and_the_administrator_keep_the_calendar(
    as_user, client, office_leader, admin_user, coordinator, department_leader, enterprise_user
):
    assert client.get(PAGE).status_code == 302  # to the sign-in page
    for person in (coordinator, department_leader, enterprise_user):
        assert as_user(person).get(PAGE).status_code == 403
        assert (
            as_user(person).post(PAGE, {"date": "2030-01-02", "kind": "holiday"}).status_code == 403
        )
    assert not CalendarDay.objects.exists()
    assert as_user(office_leader).get(PAGE).status_code == 200
    assert as_user(admin_user).get(PAGE).status_code == 200


def test_the_page_opens_on_the_coming_year_and_warns_it_has_no_data(as_user, office_leader):
    body = as_user(office_leader).get(PAGE).content.decode()
    assert f"{LAST_PACKAGE_YEAR + 1} 年还没有节假日数据" in body
    assert "只按周末计算" in body
    assert "从内置数据导入" not in body  # the package does not have that year


def test_entering_a_holiday_makes_the_day_a_day_off_at_once(as_user, office_leader):
    assert is_working_day(GAP_WEDNESDAY)  # the table of this process is built now
    response = as_user(office_leader).post(
        f"{PAGE}?year={GAP_WEDNESDAY.year}",
        {"date": GAP_WEDNESDAY.isoformat(), "kind": "holiday", "note": "元旦"},
    )
    assert response.status_code == 302
    assert not is_working_day(GAP_WEDNESDAY)
    assert WorkingCalendar().year_covered(GAP_WEDNESDAY.year)
    entry = LogEntry.objects.get()
    assert entry.user == office_leader and entry.is_addition()
    body = as_user(office_leader).get(PAGE, {"year": GAP_WEDNESDAY.year}).content.decode()
    assert "元旦" in body and "还没有节假日数据" not in body


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"date": "", "kind": "holiday"}, "date", "该字段是必填项"),
        ({"date": "2030-02-30", "kind": "holiday"}, "date", "输入一个有效的日期"),
        ({"date": "1999-01-01", "kind": "holiday"}, "date", "2000 至 2100"),
        (
            {"date": GAP_WEDNESDAY.isoformat(), "kind": "workday"},
            "kind",
            "调休工作日应是周六或周日",
        ),
        ({"date": GAP_WEDNESDAY.isoformat(), "kind": "nonsense"}, "kind", "选择一个有效的选项"),
    ],
)
def test_a_wrong_day_is_refused_beside_its_field(as_user, office_leader, data, field, message):
    response = as_user(office_leader).post(PAGE, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not CalendarDay.objects.exists() and not LogEntry.objects.exists()


def test_a_date_entered_twice_is_refused(as_user, office_leader):
    CalendarDay.objects.create(date=GAP_WEDNESDAY, kind="holiday")
    response = as_user(office_leader).post(
        PAGE, {"date": GAP_WEDNESDAY.isoformat(), "kind": "holiday"}
    )
    assert response.status_code == 400
    assert "已有记录，请修改那一条" in response.content.decode()
    assert CalendarDay.objects.count() == 1


def test_editing_and_deleting_a_day_move_the_calendar(as_user, office_leader):
    day = CalendarDay.objects.create(date=GAP_SATURDAY, kind="workday", note="调休")
    assert is_working_day(GAP_SATURDAY)
    wrong = as_user(office_leader).post(
        f"{PAGE}{day.pk}/", {"date": GAP_WEDNESDAY.isoformat(), "kind": "workday"}
    )
    assert wrong.status_code == 400
    right = as_user(office_leader).post(
        f"{PAGE}{day.pk}/", {"date": GAP_SATURDAY.isoformat(), "kind": "holiday", "note": "假日"}
    )
    assert right.status_code == 302
    assert not is_working_day(GAP_SATURDAY)
    assert as_user(office_leader).post(f"{PAGE}{day.pk}/delete/").status_code == 302
    assert not CalendarDay.objects.exists()
    assert not is_working_day(GAP_SATURDAY)  # a Saturday again, by the weekend rule
    assert is_working_day(GAP_WEDNESDAY)
    kinds = [entry.action_flag for entry in LogEntry.objects.order_by("id")]
    assert kinds == [2, 3]  # changed, deleted (the first day was made without the page)


def test_importing_a_year_the_package_knows(as_user, office_leader):
    year = LAST_PACKAGE_YEAR
    body = as_user(office_leader).get(PAGE, {"year": year}).content.decode()
    assert f"从内置数据导入 {year} 年" in body
    spring = datetime.date(year, 1, 1)  # New Year's Day is always in the package's holidays
    WorkingCalendar()  # a table is built before the import
    response = as_user(office_leader).post(f"{PAGE}import/", {"year": year})
    assert response.status_code == 302
    imported = CalendarDay.objects.filter(date__year=year)
    assert imported.filter(date=spring, kind="holiday", note="元旦").exists()
    assert imported.filter(kind="workday").exists()
    assert LogEntry.objects.filter(user=office_leader).count() == imported.count()
    assert not is_working_day(spring)
    again = as_user(office_leader).post(f"{PAGE}import/", {"year": year}, follow=True)
    assert f"导入 {year} 年的 0 天" in again.content.decode()
    assert CalendarDay.objects.filter(date__year=year).count() == imported.count()


def test_importing_a_year_the_package_does_not_know_says_so(as_user, office_leader):
    year = LAST_PACKAGE_YEAR + 1
    response = as_user(office_leader).post(f"{PAGE}import/", {"year": year}, follow=True)
    assert f"内置数据没有 {year} 年" in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_an_import_has_the_process_and_the_clocks_follow_it(as_user, office_leader, monkeypatch):
    """The import writes many days at once (no save signal per day): it still drops this
    process's table and moves the open clocks' yellow days, once, as one day's save does."""
    from workflow.deadlines import services

    calls = []
    monkeypatch.setattr(services, "calendar_edited", lambda: calls.append("table"))
    monkeypatch.setattr(services, "refresh_yellow_dates", lambda: calls.append("clocks"))
    as_user(office_leader).post(f"{PAGE}import/", {"year": LAST_PACKAGE_YEAR})
    assert calls == ["table", "clocks"]
