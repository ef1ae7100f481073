"""docs/lifecycle.md is generated from the state machines and must match them."""

from pathlib import Path

from workflow.lifecycle_docs import render

DOC = Path(__file__).resolve().parent.parent / "docs" / "lifecycle.md"


def test_the_lifecycle_document_matches_the_state_machines():
    assert DOC.read_text() == render(), "run: python manage.py lifecycle_docs"


def test_the_document_names_every_case_transition_and_who_fires_it():
    from cases.models import Case

    text = render()
    for transition in Case._meta.get_field("status").get_all_transitions(Case):
        assert f"| `{transition.name}` |" in text
    assert "| `accept` | `submitted` | `accepted` | A coordinator" in text
