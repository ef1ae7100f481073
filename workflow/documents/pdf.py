"""The issued documents as PDF (ReportLab): the minutes of a joint session and a case's
implementation rules, laid out as an official document (公文): the issuing office's red header,
the document number (文号), the title, the body, and the signature block with the date of issue.

Chinese is set in ReportLab's built-in CID font STSong-Light (Adobe's Song typeface, which PDF
readers carry), so nothing beyond the Python package is installed. The documents are issued in
Chinese, whatever the reader's language: they are the office's record.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

FONT = "STSong-Light"
RED = colors.HexColor("#c00000")

pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _style(name, size, *, leading=None, align=0, color=colors.black, before=0, after=0):
    return ParagraphStyle(
        name,
        fontName=FONT,
        fontSize=size,
        leading=leading or size * 1.6,
        alignment=align,
        textColor=color,
        spaceBefore=before,
        spaceAfter=after,
        wordWrap="CJK",  # break lines between any two Chinese characters
    )


HEADER = _style("header", 26, align=TA_CENTER, color=RED, after=4)
NUMBER = _style("number", 14, align=TA_CENTER, after=2)
TITLE = _style("title", 18, align=TA_CENTER, before=14, after=12)
HEADING = _style("heading", 13, before=8, after=4)
BODY = _style("body", 11.5)
CELL = _style("cell", 10, leading=15)
SIGN = _style("sign", 12, align=TA_RIGHT)


def _p(text, style=BODY):
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_datetime(moment) -> str:
    local = timezone.localtime(moment)
    return f"{chinese_date(local)} {local:%H:%M}"


def _table(header, rows, widths):
    data = [[_p(cell, CELL) for cell in header]]
    data += [[_p(cell, CELL) for cell in row] for row in rows] or [
        [_p("—", CELL)] + [""] * (len(header) - 1)
    ]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _page_number(canvas, doc):
    canvas.saveState()
    canvas.setFont(FONT, 10)
    canvas.drawCentredString(A4[0] / 2, 12 * mm, f"— {doc.page} —")
    canvas.restoreState()


def _render(document, title, body, signer) -> bytes:
    """The common frame: header, number, red rule, title, body, signature block."""
    buffer = BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=22 * mm,
        bottomMargin=22 * mm,
        title=title,
        author=document.office.name,
        subject=document.number,
    )
    story = [
        _p(document.office.name, HEADER),
        _p(document.number, NUMBER),
        HRFlowable(width="100%", thickness=2, color=RED, spaceBefore=2, spaceAfter=6),
        _p(title, TITLE),
        *body,
        Spacer(1, 14 * mm),
        KeepTogether(
            [
                _p(f"签发人：{signer}", SIGN),
                Spacer(1, 3 * mm),
                _p(document.office.name, SIGN),
                _p(chinese_date(document.issued_on), SIGN),
            ]
        ),
    ]
    pdf.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()


def minutes_pdf(document, minutes) -> bytes:
    """会议纪要: the session's facts, agenda, attendance, opinions and resolution."""
    session = minutes.session
    width = A4[0] - 50 * mm
    place = session.place or session.video_link or "—"
    body = [
        _p(f"会议名称：{session.title}"),
        _p(f"诉求事项：{session.case.reference} {session.case.title}"),
        _p(f"会议时间：{chinese_datetime(session.scheduled_at)}"),
        _p(f"会议地点：{place}"),
        _p(f"召集人：{session.convener}"),
        _p("一、议程", HEADING),
        *[_p(f"{n}. {line}") for n, line in enumerate(minutes.agenda, 1)],
        _p("二、出席情况", HEADING),
        _table(
            ["参会方", "参会身份", "必须到会", "出席"],
            [
                [
                    p.display_name,
                    p.get_capacity_display(),
                    "是" if p.required else "否",
                    p.get_attendance_display(),
                ]
                for p in minutes.participants
            ],
            [width * 0.4, width * 0.2, width * 0.2, width * 0.2],
        ),
        _p("三、各方意见", HEADING),
        _table(
            ["参会方", "意见", "理由"],
            [[str(o.participant), o.get_stance_display(), o.reasons] for o in minutes.opinions],
            [width * 0.3, width * 0.2, width * 0.5],
        ),
        _p("四、决议", HEADING),
    ]
    resolution = minutes.resolution
    if resolution is not None:
        organisations = "、".join(o.name for o in resolution.responsible_organisations.all())
        body += [
            _p(resolution.summary),
            _p(f"法律依据：{resolution.legal_basis or '—'}"),
            _p(f"责任单位：{organisations or '—'}"),
        ]
    elif session.status == "adjourned":
        body.append(_p(f"本次会议休会，未形成决议。{session.outcome_reason}"))
    else:
        body.append(_p("尚未形成决议。"))
    return _render(document, f"关于“{session.case.title}”的审联体会议纪要", body, session.convener)


def rules_pdf(document, case, rule_items, basis=None) -> bytes:
    """实施细则: the numbered items, each with its owner, deliverable and due date."""
    width = A4[0] - 50 * mm
    intro = "为落实审联体会议决议，经领导签批，制定本实施细则。各责任单位按期办结，并上传办结材料。"
    if basis is not None:
        intro = f"根据审联体会议“{basis.title}”形成的决议，经领导签批，制定本实施细则。" + (
            "各责任单位按期办结，并上传办结材料。"
        )
    body = [
        _p(f"诉求事项：{case.reference} {case.title}"),
        _p(f"诉求企业：{case.enterprise.name}"),
        Spacer(1, 3 * mm),
        _p(intro),
        Spacer(1, 3 * mm),
        _table(
            ["序号", "事项", "责任单位", "交付成果", "完成期限"],
            [
                [
                    str(item.number) + (f"（第{item.version}版）" if item.version > 1 else ""),
                    item.title,
                    item.owner.name,
                    item.deliverable or "—",
                    chinese_date(item.due_date),
                ]
                for item in rule_items
            ],
            [width * 0.1, width * 0.28, width * 0.2, width * 0.24, width * 0.18],
        ),
    ]
    signer = document.issued_by or "—"
    return _render(document, f"关于“{case.title}”的实施细则", body, signer)
