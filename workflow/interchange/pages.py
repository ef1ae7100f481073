"""The coordinator's Open311 switch on the case page: list a case publicly, or take it off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflow.casefile.pages import case_or_404
from workflow.interchange.services import case_publish, case_unpublish
from workflow.pages import transitions


@login_required
@require_POST
def case_open311(request, pk):
    case = case_or_404(request, pk)
    publish = request.POST.get("public") == "1"
    service = case_publish if publish else case_unpublish
    errors = transitions.call(service, {"case": case, "by": request.user})
    if errors:
        for lines in errors.values():
            for line in lines:
                messages.error(request, line)
    elif publish:
        messages.success(request, _("已在 Open311 公开该诉求事项的办理状态。"))
    else:
        messages.success(request, _("已取消在 Open311 公开。"))
    return redirect("pages:case-detail", pk=pk)
