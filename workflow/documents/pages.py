"""Download links of the issued documents on the minutes page and the case's rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from config.fsm import Conflict
from workflow.casefile.pages import case_or_404
from workflow.documents.downloads import minutes_pdf_response, rules_pdf_response
from workflow.sessions.pages import _session_or_404


def _or_back(request, build, back, pk):
    """The PDF, or back to the page with the reason when it cannot be issued yet."""
    try:
        return build()
    except Conflict as conflict:
        messages.error(request, conflict.message)
        return redirect(back, pk=pk)


@login_required
def rules_pdf(request, pk):
    case = case_or_404(request, pk)
    return _or_back(request, lambda: rules_pdf_response(case), "pages:case-detail", pk)


@login_required
def minutes_pdf(request, pk):
    session = _session_or_404(request, pk)
    return _or_back(request, lambda: minutes_pdf_response(session), "pages:session-minutes", pk)
