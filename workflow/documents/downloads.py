"""The PDF of an issued document as an HTTP answer, shared by the pages and the API."""

from django.http import HttpResponse
from django.utils import translation

from workflow.documents import pdf
from workflow.documents.services import minutes_document, rules_document
from workflow.sessions.minutes import session_minutes


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    # RFC 6266: an ASCII fallback and the UTF-8 name.
    from urllib.parse import quote

    response["Content-Disposition"] = (
        f'attachment; filename="{filename.encode("ascii", "ignore").decode() or "document"}.pdf"; '
        f"filename*=UTF-8''{quote(filename)}.pdf"
    )
    return response


def minutes_pdf_response(session) -> HttpResponse:
    document = minutes_document(session=session)
    with translation.override("zh-hans"):
        content = pdf.minutes_pdf(document, session_minutes(session))
    return _pdf_response(content, f"minutes-{session.pk}-{document.year}-{document.serial}")


def rules_pdf_response(case) -> HttpResponse:
    document = rules_document(case)
    items = case.rule_items.filter(published_at__isnull=False).select_related("owner")
    basis = case.sessions.filter(status="concluded").order_by("-scheduled_at").first()
    with translation.override("zh-hans"):
        content = pdf.rules_pdf(document, case, list(items), basis=basis)
    return _pdf_response(content, f"rules-{case.pk}-{document.year}-{document.serial}")
