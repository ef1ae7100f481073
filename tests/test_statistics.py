"""The 三率 and the leaders' figures against hand-built cases whose answers are known
(docs/statistics.md): extensions, reopened cases, unanswered confirmations included."""

import datetime

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from cases.models import Case
from config import timesource
from tests import factories
from workflow.casefile import services as case_services
from workflow.deadlines.models import Clock
from workflow.deadlines.scan import close_unanswered
from workflow.deadlines.working_days import add_working_days
from workflow.extensions import services as extension_services
from workflow.items import services as item_services
from workflow.items.models import ActionItem
from workflow.record.models import Event
from workflow.statistics import selectors
from workflow.statistics.filters import Filters
from workflow.supervision import services as supervision_services

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def period(days_back=30, days_ahead=60, **filters) -> Filters:
    today = timesource.today()
    return Filters(
        period="custom",
        start=today - days_back * DAY,
        end=today + days_ahead * DAY,
        **filters,
    )


def days_ago(n: int) -> datetime.datetime:
    return timezone.now() - n * DAY


def backdate_event(item, kind, moment):
    # Events are append-only for the application; a test sets the past it needs.
    QuerySet.update(Event.objects.filter(action_item=item, kind=kind), created_at=moment)


def rate(numerator, denominator):
    percent = round(100 * numerator / denominator, 1) if denominator else None
    return {"numerator": numerator, "denominator": denominator, "percent": percent}


def accept_clock(case):
    return Clock.objects.get(case=case, kind=Clock.Kind.ACCEPT)


def test_response_rate_for_cases_counts_acceptance_within_the_limit(
    enterprise_user, coordinator, category
):
    on_time = factories.case(enterprise_user, category=category)
    case_services.case_accept(case=on_time, by=coordinator)

    late = factories.case(enterprise_user, category=category)
    Clock.objects.filter(pk=accept_clock(late).pk).update(
        started=timesource.today() - 5 * DAY, due=timesource.today() - DAY
    )
    case_services.case_accept(case=late, by=coordinator)

    waiting_past_limit = factories.case(enterprise_user, category=category)
    Clock.objects.filter(pk=accept_clock(waiting_past_limit).pk).update(
        started=timesource.today() - 5 * DAY, due=timesource.today() - DAY
    )
    factories.case(enterprise_user, category=category)  # still within its limit: not yet due
    refused = factories.case(enterprise_user, category=category)
    case_services.case_reject(case=refused, by=coordinator, reason="不属于受理范围")

    rates = selectors.rates(period())
    assert accept_clock(late).state == Clock.State.MISSED
    assert rates["response_cases"] == rate(1, 3)
    assert rates["resolution_apart"]["rejected"] == 1
    assert set(selectors.case_measure(period(), "accept_due")) == {
        on_time,
        late,
        waiting_past_limit,
    }
    assert list(selectors.case_measure(period(), "accepted_on_time")) == [on_time]


def test_response_rate_for_items_counts_signing_within_one_working_day(
    enterprise_user,
    coordinator,
    zigui_org,
    zhujian_org,
    kaitou_org,
    department_officer,
    other_department_officer,
    third_party_officer,
):
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, zhujian_org)
    signed_in_time, signed_late = ActionItem.objects.filter(case=case).order_by("id")
    item_services.action_item_sign(item=signed_in_time, by=department_officer)
    ActionItem.objects.filter(pk=signed_late.pk).update(created_at=days_ago(10))
    item_services.action_item_sign(item=signed_late, by=other_department_officer)

    other = factories.assigned_case(
        enterprise_user, coordinator, zigui_org, kaitou_org, zhujian_org
    )
    unsigned_past_limit, _unsigned_in_limit, cancelled = ActionItem.objects.filter(
        case=other
    ).order_by("id")
    ActionItem.objects.filter(pk__in=[unsigned_past_limit.pk, cancelled.pk]).update(
        created_at=days_ago(10)
    )
    item_services.action_item_cancel(item=cancelled, by=coordinator, reason="重复交办")

    f = period()
    assert selectors.rates(f)["response_items"] == rate(1, 3)
    assert set(selectors.item_measure(f, "signed_late")) == {signed_late, unsigned_past_limit}
    league = {row["name"]: row for row in selectors.league(f)}
    assert league["资规局"]["response_items"] == rate(1, 2)
    assert league["住建局"]["response_items"] == rate(0, 1)
    assert league["住建局"]["signed_late"] == 1
    assert "海曙开投集团" in league  # received an item, none due for signing yet
    assert league["海曙开投集团"]["response_items"] == rate(0, 0)


