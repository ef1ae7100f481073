"""Working days for generated data: one table of the window's dates, built once per load.

The app's ``WorkingCalendar`` walks one date at a time; a million cases with several clocks
each would call it tens of millions of times. Here the same calendar (chinese_calendar, then the
administrator's entries, then weekends) is asked once per date of the load's window, and every
later question is an index lookup into working-day ordinals.
"""

import datetime

from workflow.deadlines.working_days import WorkingCalendar

ONE_DAY = datetime.timedelta(days=1)


class DayTable:
    """The dates from ``first`` to ``last`` with their working-day ordinals."""

    def __init__(self, first: datetime.date, last: datetime.date):
        calendar = WorkingCalendar()
        self.first = first
        self.days = []  # offset -> date
        self.ordinal = []  # offset -> working days in (first, date]
        self.working_offsets = []  # k -> offset of the (k+1)-th working day after first
        count = 0
        day = first
        offset = 0
        while day <= last:
            if offset and calendar.is_working_day(day):
                count += 1
                self.working_offsets.append(offset)
            self.days.append(day)
            self.ordinal.append(count)
            day += ONE_DAY
            offset += 1
        self.is_working = [
            offset > 0 and self.ordinal[offset] != self.ordinal[offset - 1]
            for offset in range(len(self.days))
        ]
        self.uncovered_years = {
            year for year in range(first.year, last.year + 1) if not calendar.year_covered(year)
        }

    def offset(self, day: datetime.date) -> int:
        return (day - self.first).days

    def add(self, offset: int, days: int) -> int:
        """The offset ``days`` working days after ``offset`` (itself not counted)."""
        index = self.ordinal[offset] + days - 1
        if index >= len(self.working_offsets):
            return len(self.days) - 1
        return self.working_offsets[index] if days > 0 else offset

    def between(self, start: int, end: int) -> int:
        """Working days in (start, end], negative when end is before start."""
        return self.ordinal[end] - self.ordinal[start]

    def next_working(self, offset: int) -> int:
        """The offset itself when it is a working day, else the next working day."""
        while offset < len(self.days) - 1 and not self.is_working[offset]:
            offset += 1
        return offset

    def gap(self, *offsets: int) -> bool:
        """Whether a computation over these dates falls into a year without holiday data."""
        return any(self.days[o].year in self.uncovered_years for o in offsets)
