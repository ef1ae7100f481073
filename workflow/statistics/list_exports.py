"""Excel workbooks of the case list, the action items and the sessions: the rows the list (page
or API) shows for the filters given, as the reader may see them, in the reader's language.

The caller hands over the list's own queryset, already narrowed by visibility (`visible_to`,
`listed_for`) and by the filters on screen, so an export never shows a row the list would not.
Rows are read with `values_list(...).iterator()` in chunks and appended one by one to an
openpyxl write-only sheet, which writes each row to a temporary file at once; the finished
workbook is streamed from disk (`FileResponse`). Neither the rows nor the cells are ever all in
memory. A workbook holds at most `MAX_ROWS` rows; when more match, its last line says so.
"""

import datetime
import tempfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cases.models import Case
from config import timesource
from config.api.rows import choice_labels
from workflow.items.models import ActionItem
from workflow.sessions.models import JointSession

# 100,000 rows take a few seconds to write (docs/performance.md); a longer list is narrowed by
# its filters first. Excel's own limit is 1,048,576.
MAX_ROWS = 100_000
CHUNK = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The API's export endpoints answer with a workbook (their schema says so).
XLSX_RESPONSES = {
    (200, XLSX_TYPE): OpenApiResponse(
        OpenApiTypes.BINARY, description="An Excel workbook (.xlsx) of the list's rows."
    )
}
DATE_FORMATS = {
    "zh": ('yyyy"年"m"月"d"日"', 'yyyy"年"m"月"d"日" hh:mm'),
    "en": ("yyyy-mm-dd", "yyyy-mm-dd hh:mm"),
}


@dataclass(frozen=True)
class Column:
    header: object  # lazily translated
    width: int
    field: str  # read with values_list: a column, a joined one or an annotation
    labels: Callable[[], dict] | None = None  # {code: label} of a choice field


def _date_formats() -> tuple[str, str]:
    language = (translation.get_language() or "zh").split("-")[0]
    return DATE_FORMATS.get(language, DATE_FORMATS["zh"])


