"""Excel workbooks (openpyxl, write-only) of the league table and the supervision register, with
the filters on screen, Chinese headers and dates.

A write-only workbook keeps no cells in memory: each row goes to a temporary file as it is
appended, the rows come from the database in chunks (`iterator`), and the response streams the
finished file from disk (`FileResponse`), so a long register costs neither memory nor a
request that holds everything at once."""

import datetime
import tempfile

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from cases.models import Category
from config import timesource
from departments.models import Organisation
from workflow.statistics import selectors
from workflow.statistics.filters import Filters

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'
PERIOD_NAMES = {"week": "本周", "month": "本月", "quarter": "本季度", "year": "本年度"}
ROUTE_NAMES = {"direct": "直接交办", "convened": "召集审联体会议"}
TIER_NAMES = {
    "": "无",
    "innovative_sme": "创新型中小企业",
    "specialised_sme": "专精特新中小企业",
    "little_giant": "专精特新“小巨人”",
    "single_champion": "制造业单项冠军",
}
REGISTER_STATE_NAMES = {"answered": "已答复", "late": "逾期未答复", "open": "待答复"}

LEAGUE_HEADERS = [
    ("name", "单位"),
    ("received", "收到任务"),
    ("signed_late", "逾期签收"),
    ("completed_on_time", "按时办结"),
    ("overdue_now", "当前超期"),
    ("returned", "退单"),
    ("extension_requested", "申请延期"),
    ("extension_granted", "同意延期"),
    ("supervised", "收到督办"),
    ("supervision_late", "督办逾期答复"),
    ("median_days", "办理用时中位数（工作日）"),
]
RATE_HEADERS = [("response_items", "响应率（任务签收）"), ("on_time", "按时办结率")]


def _chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def describe(f: Filters, period: str | None = None) -> str:
    """The filters in words, for the workbook's first line (`period` names the span)."""
    period = period or PERIOD_NAMES.get(f.period, "自定义")
    parts = [f"{period}：{_chinese_date(f.start)}至{_chinese_date(f.end)}"]
    if f.category:
        parts.append(f"问题类别：{Category.objects.get(pk=f.category).name}")
    if f.department:
        parts.append(f"单位：{Organisation.objects.get(pk=f.department).name}")
    if f.tier is not None:
        parts.append(f"企业培育层级：{TIER_NAMES[f.tier]}")
    if f.route:
        parts.append(f"办理方式：{ROUTE_NAMES[f.route]}")
    return "；".join(parts)


class Sheet:
    def __init__(self, title: str):
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(title)
        self.bold = Font(bold=True)

    def next_sheet(self, title: str):
        """Write the following rows to a new sheet of the same workbook."""
        self.sheet = self.workbook.create_sheet(title)

    def widths(self, *widths):
        for index, width in enumerate(widths):
            self.sheet.column_dimensions[chr(ord("A") + index)].width = width

    def row(self, values, *, bold=False):
        cells = []
        for value in values:
            cell = WriteOnlyCell(self.sheet, value=value)
            if isinstance(value, datetime.datetime):
                cell.value = timezone.localtime(value).replace(tzinfo=None)
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, datetime.date):
                cell.number_format = DATE_FORMAT
            if bold:
                cell.font = self.bold
            cells.append(cell)
        self.sheet.append(cells)

    def response(self, filename: str) -> FileResponse:
        handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        self.workbook.save(handle)
        handle.seek(0)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=filename,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


def _rate_text(value: dict) -> str:
    if not value["denominator"]:
        return "—"
    return f"{value['numerator']}/{value['denominator']}（{value['percent']}%）"


def league_response(f: Filters, rows: list[dict]) -> FileResponse:
    sheet = Sheet("部门考核")
    sheet.widths(24, *[12] * 10, 20, 20)
    sheet.row(["部门考核排名"], bold=True)
    sheet.row([describe(f)])
    sheet.row([label for _key, label in LEAGUE_HEADERS + RATE_HEADERS], bold=True)
    for row in rows:
        sheet.row(
            [row[key] for key, _label in LEAGUE_HEADERS]
            + [_rate_text(row[key]) for key, _label in RATE_HEADERS]
        )
    return sheet.response(f"部门考核_{f.start:%Y%m%d}-{f.end:%Y%m%d}.xlsx")


