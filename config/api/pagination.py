"""Cursor pagination for every list: stable under inserts, one query per page."""

from rest_framework.pagination import CursorPagination


class NewestFirstCursorPagination(CursorPagination):
    """Newest first; a client may ask for `page_size` up to 100."""

    ordering = ("-created_at", "-id")
    page_size_query_param = "page_size"
    max_page_size = 100


class OldestFirstCursorPagination(NewestFirstCursorPagination):
    """In the order rows were written: timelines, reference lists."""

    ordering = ("id",)


class NewestIdFirstCursorPagination(NewestFirstCursorPagination):
    ordering = ("-id",)
