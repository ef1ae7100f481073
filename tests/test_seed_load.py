"""`manage.py seed_load`: the load-test data set at a small size, read back as the app reads it.

Runs on SQLite and on PostgreSQL (COPY, foreign keys and indexes dropped and restored inside
the load's transaction), whichever DATABASE_URL selects.
"""

import hashlib
import io
import re
from collections import Counter, defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from cases.models import Case, CaseAccess, CaseInvolvement
from departments.models import Organisation, User
from workflow.deadlines.clock_state import yellow_on
from workflow.deadlines.models import Clock
from workflow.deadlines.services import CASE_STATE_CLOCKS, PAUSE_STATE
from workflow.deadlines.working_days import WorkingCalendar
from workflow.items.models import ActionItem
from workflow.record.models import Event
from workflow.sessions.models import JointSession, Opinion, SessionParticipant

CASES = 2000
REFERENCE = re.compile(r"^SLT-\d{8}-[0-9A-F]{6}$")


def seed_load(**options):
    out = io.StringIO()
    call_command("seed_load", stdout=out, **options)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _today(settings):
    # The data is dated back from today: pin it, so that two loads compare equal.
    settings.SHENLIANTI_TODAY = "2026-11-30"


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """One load shared by the tests that only read it, rolled back after the module.

    The tests that need an empty database come first in this file: this fixture's
    transaction stays open from its first use to the end of the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_load(cases=CASES, seed=7)
        yield
        transaction.set_rollback(True)


def digest() -> str:
    """What a user would notice if it changed: cases, items, clocks and sessions."""
    rows = [
        *Case.objects.order_by("id").values_list(
            "reference", "title", "status", "enterprise__name", "created_at", "closed_at"
        ),
        *ActionItem.objects.order_by("id").values_list("case__reference", "owner__name", "status"),
        *Clock.objects.order_by("id").values_list("case__reference", "kind", "due", "state"),
        *JointSession.objects.order_by("id").values_list("case__reference", "status"),
        *Event.objects.order_by("id").values_list("case__reference", "kind", "created_at"),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.mark.django_db
def test_same_seed_gives_the_same_data():
    assert not Case.objects.exists()
    digests = []
    for seed in (7, 7, 8):
        with transaction.atomic():
            seed_load(cases=500, seed=seed)
            digests.append(digest())
            transaction.set_rollback(True)  # the next load starts from an empty database
    assert digests[0] == digests[1]
    assert digests[0] != digests[2]


@pytest.mark.django_db
def test_refuses_a_database_with_cases_unless_forced():
    assert not Case.objects.exists()
    seed_load(cases=200, seed=1)
    with pytest.raises(CommandError, match="already holds cases"):
        seed_load(cases=200, seed=1)
    assert Case.objects.count() == 200
    seed_load(cases=200, seed=2, force=True)  # appends, reusing organisations and people
    assert Case.objects.count() == 400
    assert Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE).count() == 10


def test_loads_the_cases_asked_for_in_every_state(loaded):
    assert Case.objects.count() == CASES
    assert set(Case.objects.values_list("status", flat=True)) == set(Case.Status.values)
    closed = Case.objects.filter(status=Case.Status.CLOSED).count()
    assert 0.8 * CASES < closed < 0.9 * CASES  # most cases are closed
    assert 2.5 * CASES < Event.objects.count() < 3.5 * CASES  # about three per case
    assert 0.9 * CASES < ActionItem.objects.count() < 1.3 * CASES  # about one per case
    assert 0.05 * CASES < Clock.objects.open().count() < 0.1 * CASES  # 75,000 at a million
    assert 0.02 * CASES < JointSession.objects.count() < 0.08 * CASES
    assert SessionParticipant.objects.count() > 3 * JointSession.objects.count()
    assert Opinion.objects.exists()
    enterprises = Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE)
    assert enterprises.count() == CASES // 200
    assert len(set(enterprises.values_list("tier", flat=True))) > 2


def test_rows_are_valid_as_the_app_reads_them(loaded):
    references = list(Case.objects.values_list("reference", flat=True))
    assert len(set(references)) == len(references)
    assert all(REFERENCE.match(reference) for reference in references)
    for case in Case.objects.all():
        assert case.created_at < case.updated_at
        assert case.reference[4:12] == f"{timezone.localtime(case.created_at):%Y%m%d}"
        assert (case.closed_at is not None) == (not case.is_open)
    by_case = defaultdict(list)
    for case_id, created_at in Event.objects.order_by("id").values_list("case_id", "created_at"):
        by_case[case_id].append(created_at)
    assert len(by_case) == CASES
    assert all(times == sorted(times) for times in by_case.values())
    for item in ActionItem.objects.all():
        assert item.created_at < item.updated_at
        assert (item.completed_at is not None) == (item.status == ActionItem.Status.DONE)


def test_open_clocks_run_only_where_a_state_runs_one(loaded):
    running = {state for state in CASE_STATE_CLOCKS} | {PAUSE_STATE}
    for clock in Clock.objects.open().select_related("case", "action_item"):
        if clock.action_item_id:
            assert clock.action_item.status not in ActionItem.CLOSED_STATES
        else:
            assert clock.case.status in running
            assert clock.kind == CASE_STATE_CLOCKS.get(clock.case.status, ("accept",))[0]
            assert (clock.state == Clock.State.PAUSED) == (clock.case.status == PAUSE_STATE)
    open_items = ActionItem.objects.exclude(status__in=ActionItem.CLOSED_STATES)
    assert Clock.objects.open().filter(action_item__in=open_items).count() == open_items.count()


def test_open_clocks_know_the_day_they_turn_yellow(loaded):
    """The yellow tab and the scan read `yellow_on`; the loader stores what the app would."""
    calendar = WorkingCalendar()
    for clock in Clock.objects.open():
        assert clock.yellow_on == yellow_on(clock.started, clock.due, calendar)


def test_enterprise_user_sees_exactly_its_own_cases(loaded):
    for user in User.objects.filter(username__in=["e00001", "e00002_2", "e00007"]):
        visible = set(Case.objects.visible_to(user).values_list("id", flat=True))
        own = set(Case.objects.filter(enterprise=user.organisation).values_list("id", flat=True))
        assert visible == own


def test_department_officer_sees_the_cases_its_organisation_works_on(loaded):
    officer = User.objects.get(username="zigui1")
    visible = set(Case.objects.visible_to(officer).values_list("id", flat=True))
    items = ActionItem.objects.filter(owner=officer.organisation)
    live = set(items.exclude(status="cancelled").values_list("case_id", flat=True))
    invited = set(
        SessionParticipant.objects.filter(organisation=officer.organisation).values_list(
            "session__case_id", flat=True
        )
    )
    assert live and invited
    assert live | invited <= visible
    # Nothing else, except a withdrawn case's cancelled items (case_withdraw keeps the owners).
    others = Case.objects.filter(id__in=visible - live - invited)
    assert set(others.values_list("status", flat=True)) <= {Case.Status.WITHDRAWN}
    assert Case.Status.DRAFT not in set(
        Case.objects.filter(id__in=visible).values_list("status", flat=True)
    )
    involved = Counter(
        CaseInvolvement.objects.filter(reason="action_item").values_list("case_id", "organisation")
    )
    assert max(involved.values()) == 1
    # Each involved organisation has one access row per case, with the case's filing time.
    access = CaseAccess.objects.values_list("case_id", "organisation", "person", "case_created_at")
    assert set(access) == set(
        CaseInvolvement.objects.values_list(
            "case_id", "organisation", "person", "case__created_at"
        ).distinct()
    )
    assert access.count() == len(set(access))


def test_coordinator_lists_the_loaded_cases_over_the_api(loaded, api):
    coordinator = User.objects.get(username="coordinator1")
    response = api.as_user(coordinator).get("/api/v1/cases/")
    assert response.status_code == 200
    assert response.json()["results"]
    case = Case.objects.filter(status=Case.Status.IMPLEMENTING).first()
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    assert api.get(f"/api/v1/cases/{case.pk}/transitions/").status_code == 200