def test_on_time_rate_judges_by_the_extended_due_date_and_counts_overdue_open_items(
    enterprise_user,
    coordinator,
    zigui_org,
    zhujian_org,
    kaitou_org,
    department_officer,
    other_department_officer,
    third_party_officer,
):
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, zhujian_org, kaitou_org)
    early, late, extended = ActionItem.objects.filter(case=case).order_by("id")
    for item, who in ((early, department_officer), (late, other_department_officer)):
        item_services.action_item_sign(item=item, by=who)
        item_services.action_item_complete(item=item, by=who, note="已办结")
    # Completed yesterday, after a due date of the day before.
    ActionItem.objects.filter(pk=late.pk).update(
        due_date=timesource.today() - 2 * DAY, completed_at=days_ago(1)
    )

    # Extended from its due date to a week later, completed between the two: on time.
    item_services.action_item_sign(item=extended, by=third_party_officer)
    original = extended.due_date
    later = add_working_days(original, 5)
    extension = extension_services.extension_request(
        item=extended, by=third_party_officer, due_date=later, reason="等待测绘"
    )
    extension_services.extension_approve(extension=extension, by=coordinator)
    extended.refresh_from_db()
    assert extended.due_date == later
    item_services.action_item_complete(item=extended, by=third_party_officer, note="已办结")
    ActionItem.objects.filter(pk=extended.pk).update(
        completed_at=timezone.make_aware(datetime.datetime.combine(later, datetime.time(10)))
    )

    other = factories.assigned_case(enterprise_user, coordinator, zigui_org, zhujian_org)
    overdue, overdue_before_period = ActionItem.objects.filter(case=other).order_by("id")
    ActionItem.objects.filter(pk=overdue.pk).update(due_date=timesource.today() - 3 * DAY)
    ActionItem.objects.filter(pk=overdue_before_period.pk).update(
        due_date=timesource.today() - 40 * DAY
    )

    f = period()
    assert selectors.rates(f)["on_time"] == rate(2, 4)
    assert set(selectors.item_measure(f, "completed_on_time")) == {early, extended}
    league = {row["name"]: row for row in selectors.league(f)}
    assert league["海曙开投集团"]["extension_requested"] == 1
    assert league["海曙开投集团"]["extension_granted"] == 1
    assert league["资规局"]["on_time"] == rate(1, 2)
    assert league["资规局"]["overdue_now"] == 1
    assert league["住建局"]["overdue_now"] == 1  # overdue now, whenever it fell due
    assert league["住建局"]["on_time"] == rate(0, 1)


def _finish(case, coordinator, officers):
    for item in ActionItem.objects.filter(case=case).exclude(status__in=["done", "cancelled"]):
        who = officers[item.owner_id]
        if item.status == "assigned":
            item_services.action_item_sign(item=item, by=who)
        item_services.action_item_complete(item=item, by=who, note="已办结")
    case.refresh_from_db()
    item_services.case_resolve(case=case, by=coordinator)
    case.refresh_from_db()
    return case


def test_resolution_and_satisfaction_count_reopened_cases_and_keep_unanswered_apart(
    enterprise_user, coordinator, zigui_org, department_officer
):
    officers = {zigui_org.pk: department_officer}
    satisfied = _finish(
        factories.assigned_case(enterprise_user, coordinator, zigui_org), coordinator, officers
    )
    case_services.case_confirm(case=satisfied, by=enterprise_user, rating="satisfied")

    reopened = _finish(
        factories.assigned_case(enterprise_user, coordinator, zigui_org), coordinator, officers
    )
    case_services.case_confirm(
        case=reopened, by=enterprise_user, rating="dissatisfied", comment="管网仍未接通"
    )
    reopened.refresh_from_db()
    assert reopened.status == Case.Status.ACCEPTED
    item_services.case_assign(
        case=reopened,
        by=coordinator,
        assignments=[
            {"organisation": zigui_org, "title": "重新办理", "due_date": factories.due_in(9)}
        ],
    )
    reopened = _finish(reopened, coordinator, officers)
    case_services.case_confirm(case=reopened, by=enterprise_user, rating="basically_satisfied")

    unanswered = _finish(
        factories.assigned_case(enterprise_user, coordinator, zigui_org), coordinator, officers
    )
    assert close_unanswered(unanswered)
    withdrawn = factories.assigned_case(enterprise_user, coordinator, zigui_org)
    case_services.case_withdraw(case=withdrawn, by=enterprise_user, reason="已自行解决")

    rates = selectors.rates(period())
    assert rates["resolution"] == rate(2, 3)  # unanswered closures count as closed, not solved
    assert rates["resolution_apart"] == {"rejected": 0, "withdrawn": 1}
    assert rates["satisfaction"] == rate(2, 3)  # the dissatisfied answer counts too
    assert rates["satisfaction_apart"] == {"unanswered": 1}
    assert set(selectors.case_measure(period(), "unanswered")) == {unanswered}
    assert set(selectors.case_measure(period(), "satisfied")) == {satisfied, reopened}


