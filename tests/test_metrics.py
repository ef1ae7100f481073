"""/metrics: what Prometheus scrapes, and who may scrape it."""

from datetime import timedelta

import pytest
from django.test import override_settings

from config import metrics
from config.timesource import today
from tests import factories
from workflow.items.models import ActionItem


@pytest.fixture(autouse=True)
def _fresh_scrape(monkeypatch):
    monkeypatch.setattr(metrics._scrape_time, "_cached", None)


def _sample(text: str, name: str, **labels) -> float:
    """The value of one sample in Prometheus's text format (0 when absent)."""
    wanted = name + (
        "{" + ",".join(f'{key}="{value}"' for key, value in labels.items()) + "}" if labels else ""
    )
    for line in text.splitlines():
        if line.startswith(wanted + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


@pytest.mark.django_db
@override_settings(METRICS_TOKEN="s3cret-scrape")
def test_metrics_need_the_token(client):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    response = client.get(
        "/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape", HTTP_HOST="10.0.0.9"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
@override_settings(METRICS_TOKEN="", DEBUG=False)
def test_metrics_do_not_exist_without_a_token_in_production(client):
    assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
@override_settings(METRICS_TOKEN="t")
def test_requests_per_view_and_transitions_per_machine_are_counted(
    client, api, coordinator, submitted_case
):
    scrape = {"HTTP_AUTHORIZATION": "Bearer t"}
    accepted = {"machine": "cases.case", "transition": "accept"}
    before = client.get("/metrics", **scrape).content.decode()

    response = api.as_user(coordinator).post(
        f"/api/v1/cases/{submitted_case.pk}/transitions/", {"name": "accept"}, format="json"
    )
    assert response.status_code == 200
    after = client.get("/metrics", **scrape).content.decode()

    assert _sample(after, "shenlianti_transitions_total", **accepted) == (
        _sample(before, "shenlianti_transitions_total", **accepted) + 1
    )
    assert 'django_http_requests_latency_seconds_by_view_method_count{method="POST"' in after


@pytest.mark.django_db
@override_settings(METRICS_TOKEN="t")
def test_overdue_items_are_read_when_scraped(
    client, coordinator, enterprise_user, zigui_org, zhujian_org, kaitou_org
):
    case = factories.assigned_case(enterprise_user, coordinator, zigui_org, zhujian_org, kaitou_org)
    late, done, _on_time = case.action_items.order_by("pk")
    ActionItem.objects.filter(pk__in=[late.pk, done.pk]).update(due_date=today() - timedelta(3))
    ActionItem.objects.filter(pk=done.pk).update(status="done")
    text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer t").content.decode()
    assert _sample(text, "shenlianti_overdue_action_items") == 1


@pytest.mark.django_db
@override_settings(METRICS_TOKEN="t")
def test_each_request_counts_its_status_and_latency_per_view_and_only_those(
    client, api, coordinator
):
    """config.metrics.RequestMetricsMiddleware keeps the series deploy/README.md lists; the
    dozen others django-prometheus updated per request are not written any more."""
    scrape = {"HTTP_AUTHORIZATION": "Bearer t"}
    assert api.as_user(coordinator).get("/api/v1/me/").status_code == 200
    text = client.get("/metrics", **scrape).content.decode()
    # Labels appear sorted by name.
    me = {"method": "GET", "view": "api-me"}
    assert _sample(text, "django_http_requests_latency_seconds_by_view_method_count", **me) >= 1
    responses = "django_http_responses_total_by_status_view_method_total"
    assert _sample(text, responses, method="GET", status="200", view="api-me") >= 1
    # Not written any more: a request's body size, its transport.
    assert _sample(text, "django_http_requests_body_total_bytes_count") == 0
    assert "django_http_requests_total_by_transport_total{" not in text
