"""Working days (工作日): the admin calendar, then the chinese-calendar package, then weekends.

The admin calendar (``CalendarDay``) overrides the package. For a date neither knows (the
package covers up to its last published year), weekends alone decide, a warning is logged and
the result is flagged as a *calendar gap* so clocks can show it. Nothing here raises for a date
outside the package's range.

Nothing walks from day to day either: every answer comes from a working-day *ordinal*, the
number of working days from the start of the supported range (the package's years and the admin
calendar's) through a date. Whether a day works, how many working days lie between two dates and
which date is N working days later are lookups in one table; beyond the range the ordinal goes
on by weekday arithmetic. The table is built once per process and rebuilt only when the admin
calendar changes (``calendar_table``).
"""

import datetime
import logging
import threading
import time
from array import array
from functools import lru_cache

import chinese_calendar
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from config import timesource

logger = logging.getLogger(__name__)

ONE_DAY = datetime.timedelta(days=1)


def _weekdays_through(day: datetime.date) -> int:
    """Mondays to Fridays from 1 January of year 1 (a Monday) through ``day``."""
    weeks, rest = divmod(day.toordinal() - 1, 7)
    return 5 * weeks + min(rest + 1, 5)


def _weekday_numbered(number: int) -> datetime.date:
    """The weekday on which ``_weekdays_through`` reaches ``number``."""
    weeks, rest = divmod(number - 1, 5)
    return datetime.date.fromordinal(1 + 7 * weeks + rest)


@lru_cache(maxsize=1)
def package_years() -> range:
    """The years chinese-calendar holds the State Council's holidays for (its own range check)."""
    days = chinese_calendar.holidays.keys()
    return range(min(days).year, max(days).year + 1)


def _package_works(day: datetime.date) -> bool:
    # chinese_calendar.is_workday's rule, read from its tables directly: the function itself
    # recomputes min() and max() over every holiday at each call to check its range.
    return day in chinese_calendar.workdays or (
        day.weekday() < 5 and day not in chinese_calendar.holidays
    )


class CalendarTable:
    """Working-day ordinals over the supported range, for one set of admin entries."""

    def __init__(self, overrides: dict[datetime.date, bool]):
        self.overrides = dict(overrides)
        self.admin_years = frozenset(day.year for day in self.overrides)
        known = package_years()
        self.covered_years = frozenset(known) | self.admin_years
        self.first = datetime.date(min([known.start, *self.admin_years]), 1, 1)
        self.last = datetime.date(max([known.stop - 1, *self.admin_years]), 12, 31)
        self._ordinals = array("l")  # working days in [first, first + i], for each i
        self._working: list[datetime.date] = []  # the working days in order, by ordinal - 1
        day = self.first
        while day <= self.last:
            if day in self.overrides:
                works = self.overrides[day]
            elif day.year in known:
                works = _package_works(day)
            else:
                works = day.weekday() < 5
            if works:
                self._working.append(day)
            self._ordinals.append(len(self._working))
            day += ONE_DAY
        self._before = _weekdays_through(self.first - ONE_DAY)
        self._after = _weekdays_through(self.last)

    def ordinal(self, day: datetime.date) -> int:
        """Working days from the start of the range through ``day`` (negative before it)."""
        index = day.toordinal() - self.first.toordinal()
        if index < 0:
            return _weekdays_through(day) - self._before
        if index >= len(self._ordinals):
            return len(self._working) + _weekdays_through(day) - self._after
        return self._ordinals[index]

    def working_day(self, ordinal: int) -> datetime.date:
        """The working day whose ordinal is ``ordinal``."""
        if ordinal < 1:
            return _weekday_numbered(self._before + ordinal)
        if ordinal <= len(self._working):
            return self._working[ordinal - 1]
        return _weekday_numbered(self._after + ordinal - len(self._working))

    def is_working_day(self, day: datetime.date) -> bool:
        return self.ordinal(day) > self.ordinal(day - ONE_DAY)


