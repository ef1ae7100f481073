"""The case, action item and timeline lists are built from `values()` rows by plain functions
(config/api/rows.py); their JSON must stay exactly what the declared serializers give (the
serializers are the schema, and detail views still use them), key order included, in both
languages."""

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from cases.models import Case
from tests import factories
from workflow.casefile.contributions import attachment_add
from workflow.casefile.selectors import case_rows, with_progress
from workflow.casefile.serializers import (
    CaseDetailSerializer,
    CaseListSerializer,
    EventSerializer,
)
from workflow.items import services as item_services
from workflow.items.models import ActionItem
from workflow.items.serializers import ActionItemSerializer
from workflow.record.models import Event
from workflow.record.services import record_event

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def worked_case(
    enterprise_user,
    coordinator,
    department_officer,
    other_department_officer,
    zigui_org,
    zhujian_org,
    kaitou_org,
):
    """A case with items in every kind of state: done with evidence, cancelled, overdue,
    assigned; events with and without an actor, one internal. Plus a plain submitted case."""
    factories.case(enterprise_user, title="只提交的诉求", urgency=Case.Urgency.URGENT)
    case = factories.assigned_case(
        enterprise_user, coordinator, zigui_org, zhujian_org, kaitou_org, project_name="管网迁改"
    )
    done, overdue, cancelled = (
        case.action_items.get(owner=zigui_org),
        case.action_items.get(owner=zhujian_org),
        case.action_items.get(owner=kaitou_org),
    )
    evidence = [
        attachment_add(
            case=case,
            by=department_officer,
            upload=SimpleUploadedFile(f"证明{n}.pdf", PDF, content_type="application/pdf"),
        )
        for n in range(2)
    ]
    item_services.action_item_sign(item=done, by=department_officer)
    item_services.action_item_start(item=done, by=department_officer)
    item_services.action_item_complete(
        item=done, by=department_officer, note="已办结", evidence=evidence
    )
    item_services.action_item_sign(item=overdue, by=other_department_officer)
    ActionItem.objects.filter(pk=overdue.pk).update(due_date=datetime.date(2020, 1, 6))
    item_services.action_item_cancel(item=cancelled, by=coordinator, reason="不再需要")
    record_event(case=case, kind="comment", payload={"text": "系统记录", "n": [1, 2]})
    return case


def _shape(data):
    """Values and key order, as the client reads the JSON."""
    return [(list(row), row) for row in data]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("persona", ["coordinator", "enterprise_user", "department_officer"])
