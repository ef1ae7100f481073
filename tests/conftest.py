"""Personas and helpers shared by every test module.

Data is made through the services, so tests walk the same paths users do.
"""

import os
import shutil
import threading

import pytest
from django.conf import settings
from django.db.backends.signals import connection_created
from rest_framework.test import APIClient

from tests import factories
from workflow.deadlines.working_days import forget_calendar


def _required_services() -> set[str]:
    return {s.strip() for s in os.environ.get("REQUIRE_SERVICES", "").split(",") if s.strip()}


def _missing_services() -> dict[str, str]:
    """Each service that is not configured here, with what would provide it."""
    engine = settings.DATABASES["default"]["ENGINE"]
    missing = {}
    if "postgresql" not in engine:
        missing["postgres"] = "set DATABASE_URL=postgres://…"
    if not settings.REDIS_URL:
        missing["redis"] = "set REDIS_URL"
    if not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")):
        missing["nginx"] = "apt-get install nginx"
    return missing


def pytest_collection_modifyitems(config, items):
    """Skip tests whose service is not configured, unless the run requires that service."""
    required = _required_services()
    for service, hint in _missing_services().items():
        if service in required:
            continue  # pytest_runtest_setup fails these instead
        for item in items:
            if item.get_closest_marker(service) is not None:
                item.add_marker(pytest.mark.skip(reason=f"needs {service}: {hint}"))


def pytest_runtest_setup(item):
    """A test for a service the run requires (REQUIRE_SERVICES) fails when it is missing."""
    required = _required_services()
    for service, hint in _missing_services().items():
        if service in required and item.get_closest_marker(service) is not None:
            pytest.fail(f"{service} is required here (REQUIRE_SERVICES) but not configured: {hint}")


@pytest.fixture(autouse=True)
def _fresh_working_calendar():
    """Each test leaves no working-day table behind: the process keeps one, built from a
    database that is rolled back after every test."""
    yield
    forget_calendar()


@pytest.fixture(autouse=True)
def _close_helper_thread_connections():
    """Consumers query from helper threads (`workflow.realtime.consumers.in_parallel`), and
    channels' test communicator turns off the closing of their connections: close what other
    threads opened during the test, or the test database could not be dropped."""
    opened = []

    def record(sender, connection, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            opened.append(connection)

    connection_created.connect(record)
    yield
    connection_created.disconnect(record)
    for connection in opened:
        connection.inc_thread_sharing()
        connection.close()
        connection.dec_thread_sharing()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def office(db):
    return factories.organisation("海曙区政务服务办公室", kind="office")


@pytest.fixture
def enterprise_org(db):
    return factories.enterprise("宁波工业互联网研究院")


@pytest.fixture
def other_enterprise_org(db):
    return factories.enterprise("宁波甬江精密机械有限公司")


@pytest.fixture
def zigui_org(db):
    return factories.organisation("资规局", kind="department")


@pytest.fixture
def zhujian_org(db):
    return factories.organisation("住建局", kind="department")


@pytest.fixture
def kaitou_org(db):
    return factories.organisation("海曙开投集团", kind="third_party")


@pytest.fixture
def coordinator(office):
    return factories.user("coordinator", office)


@pytest.fixture
def office_leader(office):
    """The office's director (政务服务办领导): a coordinator who signs the rules off."""
    return factories.user("office_leader", office, organisation_role="leader")


@pytest.fixture
def other_coordinator(office):
    return factories.user("coordinator2", office)


@pytest.fixture
def enterprise_user(enterprise_org):
    return factories.user("enterprise", enterprise_org)


@pytest.fixture
def other_enterprise_user(other_enterprise_org):
    return factories.user("enterprise2", other_enterprise_org)


@pytest.fixture
def department_officer(zigui_org):
    return factories.user("zigui", zigui_org)


@pytest.fixture
def department_leader(zigui_org):
    return factories.user("zigui_leader", zigui_org, organisation_role="leader")


@pytest.fixture
def other_department_officer(zhujian_org):
    return factories.user("zhujian", zhujian_org)


@pytest.fixture
def third_party_officer(kaitou_org):
    return factories.user("kaitou", kaitou_org)


@pytest.fixture
def legal_expert(db):
    return factories.user("legal", None, representative_capacity="legal_expert")


@pytest.fixture
def category(db):
    from cases.models import Category

    return Category.objects.get(code="municipal_works")


@pytest.fixture
def api():
    """An API client; `api.as_user(user)` authenticates it as that user."""

    class Client(APIClient):
        def as_user(self, user):
            self.force_authenticate(user=user)
            return self

    return Client()


@pytest.fixture
def submitted_case(enterprise_user, category):
    return factories.case(enterprise_user, category=category, submit=True)


@pytest.fixture
def as_user(client):
    """The test client signed in as `user` (pages): `as_user(coordinator).get("/")`."""

    def login(user):
        client.force_login(user)
        return client

    return login


def _allow_the_test_flush():
    """The record tables refuse TRUNCATE on PostgreSQL (workflow/migrations/0015) except to
    their owner in a maintenance session; the suite's own connections are such sessions, so
    that Django's flush can empty the test database after a transactional test. UPDATE and
    DELETE stay refused here as everywhere (tests/test_record_tamper.py). Set as a connection
    option, not a query: tests count the queries of a fresh connection."""
    database = settings.DATABASES["default"]
    if "postgresql" in database["ENGINE"]:
        options = database.setdefault("OPTIONS", {})
        options["options"] = (
            options.get("options", "") + " -c shenlianti.record_maintenance=on"
        ).strip()


_allow_the_test_flush()
