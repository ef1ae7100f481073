"""The precedents on the case page, following one, and the search page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.models import Case
from workflow.casefile.pages import case_or_404
from workflow.pages import transitions
from workflow.pages.paging import page_of
from workflow.precedents import search
from workflow.precedents.models import PrecedentFollow
from workflow.precedents.services import precedent_follow

OVERVIEW_ROWS = 5


@login_required
@require_POST
def follow(request, pk):
    """参照类案: copy a precedent's steps into the draft rules, or pre-fill the 交办 form."""
    if not request.user.is_coordinator:
        raise PermissionDenied(_("只有协调员可以参照类案办理。"))
    case = case_or_404(request, pk)
    raw = request.POST.get("precedent", "")
    precedent = Case.objects.filter(pk=raw).first() if raw.isdigit() and len(raw) < 10 else None
    mode = request.POST.get("mode", "")
    result = {}

    def run(**kwargs):
        result["follow"] = precedent_follow(**kwargs)

    errors = transitions.call(
        run, {"case": case, "precedent": precedent, "by": request.user, "mode": mode}
    )
    url = reverse("pages:case-detail", args=[pk])
    if errors:
        for lines in errors.values():
            for line in lines:
                messages.error(request, line)
        return redirect(url + "#precedents-h")
    followed = result["follow"]
    if followed.mode == PrecedentFollow.Mode.RULES:
        messages.success(
            request,
            _("已参照类案 %(ref)s 添加 %(n)d 条细则草案，请逐条核对后报请签批。")
            % {"ref": followed.precedent.reference, "n": len(followed.steps)},
        )
        return redirect(url + "#rules-h")
    messages.success(
        request,
        _("已按类案 %(ref)s 预填交办，请核对承办单位和期限后确认交办。")
        % {"ref": followed.precedent.reference},
    )
    return redirect(f"{url}?precedent={followed.pk}#wide-h")


@login_required
def search_page(request):
    """站内搜索: every type's first rows, or one type's pages."""
    text = request.GET.get("q", "").replace("\x00", "").strip()[: search.MAX_LENGTH]
    kind = request.GET.get("type", "")
    kind = kind if kind in search.KINDS else ""
    terms = search.terms_of(text)
    context = {"q": text, "type": kind, "kinds": search.KINDS.items(), "sections": [], "page": None}
    if terms and kind:
        page = page_of(search.matching(kind, request.user, terms), request.GET.get("page"))
        page.object_list = [search.hit(kind, row) for row in page.object_list]
        context["page"] = page
    elif terms:
        for name, entry in search.KINDS.items():
            rows = list(search.matching(name, request.user, terms)[: OVERVIEW_ROWS + 1])
            context["sections"].append(
                {
                    "type": name,
                    "label": entry.label,
                    "hits": [search.hit(name, row) for row in rows[:OVERVIEW_ROWS]],
                    "more": len(rows) > OVERVIEW_ROWS,
                }
            )
    return render(request, "pages/search.html", context)
