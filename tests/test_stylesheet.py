"""The site's one stylesheet stays well formed: an unclosed rule silently drops every rule after
it, which once took the phone layout (folded menu, tables as cards) off every page."""

import re
from pathlib import Path

STYLESHEET = Path(__file__).resolve().parent.parent / "config" / "static" / "css" / "site.css"


def rules_text() -> str:
    return re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(), flags=re.S)


def test_every_rule_of_the_stylesheet_is_closed():
    depth = 0
    for line_number, line in enumerate(rules_text().splitlines(), start=1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"a '}}' without its '{{' on line {line_number}"
    assert depth == 0, "a rule is left open: every rule after it is ignored"
