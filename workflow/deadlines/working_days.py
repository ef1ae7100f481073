"""Working days (工作日): the chinese-calendar package, then the admin calendar, then weekends.

The admin calendar (``CalendarDay``) overrides the package. For a date neither knows (the
package covers up to its last published year), weekends alone decide, a warning is logged and
the result is flagged as a *calendar gap* so clocks can show it. Nothing here raises for a date
outside the package's range.
"""

import datetime
import logging
from functools import lru_cache

import chinese_calendar

logger = logging.getLogger(__name__)

ONE_DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=64)
def _package_year_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class WorkingCalendar:
    """Answers working-day questions; loads the admin entries once per instance."""

    def __init__(self, overrides: dict[datetime.date, bool] | None = None):
        if overrides is None:
            from workflow.deadlines.calendar import CalendarDay

            overrides = {
                day: kind == CalendarDay.Kind.WORKDAY
                for day, kind in CalendarDay.objects.values_list("date", "kind")
            }
        self.overrides = overrides
        self.admin_years = {day.year for day in overrides}
        self.gap_years: set[int] = set()

    def year_covered(self, year: int) -> bool:
        """Whether the package or the admin calendar knows this year's holidays."""
        return _package_year_known(year) or year in self.admin_years

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if _package_year_known(day.year):
            return chinese_calendar.is_workday(day)
        if day.year not in self.admin_years and day.year not in self.gap_years:
            self.gap_years.add(day.year)
            logger.warning(
                "No holiday calendar for %s: counting weekends only; "
                "enter the year's holidays in the admin (工作日历).",
                day.year,
            )
        return day.weekday() < 5

    @property
    def calendar_gap(self) -> bool:
        """Whether a computation so far fell into a year nobody knows the holidays of."""
        return bool(self.gap_years)

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
        day = start
        remaining = days
        while remaining > 0:
            day += ONE_DAY
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days in (start, end]; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


def is_working_day(day: datetime.date) -> bool:
    return WorkingCalendar().is_working_day(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    return WorkingCalendar().add_working_days(start, days)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    return WorkingCalendar().working_days_between(start, end)
