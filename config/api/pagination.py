"""Cursor pagination for every list: stable under inserts, one query per page."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination


class NewestFirstCursorPagination(CursorPagination):
    """Newest first; a client may ask for `page_size` up to 100."""

    ordering = ("-created_at", "-id")
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        """The `page_size` asked for, at most `max_page_size`; anything but a positive whole
        number is a 400 naming it (DRF would silently fall back to the default)."""
        text = request.query_params.get(self.page_size_query_param)
        if not text:  # not sent, or sent empty: as every query parameter, the same
            return self.page_size
        if not (text.isascii() and text.isdigit() and int(text) > 0):
            raise ValidationError({self.page_size_query_param: [_("应为正整数。")]})
        return min(int(text), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = (
                    f"Rows per page, 1 or more; more than {self.max_page_size} "
                    f"gives {self.max_page_size}. Default {self.page_size}."
                )
        return parameters


class OldestFirstCursorPagination(NewestFirstCursorPagination):
    """In the order rows were written: timelines, reference lists."""

    ordering = ("id",)


class NewestIdFirstCursorPagination(NewestFirstCursorPagination):
    ordering = ("-id",)


class ListedFirstCursorPagination(NewestFirstCursorPagination):
    """Newest first by `listed_at`, an alias the queryset defines as its rows' `created_at` or
    a copy of it in a joined table whose index serves the order (`Case.objects.listed_for`).
    The cursor's position is read from the row's `created_at`: the same value."""

    ordering = ("-listed_at", "-id")

    def _get_position_from_instance(self, instance, ordering):
        return super()._get_position_from_instance(instance, ("created_at",))
