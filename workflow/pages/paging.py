"""Pages of a list: the one page size every list page uses, and pages that never count.

A page fetches one row more than it shows to know whether another follows; counting every
visible row for "page n of m" would read a department's hundred thousand cases on each view.
"""

from dataclasses import dataclass

PAGE_SIZE = 20


@dataclass
class Page:
    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


# Beyond any list's end; an offset past it would overflow the database's integer (a 500).
MAX_PAGE = 1_000_000


def page_of(queryset, number) -> Page:
    """Page `number` (1 for anything that is not a positive whole number) of `queryset`."""
    try:
        number = min(max(1, int(number)), MAX_PAGE)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * PAGE_SIZE
    rows = list(queryset[start : start + PAGE_SIZE + 1])
    return Page(rows[:PAGE_SIZE], number, has_next=len(rows) > PAGE_SIZE)