def test_case_list_rows_are_the_serializers_json(request, api, worked_case, persona, language):
    user = request.getfixturevalue(persona)
    client = api.as_user(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/api/v1/cases/?page_size=100")
    assert response.status_code == 200
    with translation.override(language):
        expected = CaseListSerializer(with_progress(case_rows(user)), many=True).data
    rows = response.json()["results"]
    assert rows and _shape(rows) == _shape(expected)
    mine = next(row for row in rows if row["id"] == worked_case.pk)
    # Two live items of three (one cancelled), one of them done.
    assert mine["progress"] == {"done": 1, "total": 2}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("persona", ["coordinator", "enterprise_user", "department_officer"])
def test_action_item_list_rows_are_the_serializers_json(
    request, api, worked_case, persona, language
):
    user = request.getfixturevalue(persona)
    client = api.as_user(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/api/v1/action-items/?page_size=100")
    assert response.status_code == 200
    items = (
        ActionItem.objects.listed_for(user)
        .select_related("owner", "case")
        .prefetch_related("evidence")
        .order_by("-id")
    )
    with translation.override(language):
        expected = ActionItemSerializer(items, many=True).data
    rows = response.json()["results"]
    assert rows and _shape(rows) == _shape(expected)
    if persona != "department_officer":
        assert {row["overdue"] for row in rows} == {True, False}
        assert max(len(row["evidence"]) for row in rows) == 2


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("persona", ["coordinator", "enterprise_user", "department_officer"])
def test_case_detail_rows_are_the_serializers_json(request, api, worked_case, persona, language):
    """The detail is read from rows too (workflow.casefile.api.case_detail_json)."""
    from workflow.casefile.api import case_detail_queryset
    from workflow.deadlines.models import Clock

    overdue = worked_case.action_items.get(due_date=datetime.date(2020, 1, 6))
    Clock.objects.filter(action_item=overdue).update(
        started=datetime.date(2019, 12, 20), due=datetime.date(2020, 1, 6)
    )
    user = request.getfixturevalue(persona)
    client = api.as_user(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    cases = [worked_case, Case.objects.exclude(pk=worked_case.pk).get()]
    if persona == "department_officer":
        cases = cases[:1]
    for case in cases:
        response = client.get(f"/api/v1/cases/{case.pk}/")
        assert response.status_code == 200
        with translation.override(language):
            expected = CaseDetailSerializer(case_detail_queryset(user).get(pk=case.pk)).data
        assert _shape([response.json()]) == _shape([expected])
    detail = client.get(f"/api/v1/cases/{worked_case.pk}/").json()
    assert detail["progress"] == {"done": 1, "total": 2}
    assert len(detail["action_items"]) == 3 and len(detail["clocks"]) >= 3
    assert {clock["state"] for clock in detail["clocks"]} >= {"red", "met"}
    assert any(clock["working_days_left"] for clock in detail["clocks"])


@pytest.mark.parametrize("persona", ["coordinator", "enterprise_user"])
def test_event_list_rows_are_the_serializers_json(request, api, worked_case, persona):
    user = request.getfixturevalue(persona)
    response = api.as_user(user).get(f"/api/v1/cases/{worked_case.pk}/events/?page_size=100")
    assert response.status_code == 200
    events = (
        Event.objects.visible_to(user)
        .filter(case=worked_case)
        .select_related("actor", "actor_organisation")
        .order_by("id")
    )
    expected = EventSerializer(events, many=True).data
    rows = response.json()["results"]
    assert rows and _shape(rows) == _shape(expected)
    assert any(row["actor"] is None for row in rows)
    assert any(row["action_item"] for row in rows)


@pytest.mark.parametrize("first,then", [("zh-hans", "en"), ("en", "zh-hans")])
def test_filter_errors_speak_the_requests_language_whatever_built_the_form(
    api, coordinator, submitted_case, first, then
):
    """The filter sets' form class is built once per process (config.api.filters.FilterSet);
    its messages must still follow each request's language, and bad values stay a 400."""
    client = api.as_user(coordinator)
    messages = {}
    for language in (first, then):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get("/api/v1/cases/?overdue=maybe&status=nonsense")
        assert response.status_code == 400
        fields = response.json()["error"]["fields"]
        assert set(fields) == {"overdue", "status"}
        messages[language] = fields["overdue"][0]
        # A good filter still filters.
        ok = client.get("/api/v1/cases/?status=submitted&overdue=false")
        assert [row["id"] for row in ok.json()["results"]] == [submitted_case.pk]
    assert messages["zh-hans"] == "应为 true 或 false。"
    assert messages["en"] != messages["zh-hans"]
    assert "true" in messages["en"]


FILTER_QUERIES = [
    "status=submitted",
    "status=implementing&status=resolved&q=管网",
    "overdue=true&due_within=3&page_size=5",
    "category=1&enterprise=1&urgency=urgent&created_after=2020-01-01&created_before=2030-01-01",
    "organisation=1&cursor=abc",
    "due_within=-1&enterprise=999999&category=abc&created_after=notadate&overdue=x&status=no",
    "urgency=unknown&q=",
]


@pytest.mark.parametrize("query", FILTER_QUERIES)
def test_filtering_by_the_named_filters_answers_as_filtering_by_all_of_them(
    coordinator, submitted_case, query
):
    """config.api.filters.FilterSet copies, validates and applies only the filters a request
    names: the same errors in the same order, and the same query, as django-filter's whole set."""
    from django.http import QueryDict
    from django_filters import rest_framework

    from workflow.casefile.api import CaseFilter

    data = QueryDict(query)
    queryset = case_rows(coordinator)
    named = CaseFilter(data, queryset)
    whole = CaseFilter.__new__(CaseFilter)
    rest_framework.FilterSet.__init__(whole, data, queryset)
    assert len(named.filters) < len(whole.filters)
    assert list(named.errors.items()) == list(whole.errors.items())
    if "notadate" in query:
        assert set(whole.errors) == {
            "status",
            "category",
            "enterprise",
            "created_after",
            "overdue",
            "due_within",
        }
    if not whole.errors:
        assert str(named.qs.query) == str(whole.qs.query)
