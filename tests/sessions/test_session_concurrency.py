"""Two coordinators conclude the same session at once: one resolution, one loser told 409."""

import threading

import pytest
from django.db import connection

from config.fsm import Conflict
from workflow.sessions import services as sessions
from workflow.sessions.models import Resolution

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_coordinators_concluding_the_same_session(quorate, coordinator, other_coordinator):
    session, _ = quorate
    barrier = threading.Barrier(2)
    outcomes = []

    def conclude(user):
        try:
            barrier.wait()
            sessions.session_conclude(
                session=session, by=user, summary=f"决议（{user}）", legal_basis="依据"
            )
            outcomes.append("concluded")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=conclude, args=(u,)) for u in (coordinator, other_coordinator)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["concluded", "invalid_state"]
    assert Resolution.objects.filter(session=session).count() == 1
    session.case.refresh_from_db()
    assert session.case.status == "deliberated"