def test_a_rate_with_nothing_due_has_no_percentage(db):
    rates = selectors.rates(period())
    assert rates["satisfaction"] == {"numerator": 0, "denominator": 0, "percent": None}


def test_period_excludes_what_happened_before_it(enterprise_user, coordinator, category):
    case = factories.case(enterprise_user, category=category)
    case_services.case_accept(case=case, by=coordinator)
    Case.objects.filter(pk=case.pk).update(submitted_at=days_ago(40))
    Clock.objects.filter(pk=accept_clock(case).pk).update(started=timesource.today() - 40 * DAY)
    assert selectors.overview(period())["flow"]["filed"] == 0
    assert selectors.rates(period())["response_cases"]["denominator"] == 0
    assert selectors.overview(period(days_back=60))["flow"]["filed"] == 1


def test_filters_select_by_category_tier_route_and_department(
    enterprise_user, other_enterprise_user, coordinator, zigui_org, zhujian_org, category
):
    from cases.models import Category

    other_enterprise_user.organisation.tier = "little_giant"
    other_enterprise_user.organisation.save()
    direct = factories.assigned_case(enterprise_user, coordinator, zigui_org)
    giant = factories.assigned_case(other_enterprise_user, coordinator, zhujian_org)
    convened = factories.case(enterprise_user, category=category)
    case_services.case_accept(case=convened, by=coordinator)
    factories.session(convened, coordinator)
    other_category = Category.objects.exclude(pk=category.pk).first()
    elsewhere = factories.case(enterprise_user, category=other_category)

    def filed(**filters):
        return set(selectors.case_measure(period(**filters), "filed"))

    assert filed() == {direct, giant, convened, elsewhere}
    assert filed(category=other_category.pk) == {elsewhere}
    assert filed(tier="little_giant") == {giant}
    assert filed(route="convened") == {convened}
    assert filed(route="direct") == {direct, giant}
    assert filed(department=zhujian_org.pk) == {giant}
    assert selectors.overview(period())["route"] == {"convened": 1, "direct": 2}
    assert [row["name"] for row in selectors.league(period(department=zigui_org.pk))] == ["资规局"]


def test_board_splits_open_items_by_clock_and_medians_count_working_days(
    enterprise_user, coordinator, zigui_org, zhujian_org
):
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, zhujian_org)
    yellow_item = ActionItem.objects.filter(case=case, owner=zhujian_org).get()
    Clock.objects.filter(action_item=yellow_item).update(state=Clock.State.YELLOW)
    board = selectors.overview(period())
    rows = {row["name"]: row for row in board["items_by_department"]}
    assert rows["资规局"] == {
        "organisation": zigui_org.pk,
        "name": "资规局",
        "on_time": 1,
        "yellow": 0,
        "red": 0,
    }
    assert rows["住建局"]["yellow"] == 1
    assert board["open_cases"]["total"] == 1
    assert board["open_cases"]["by_status"][0]["status"] == "implementing"
    assert board["median_working_days"]["to_acceptance"] == 0.0  # accepted the day it was filed


def test_register_status_answered_late_and_open(
    enterprise_user, coordinator, zigui_org, zhujian_org, department_officer
):
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, zhujian_org)
    first, second = ActionItem.objects.filter(case=case).order_by("id")
    ActionItem.objects.filter(case=case).update(due_date=timesource.today() - 2 * DAY)
    answered = supervision_services.supervision_issue(item=first, by=coordinator, text="请加快")
    supervision_services.supervision_answer(
        notice=answered, by=department_officer, answer="已安排专人"
    )
    late = supervision_services.supervision_issue(item=second, by=coordinator, text="请加快")
    type(late).objects.filter(pk=late.pk).update(answer_due=timesource.today() - DAY)
    f = period()
    assert [selectors.register_state(n) for n in selectors.register(f)] == ["late", "answered"]
    assert list(selectors.register(f, "late")) == [late]
    assert list(selectors.register(f, "open")) == []
    league = {row["name"]: row for row in selectors.league(f)}
    assert (league["住建局"]["supervised"], league["住建局"]["supervision_late"]) == (1, 1)
    assert (league["资规局"]["supervised"], league["资规局"]["supervision_late"]) == (1, 0)
    # Answered and still overdue: it may be supervised again; the late one waits for its answer.
    assert list(selectors.unsupervised_overdue(f)) == [first]
