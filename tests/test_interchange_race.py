"""Two copies of one work order arriving at once file one case (PostgreSQL: real concurrency)."""

import threading

import pytest
from django.db import connection

from cases.models import Case, Category
from tests import factories
from workflow.interchange import services
from workflow.interchange.models import ExternalCase, ExternalSystem
from workflow.interchange.services import case_file_external, system_create

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_simultaneous_copies_file_one_case(monkeypatch):
    system, _ = system_create(
        name="12345热线平台",
        channel=Case.SourceChannel.HOTLINE_12345,
        operations=[ExternalSystem.Operation.FILE_CASE],
    )
    category = Category.objects.get(code="utility_relocation")
    code = factories.valid_credit_code()
    start = threading.Barrier(2)
    # Both copies pass the check for an earlier one before either writes: the unique pair in
    # the database is then all that keeps the second from filing a second case.
    both_checked = threading.Barrier(2)
    enterprise_for = services.enterprise_for

    def after_both_checked(**kwargs):
        both_checked.wait(5)
        return enterprise_for(**kwargs)

    monkeypatch.setattr(services, "enterprise_for", after_both_checked)
    answers, errors = [], []

    def send():
        try:
            start.wait(5)
            answers.append(
                case_file_external(
                    system=system,
                    operation="file_case",
                    external_reference="GD-RACE",
                    credit_code=code,
                    title="厂区外自来水主管迁改",
                    description="市政道路拓宽，需迁改厂区外的自来水主管。",
                    category=category,
                )
            )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(created for _, created in answers) == [False, True]
    assert answers[0][0].pk == answers[1][0].pk
    assert Case.objects.count() == 1 and ExternalCase.objects.count() == 1
