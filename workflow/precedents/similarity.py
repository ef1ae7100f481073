"""Similar earlier cases (类案参照): the resolved and closed cases closest to a case.

Two steps (docs/precedents.md):
1. Candidates, from an index: on PostgreSQL the cases whose title is trigram-similar to this
   one's (`%`, pg_trgm, served by the trigram index of the case search, cases migration 0007),
   at most `CANDIDATES` of them; elsewhere (SQLite) the cases whose title holds one of this
   title's two-character pieces.
2. Ranking, in Python over the candidates: character bigrams of title, description, project and
   location compared by their Dice coefficient, plus the same category. Chinese has no spaces;
   most words have two characters, so bigrams are the unit that survives rewording best.

Who sees which precedents: `precedents_visible_to`.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from cases.models import Case

PRECEDENT_STATES = [Case.Status.RESOLVED, Case.Status.CLOSED]
CANDIDATES = 300
CANDIDATES_WIDE = 600  # before a department's visibility keeps its share
SHOWN = 5
MAX_SHOWN = 10

WEIGHTS = {"title": 0.45, "description": 0.2, "category": 0.15, "project": 0.1, "location": 0.1}
# The text must share something: a case of the same category at the same place about another
# matter is not a precedent.
MIN_TEXT = 0.15
MIN_SCORE = 0.2
# pg_trgm's `%` threshold for candidates. Its default (0.3) misses Chinese titles that share a
# five-character phrase (研究院二期地块自来水主管迁改 / 一期厂房红线内自来水主管迁改: 0.25);
# lower lets the index return far more rows on a city's repeated titles (docs/precedents.md).
TRIGRAM_THRESHOLD = "0.2"
# What makes a reason worth telling the reader ("相似之处").
REASON_AT = {"title": 0.3, "description": 0.3, "project": 0.5, "location": 0.5}

_NOT_TEXT = re.compile(r"[\W_]+")


@lru_cache(maxsize=4096)
def pieces(text: str) -> frozenset:
    """The distinct two-character pieces of a text, upper-cased, across no punctuation or
    space; a one-character word stands for itself. Cached: candidates often share their
    descriptions and places."""
    found = set()
    for word in _NOT_TEXT.sub(" ", (text or "").upper()).split():
        if len(word) == 1:
            found.add(word)
        found.update(word[i : i + 2] for i in range(len(word) - 1))
    return frozenset(found)


def dice(a: frozenset, b: frozenset) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def precedents_visible_to(user):
    """The cases `user` may see as precedents: `Case.objects.visible_to`, and for an enterprise
    only its own (a case it was merely invited to is not its experience to draw on)."""
    cases = Case.objects.visible_to(user)
    if user.is_authenticated and user.is_enterprise_user:
        cases = cases.filter(enterprise_id=user.organisation_id)
    return cases


@dataclass
class Match:
    """A candidate precedent with its score and what it shares with the case."""

    case_id: int
    score: float
    reasons: list = field(default_factory=list)


def _profile(row) -> dict:
    return {
        "title": pieces(row["title"]),
        "description": pieces(row["description"]),
        "project": pieces(row["project_name"]),
        "location": pieces(row["location"]),
        "category": row["category_id"],
    }


def score(case_profile: dict, other: dict) -> Match | None:
    parts = {
        name: dice(case_profile[name], other[name])
        for name in ("title", "description", "project", "location")
    }
    parts["category"] = 1.0 if case_profile["category"] == other["category"] else 0.0
    if max(parts["title"], parts["description"]) < MIN_TEXT:
        return None
    total = sum(WEIGHTS[name] * value for name, value in parts.items())
    if total < MIN_SCORE:
        return None
    reasons = [name for name, at in REASON_AT.items() if parts[name] >= at]
    if parts["category"]:
        reasons.insert(0, "category")
    return Match(case_id=0, score=round(total, 4), reasons=reasons)


ROW = ("pk", "title", "description", "project_name", "location", "category_id")


def _title_filter(title: str) -> Q | RawSQL:
    if connection.vendor == "postgresql" and len(title) >= 3:
        # The same expression as the trigram index (cases migration 0007), so it serves `%`.
        return RawSQL(
            'UPPER("cases_case"."title"::text) %% UPPER(%s)',
            [title],
            output_field=BooleanField(),
        )
    found = sorted(pieces(title))[:12] or [title]
    return Q(*[Q(title__icontains=piece) for piece in found], _connector=Q.OR)


@contextmanager
def _planned(*, bitmap_only: bool):
    """Run a candidate query inside: the trigram threshold and, with `bitmap_only`, the trigram
    index's bitmap as the only way into the cases, for this transaction only (a connection goes
    back to its pool as it came). With a LIMIT and no order, the planner otherwise reads the
    cases in an index's order hoping to meet enough matches early, which for a rare title means
    reading every case."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true),"
            " set_config('enable_seqscan', 'off', true),"
            " set_config('enable_indexscan', %s, true)",
            [TRIGRAM_THRESHOLD, "off" if bitmap_only else "on"],
        )
        yield