class StreamedSheet:
    """A write-only sheet: a title line, a header row, then rows as they come."""

    def __init__(self, title: str, columns: list[Column]):
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(title)
        self.date_format, self.datetime_format = _date_formats()
        self.bold = Font(bold=True)
        for index, column in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = column.width
        self.bold_row([title])
        self.bold_row([str(column.header) for column in columns])

    def bold_row(self, values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(self.sheet, value=value)
            cell.font = self.bold
            cells.append(cell)
        self.sheet.append(cells)

    def row(self, values: Iterable):
        cells = []
        for value in values:
            if isinstance(value, datetime.datetime):
                local = timezone.localtime(value).replace(tzinfo=None)
                cell = WriteOnlyCell(self.sheet, value=local)
                cell.number_format = self.datetime_format
                value = cell
            elif isinstance(value, datetime.date):
                cell = WriteOnlyCell(self.sheet, value=value)
                cell.number_format = self.date_format
                value = cell
            cells.append(value)
        self.sheet.append(cells)

    def response(self, filename: str) -> FileResponse:
        handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        self.workbook.save(handle)
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


@contextmanager
def _long_read(alias: str):
    """An export may read for longer than a request's statement timeout allows
    (`DATABASE_STATEMENT_TIMEOUT_MS`): on PostgreSQL it reads in a transaction of its own with
    `EXPORT_STATEMENT_TIMEOUT_MS` instead, still bounded."""
    connection = connections[alias]
    if connection.vendor != "postgresql" or not settings.DATABASE_STATEMENT_TIMEOUT_MS:
        yield
        return
    with transaction.atomic(using=alias):
        with connection.cursor() as cursor:
            timeout = int(settings.EXPORT_STATEMENT_TIMEOUT_MS)
            cursor.execute(f"SET LOCAL statement_timeout = {timeout}")
        yield


def _write(title: str, columns: list[Column], rows) -> FileResponse:
    """`rows`: a queryset; its values for the columns' fields, written one by one."""
    sheet = StreamedSheet(title, columns)
    fields = [column.field for column in columns]
    labels = [column.labels() if column.labels else None for column in columns]
    # The LIMIT lets the planner read the list's index in order and stop (one row more than is
    # written, to know whether more matched).
    rows = rows.values_list(*fields)[: MAX_ROWS + 1]
    with _long_read(rows.db):
        for written, values in enumerate(rows.iterator(chunk_size=CHUNK)):
            if written == MAX_ROWS:
                line = _("只导出了前 %(count)s 行，请缩小筛选范围后再导出其余的。")
                sheet.bold_row([line % {"count": MAX_ROWS}])
                break
            sheet.row(
                value if names is None else names.get(value, value)
                for value, names in zip(values, labels, strict=True)
            )
    return sheet.response(f"{title}_{timesource.today():%Y%m%d}.xlsx")


def _labels(choices):
    return lambda: choice_labels(choices)


def _first_filled(*fields):
    """The first of `fields` that is neither NULL nor empty (a person without a display name
    shows their username; a category without an English name its Chinese one)."""
    if len(fields) == 1:
        return F(fields[0])
    return Coalesce(*(NullIf(field, Value("")) for field in fields))


def case_columns() -> list[Column]:
    return [
        Column(gettext_lazy("编号"), 16, "reference"),
        Column(gettext_lazy("标题"), 40, "title"),
        Column(gettext_lazy("问题类别"), 16, "category_label"),
        Column(gettext_lazy("诉求企业"), 30, "enterprise__name"),
        Column(gettext_lazy("紧急程度"), 10, "urgency", _labels(Case.Urgency)),
        Column(gettext_lazy("状态"), 14, "status", _labels(Case.Status)),
        Column(gettext_lazy("承办人"), 12, "owner_label"),
        Column(gettext_lazy("涉及项目"), 30, "project_name"),
        Column(gettext_lazy("提交时间"), 20, "submitted_at"),
        Column(gettext_lazy("更新时间"), 20, "updated_at"),
        Column(gettext_lazy("办结时间"), 20, "resolved_at"),
        Column(gettext_lazy("归档时间"), 20, "closed_at"),
        Column(gettext_lazy("评价"), 12, "rating", _labels(Case.Rating)),
    ]


def cases_workbook(cases) -> FileResponse:
    """The case list: `cases` (visible and filtered), in the list's order."""
    category = ("category__name_en",) if translation.get_language() == "en" else ()
    cases = cases.annotate(
        category_label=_first_filled(*category, "category__name"),
        owner_label=_first_filled("owner__display_name", "owner__username"),
    )
    return _write(_("诉求事项列表"), case_columns(), cases)


def item_columns() -> list[Column]:
    return [
        Column(gettext_lazy("诉求编号"), 16, "case__reference"),
        Column(gettext_lazy("诉求事项"), 36, "case__title"),
        Column(pgettext_lazy("导出列", "任务"), 36, "title"),
        Column(gettext_lazy("承办单位"), 24, "owner__name"),
        Column(gettext_lazy("经办人"), 12, "handler_label"),
        Column(gettext_lazy("状态"), 10, "status", _labels(ActionItem.Status)),
        Column(gettext_lazy("办理期限"), 16, "due_date"),
        Column(gettext_lazy("交办时间"), 20, "created_at"),
        Column(gettext_lazy("完成时间"), 20, "completed_at"),
    ]


def items_workbook(items) -> FileResponse:
    """The action items: `items` (listed for the reader and filtered), in the list's order."""
    items = items.annotate(
        handler_label=_first_filled("handler__display_name", "handler__username")
    )
    return _write(_("任务列表"), item_columns(), items)


def session_columns() -> list[Column]:
    return [
        Column(gettext_lazy("会议名称"), 36, "title"),
        Column(gettext_lazy("诉求编号"), 16, "case__reference"),
        Column(gettext_lazy("诉求事项"), 36, "case__title"),
        Column(gettext_lazy("会议时间"), 20, "scheduled_at"),
        Column(gettext_lazy("地点"), 24, "place"),
        Column(gettext_lazy("状态"), 10, "status", _labels(JointSession.Status)),
        Column(gettext_lazy("召集人"), 12, "convener_label"),
    ]


def sessions_workbook(sessions) -> FileResponse:
    """The joint sessions: `sessions` (visible and filtered), in the list's order."""
    sessions = sessions.annotate(
        convener_label=_first_filled("convener__display_name", "convener__username")
    )
    return _write(_("审联体会议列表"), session_columns(), sessions)
