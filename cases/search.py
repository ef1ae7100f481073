"""What a case search term matches: the case's own text, through the index that can serve it.

Substring matching works for Chinese, which has no word boundaries to tokenize on. On
PostgreSQL a term of three or more characters is served by the trigram indexes (migration
0007), a term of two by the bigram indexes (0008); one character reads the table, and SQLite
always does.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import connection, models
from django.db.models import Func, Q
from django.db.models.functions import Upper

TEXT_COLUMNS = ("title", "description", "project_name")


class Bigrams(Func):
    """`shenlianti_bigrams(text)`: the distinct two-character pieces of a text (migration 0008)."""

    function = "shenlianti_bigrams"
    output_field = ArrayField(models.TextField())


def bigram_aliases() -> dict:
    """The expressions the bigram indexes are built on, to `alias()` onto a case queryset."""
    return {f"{column}_bigrams": Bigrams(Upper(column)) for column in TEXT_COLUMNS}


def term_matches(term: str) -> Q:
    """The case's title, description, project or reference holds `term`."""
    if len(term) == 2 and connection.vendor == "postgresql":
        # A reference is never searched by two characters; leaving it out keeps every
        # condition on an index. The LIKE beside each index condition is what a scan in date
        # order tests first (the function is priced high), so a common word is found without
        # computing any pieces, and a rare one through the index.
        pieces = [term.upper()]
        holds = [
            Q(**{f"{column}_bigrams__contains": pieces, f"{column}__icontains": term})
            for column in TEXT_COLUMNS
        ]
        return Q(*holds, _connector=Q.OR)
    return (
        Q(title__icontains=term)
        | Q(description__icontains=term)
        | Q(reference__icontains=term)
        | Q(project_name__icontains=term)
    )