def _longest_common(a: str, b: str) -> str:
    best, end = 0, 0
    lengths = [0] * (len(b) + 1)
    for i, char in enumerate(a, 1):
        previous = 0
        for j, other in enumerate(b, 1):
            current = lengths[j]
            lengths[j] = previous + 1 if char == other else 0
            if lengths[j] > best:
                best, end = lengths[j], i
            previous = current
    return a[end - best : end]


def matter_of(title: str, project: str) -> str:
    """The title without the project's name in it: 厂房扩建临时用地审批 of the project
    鼓楼街道厂房扩建项目 is about 临时用地审批. Titles often start with their project, and a
    project's name is shared by all of its cases: matching on it would find the project's other
    matters (and read every case of it from the index); the project counts apart, in the
    ranking. The whole title when little would be left."""
    title = (title or "").strip().upper()
    shared = _longest_common(title, (project or "").upper())
    matter = title.replace(shared, "", 1).strip() if len(shared) >= 2 else title
    return matter if len(matter) >= 3 else title


def candidates(case, user):
    """The precedent rows step 2 ranks: index-found, unordered, at most `CANDIDATES`.

    Unordered on purpose: PostgreSQL then stops reading as soon as it has enough, where an
    order would make it fetch every match first (tens of thousands on a city's data of repeated
    titles; docs/precedents.md). By reader:
    - the office sees every precedent: the trigram index alone;
    - an enterprise or a representative sees few cases: those, by their own indexes, tested;
    - a department or a third party sees a share of all: the trigram index's first
      `CANDIDATES_WIDE`, then which of them it may see (one lookup by primary key).
    """
    title = matter_of(case.title, case.project_name)
    if not title:
        return []
    found = Case.objects.filter(status__in=PRECEDENT_STATES).exclude(pk=case.pk)
    found = found.filter(_title_filter(title)).order_by()
    if connection.vendor != "postgresql":
        # SQLite reads every case anyway: the newest first.
        visible = found.filter(pk__in=precedents_visible_to(user).values("pk"))
        return list(visible.order_by("-created_at").values(*ROW)[:CANDIDATES])
    if user.is_enterprise_user or not (user.organisation_id or user.is_superuser):
        visible = found.filter(pk__in=precedents_visible_to(user).order_by().values("pk"))
        with _planned(bitmap_only=False):
            return list(visible.values(*ROW)[:CANDIDATES])
    office = user.is_coordinator or user.is_superuser
    with _planned(bitmap_only=True):
        rows = list(found.values(*ROW)[: CANDIDATES if office else CANDIDATES_WIDE])
    if office:
        return rows
    visible = set(
        precedents_visible_to(user)
        .filter(pk__in=[row["pk"] for row in rows])
        .values_list("pk", flat=True)
    )
    return [row for row in rows if row["pk"] in visible][:CANDIDATES]


def similar_matches(case, user, limit: int = SHOWN) -> list[Match]:
    """The best `limit` precedents for `case` that `user` may see, best first."""
    mine = _profile(
        {
            "title": case.title,
            "description": case.description,
            "project_name": case.project_name,
            "location": case.location,
            "category_id": case.category_id,
        }
    )
    matches = []
    for row in candidates(case, user):
        match = score(mine, _profile(row))
        if match is not None:
            match.case_id = row["pk"]
            matches.append(match)
    matches.sort(key=lambda m: (-m.score, -m.case_id))
    return matches[:limit]