def register_response(f: Filters, state: str | None) -> FileResponse:
    sheet = Sheet("督办台账")
    sheet.widths(18, 30, 30, 18, 40, 16, 16, 12, 18, 40)
    sheet.row(["督办台账"], bold=True)
    line = describe(f)
    if state:
        line += f"；状态：{REGISTER_STATE_NAMES[state]}"
    sheet.row([line])
    sheet.row(
        [
            "诉求编号",
            "诉求事项",
            "任务",
            "被督办单位",
            "督办意见",
            "督办时间",
            "答复期限",
            "状态",
            "答复时间",
            "书面答复",
        ],
        bold=True,
    )
    notices = selectors.register(f, state).values_list(
        "case__reference",
        "case__title",
        "action_item__title",
        "owner__name",
        "text",
        "created_at",
        "answer_due",
        "status",
        "answered_at",
        "answer",
    )
    today = timesource.today()
    for row in notices.iterator(chunk_size=2000):
        *first, created, due, status, answered, answer = row
        if status == "answered":
            state_name = "已答复"
            if answered is not None and timezone.localdate(answered) > due:
                state_name = "已答复（逾期）"
        else:
            state_name = REGISTER_STATE_NAMES["late" if due < today else "open"]
        sheet.row([*first, created, due, state_name, answered, answer])
    return sheet.response(f"督办台账_{f.start:%Y%m%d}-{f.end:%Y%m%d}.xlsx")


WEEKLY_FLOW = [
    ("filed", "提交诉求"),
    ("accepted", "受理"),
    ("resolved", "办结"),
    ("closed", "归档"),
    ("rejected", "不予受理"),
    ("withdrawn", "企业撤回"),
]
WEEKLY_SUPERVISION = [
    ("issued", "发出督办通知"),
    ("answered", "收到督办反馈"),
    ("answered_late", "其中逾期反馈"),
]
WEEKLY_SESSIONS = [
    ("held", "召开审联体会议"),
    ("concluded", "其中形成决议"),
    ("adjourned", "其中休会"),
    ("cancelled", "取消会议"),
]
WEEKLY_RATES = [
    ("response_cases", "响应率（诉求受理）"),
    ("response_items", "响应率（任务签收）"),
    ("on_time", "按时办结率"),
    ("resolution", "解决率"),
    ("satisfaction", "满意率"),
]


def week_name(monday: datetime.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}年第{week}周"


def weekly_response(f: Filters, data: dict) -> FileResponse:
    """The weekly report (周报) as a workbook: the figures, the 三率 with their numerators and
    denominators, and the overdue items by organisation."""
    sheet = Sheet("周报")
    sheet.widths(26, 14, 14, 14)
    sheet.row([f"审联体周报 {week_name(f.start)}"], bold=True)
    sheet.row([describe(f, week_name(f.start))])
    sheet.row(["统计期间", f.start, f.end])
    for title, unit, rows, values in (
        ("本周办理量", "件数", WEEKLY_FLOW, data["flow"]),
        ("督办", "件数", WEEKLY_SUPERVISION, data["supervision"]),
        ("审联体会议", "场次", WEEKLY_SESSIONS, data["sessions"]),
    ):
        sheet.row([])
        sheet.row([title, unit], bold=True)
        for key, label in rows:
            sheet.row([label, values[key]])
    sheet.row([])
    sheet.row(["三率", "分子", "分母", "比率（%）"], bold=True)
    for key, label in WEEKLY_RATES:
        value = data["rates"][key]
        sheet.row([label, value["numerator"], value["denominator"], value["percent"]])
    sheet.row(["企业逾期未确认（不计入满意率）", data["rates"]["satisfaction_apart"]["unanswered"]])

    sheet.next_sheet("超期任务")
    sheet.widths(26, 14, 16, 16)
    sheet.row([f"各单位超期任务 {week_name(f.start)}"], bold=True)
    sheet.row(["单位", "本周到期", "其中逾期", "周末仍超期"], bold=True)
    for row in data["overdue_by_department"]:
        sheet.row([row["name"], row["due"], row["late"], row["overdue_at_end"]])
    return sheet.response(f"周报_{f.start:%Y%m%d}-{f.end:%Y%m%d}.xlsx")
