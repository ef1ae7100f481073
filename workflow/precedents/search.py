"""Search across everything a person may see (站内搜索): cases, action items, joint sessions,
resolutions and implementation rules, by text.

The same approach as the case search (cases/search.py): a term matches a substring of the
indexed columns; on PostgreSQL trigram indexes serve terms of three characters or more and
bigram indexes two-character terms (the action items: workflow migration 0018). Each type is
read through its own visibility rule and listed newest first, a page at a time.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseInvolvement
from cases.search import Bigrams
from workflow.casefile.selectors import text_search
from workflow.implementation.models import RuleItem
from workflow.items.models import ActionItem
from workflow.sessions.models import JointSession, Resolution, SessionParticipant

MAX_TERMS = 5
MAX_LENGTH = 100
WINDOW = 2000  # rows read by a search of anyone but the office, per type (`_searched`)


@dataclass(frozen=True)
class Kind:
    label: object
    ordering: tuple


KINDS = {
    "case": Kind(_("诉求事项"), ("-created_at", "-id")),
    "action_item": Kind(_("任务"), ("-created_at", "-id")),
    "session": Kind(_("审联体会议"), ("-created_at", "-id")),
    "resolution": Kind(_("决议"), ("-adopted_at", "-id")),
    "rule": Kind(_("实施细则"), ("-created_at", "-id")),
}


def terms_of(text: str) -> list[str]:
    return [t for t in (text or "").replace("\x00", "").split()[:MAX_TERMS] if t]


def _matching(queryset, terms, columns, bigram_columns=()):
    bigrams = connection.vendor == "postgresql" and bool(bigram_columns)
    if bigrams and any(len(term) == 2 for term in terms):
        queryset = queryset.alias(
            **{f"{column}_bigrams": Bigrams(Upper(column)) for column in bigram_columns}
        )
    for term in terms:
        holds = []
        for column in columns:
            if bigrams and len(term) == 2 and column in bigram_columns:
                holds.append(
                    Q(
                        **{
                            f"{column}_bigrams__contains": [term.upper()],
                            f"{column}__icontains": term,
                        }
                    )
                )
            else:
                holds.append(Q(**{f"{column}__icontains": term}))
        queryset = queryset.filter(Q(*holds, _connector=Q.OR))
    return queryset


def _newest_case_ids(user) -> list[int]:
    """The ids of the newest `WINDOW` cases `user` may be involved in or owns: an enterprise's
    own and involved cases are few; anyone else's are read from the involvement indexes, their
    organisation's and their own, newest first. `visible_to` still decides on them."""
    if user.is_enterprise_user:
        visible = Case.objects.visible_to(user).order_by("-created_at", "-id")
        return list(visible.values_list("pk", flat=True)[:WINDOW])
    lookups = [{"person": user.pk}]
    if user.organisation_id:
        lookups.append({"organisation_id": user.organisation_id})
    ids = set()
    for lookup in lookups:
        newest = CaseInvolvement.objects.filter(**lookup).order_by("-case_created_at")
        ids.update(newest.values_list("case_id", flat=True)[:WINDOW])
    return sorted(ids)


def _searched(kind: str, user):
    """What a search of `kind` reads: always within the type's visibility rule.

    The office reads every row, through the text indexes. Anyone else reads the rows of the
    newest `WINDOW` cases they see (a department: its own newest items), fetched by id, then
    tests the text on them: their visibility (an organisation's involvements, a session's
    invitations) and the text cannot be served by one index together, and a rare word tested
    along a department's rows in date order reads the whole table (tens of seconds at a million
    cases; docs/precedents.md)."""
    if user.is_coordinator or user.is_superuser:
        return {
            "case": Case.objects.visible_to(user),
            "action_item": ActionItem.objects.all(),
            "session": JointSession.objects.all(),
            "resolution": Resolution.objects.all(),
            "rule": RuleItem.objects.all(),
        }[kind]
    if kind == "action_item":
        items = ActionItem.objects.listed_for(user).order_by("-created_at", "-id")
        return ActionItem.objects.filter(pk__in=list(items.values_list("pk", flat=True)[:WINDOW]))
    case_ids = _newest_case_ids(user)
    if kind == "case":
        return Case.objects.visible_to(user).filter(pk__in=case_ids)
    if kind == "rule":
        return RuleItem.objects.filter(
            case__in=Case.objects.visible_to(user).filter(pk__in=case_ids)
        )
    invited = Q(person=user) | Q(delegate=user)
    if user.organisation_id:
        invited |= Q(organisation_id=user.organisation_id)
    # JointSession.visible_to's two reasons: invited, or the case is seen (within the window).
    sessions = JointSession.objects.filter(
        Q(case__in=Case.objects.visible_to(user).filter(pk__in=case_ids))
        | Q(pk__in=SessionParticipant.objects.filter(invited).values("session_id"))
    )
    if kind == "session":
        return sessions
    if kind == "resolution":
        return Resolution.objects.filter(session__in=sessions)
    raise KeyError(kind)


def matching(kind: str, user, terms: list[str]):
    """The `kind` rows `user` may see that hold every term, newest first."""
    rows = _searched(kind, user)
    # The bigram index serves the office's search; anyone else's rows are already a few.
    bigrams = ["title"] if user.is_coordinator or user.is_superuser else []
    if kind == "case":
        rows = text_search(rows.select_related("category"), " ".join(terms))
    elif kind == "action_item":
        rows = _matching(rows.select_related("case", "owner"), terms, ["title"], bigrams)
    elif kind == "session":
        rows = _matching(rows.select_related("case"), terms, ["title"])
    elif kind == "resolution":
        rows = _matching(rows.select_related("session__case"), terms, ["summary", "legal_basis"])
    else:
        rows = _matching(rows.select_related("case", "owner"), terms, ["title"])
    return rows.order_by(*KINDS[kind].ordering)


@dataclass
class Hit:
    """One search result as the page and the API show it."""

    kind: str
    id: int
    title: str
    excerpt: str
    status: str
    status_label: str
    case: Case | None
    url: str
    created_at: object

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind].label)


def _short(text: str, length: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def hit(kind: str, row) -> Hit:
    if kind == "case":
        return Hit(
            kind,
            row.pk,
            row.title,
            _short(row.description),
            row.status,
            row.get_status_display(),
            row,
            reverse("pages:case-detail", args=[row.pk]),
            row.created_at,
        )
    if kind == "action_item":
        return Hit(
            kind,
            row.pk,
            row.title,
            _short(f"{row.owner} · {row.deliverable}"),
            row.status,
            row.get_status_display(),
            row.case,
            reverse("pages:item-detail", args=[row.pk]),
            row.created_at,
        )
    if kind == "session":
        return Hit(
            kind,
            row.pk,
            row.title,
            _short(row.place),
            row.status,
            row.get_status_display(),
            row.case,
            reverse("pages:session-detail", args=[row.pk]),
            row.created_at,
        )
    if kind == "resolution":
        session = row.session
        return Hit(
            kind,
            row.pk,
            _short(row.summary, 80),
            _short(row.legal_basis),
            "",
            "",
            session.case,
            reverse("pages:session-detail", args=[session.pk]),
            row.adopted_at,
        )
    published = str(_("已发布")) if row.published_at else str(_("草案"))
    return Hit(
        kind,
        row.pk,
        f"{row.number}. {row.title}",
        _short(f"{row.owner} · {row.deliverable}"),
        "published" if row.published_at else "draft",
        published,
        row.case,
        reverse("pages:case-detail", args=[row.case_id]) + "#rules-h",
        row.created_at,
    )