class _ProcessCalendar:
    """The process's table and when the admin entries behind it were last compared.

    Correct across processes: an admin edit in another process reaches this one through the
    entries themselves, re-read (one indexed query of a few hundred rows at most) whenever a
    caller needs today's calendar exactly (the scan, a clock starting) and at most every
    ``DISPLAY_MAX_AGE`` seconds for clocks only shown. Comparing the rows, rather than a
    "last changed" stamp, is exact whatever wrote them (admin, shell, loaddata, a rolled-back
    transaction) without a column to keep up to date. The table itself, the costly part, is
    rebuilt only when the entries differ.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.table: CalendarTable | None = None
        self.checked = float("-inf")
        self.unsettled = False  # an admin edit in this process has not committed yet

    def get(self, max_age: float) -> CalendarTable:
        from django.db import connection

        with self.lock:
            if self.unsettled and not connection.in_atomic_block:
                # The edit's transaction has ended, committed or rolled back (which has no
                # signal): compare once more below, then trust the table's age again.
                self.unsettled = False
                self.checked = float("-inf")
            fresh = time.monotonic() - self.checked < max_age and not self.unsettled
            if self.table is not None and fresh:
                return self.table
            overrides = admin_entries()
            if self.table is None or self.table.overrides != overrides:
                self.table = CalendarTable(overrides)
            self.checked = time.monotonic()
            return self.table

    def edited(self) -> None:
        """The admin calendar changed here: compare again at the next call, whatever its age.

        Until the edit commits, even callers that accept an older calendar compare again, so a
        rolled-back edit (there is no signal for that) is not remembered either."""
        from django.db import transaction

        with self.lock:
            self.checked = float("-inf")
            self.unsettled = True
        transaction.on_commit(self.settled)

    def settled(self) -> None:
        with self.lock:
            self.unsettled = False
            self.checked = float("-inf")


_process_calendar = _ProcessCalendar()

# Clocks only shown (API, pages) may use a calendar this many seconds old after an admin edit in
# another process; anything that decides (the scan, a due date) compares the entries every time.
DISPLAY_MAX_AGE = 60.0


def admin_entries() -> dict[datetime.date, bool]:
    """The admin calendar: date -> whether it is a working day."""
    from workflow.deadlines.calendar import CalendarDay

    return {
        day: kind == CalendarDay.Kind.WORKDAY
        for day, kind in CalendarDay.objects.values_list("date", "kind")
    }


def calendar_table(max_age: float = 0.0) -> CalendarTable:
    """The process's calendar, its admin entries compared if older than ``max_age`` seconds."""
    return _process_calendar.get(max_age)


def calendar_edited() -> None:
    """Called when an admin calendar entry is saved or deleted (``signals``)."""
    _process_calendar.edited()


def forget_calendar() -> None:
    """Drop the process's table, as a new process starts (tests roll the database back)."""
    global _process_calendar
    _process_calendar = _ProcessCalendar()


class WorkingCalendar:
    """Answers working-day questions from the process's table (or one for given overrides).

    An instance is cheap: it holds the shared table and the years its own computations found no
    holiday data for (``calendar_gap``).
    """

    def __init__(
        self,
        overrides: dict[datetime.date, bool] | None = None,
        *,
        table: CalendarTable | None = None,
    ):
        if table is None:
            table = CalendarTable(overrides) if overrides is not None else calendar_table()
        self.table = table
        self.gap_years: set[int] = set()

    @classmethod
    def for_display(cls) -> "WorkingCalendar":
        """A calendar for showing clocks: no query while the process's table is recent."""
        return cls(table=calendar_table(max_age=DISPLAY_MAX_AGE))

    @property
    def overrides(self) -> dict[datetime.date, bool]:
        return self.table.overrides

    @property
    def admin_years(self) -> frozenset[int]:
        return self.table.admin_years

    def year_covered(self, year: int) -> bool:
        """Whether the package or the admin calendar knows this year's holidays."""
        return year in self.table.covered_years

    def _note_gaps(self, first: datetime.date, last: datetime.date) -> None:
        """Flag and log the years of [first, last] nobody knows the holidays of."""
        for year in range(first.year, last.year + 1):
            if year in self.table.covered_years or year in self.gap_years:
                continue
            self.gap_years.add(year)
            logger.warning(
                "No holiday calendar for %s: counting weekends only; "
                "enter the year's holidays at /reference/calendar/ (工作日历).",
                year,
            )

    def is_working_day(self, day: datetime.date) -> bool:
        self._note_gaps(day, day)
        return self.table.is_working_day(day)

    @property
    def calendar_gap(self) -> bool:
        """Whether a computation so far fell into a year nobody knows the holidays of."""
        return bool(self.gap_years)

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
        if days <= 0:
            return start
        day = self.table.working_day(self.table.ordinal(start) + days)
        self._note_gaps(start + ONE_DAY, day)
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days in (start, end]; negative when ``end`` is before ``start``."""
        if start != end:
            self._note_gaps(min(start, end) + ONE_DAY, max(start, end))
        return self.table.ordinal(end) - self.table.ordinal(start)


def is_working_day(day: datetime.date) -> bool:
    return WorkingCalendar().is_working_day(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    return WorkingCalendar().add_working_days(start, days)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    return WorkingCalendar().working_days_between(start, end)


def check_due_date(day: datetime.date, field: str = "due_date") -> datetime.date:
    """A due date someone sets must be a working day after today; else a ValidationError
    naming `field`, so the API answers 400 and a page shows it beside the field."""
    if day <= timesource.today():
        raise ValidationError({field: [_("期限必须是今天以后的日期。")]})
    if not is_working_day(day):
        raise ValidationError(
            {field: [_("%(day)s 不是工作日，请选择工作日。") % {"day": day.isoformat()}]}
        )
    return day
