"""A request's id, from nginx's X-Request-ID to the log lines and the e-mail task it enqueues."""

import json
import logging

import pytest
from django.conf import settings
from pythonjsonlogger.json import JsonFormatter

from config.request_id import RequestIdFilter, current_request_id


def test_nginx_id_is_kept_and_answered_back(client):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="3f2a9c0d5e6b7a8f9c0d1e2f3a4b5c6d")
    assert response["X-Request-ID"] == "3f2a9c0d5e6b7a8f9c0d1e2f3a4b5c6d"


@pytest.mark.parametrize("offered", ["", "short", "has space in it", "x" * 65, "a\nb" * 5])
def test_a_missing_or_malformed_id_is_replaced(client, offered):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID=offered)
    made = response["X-Request-ID"]
    assert made != offered and len(made) == 32 and made.isalnum()


def test_log_lines_carry_the_id_in_json(client, monkeypatch):
    lines = []
    handler = logging.Handler()
    handler.addFilter(RequestIdFilter())
    options = settings.LOGGING["formatters"]["json"]
    handler.setFormatter(JsonFormatter(fmt=options["fmt"], rename_fields=options["rename_fields"]))
    handler.emit = lambda record: lines.append(handler.format(record))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-0123456789")  # Django logs a 404
    finally:
        logger.removeHandler(handler)
    logged = json.loads(lines[-1])
    assert logged["request_id"] == "req-0123456789"
    assert logged["level"] == "WARNING" and logged["logger"] == "django.request"
    assert "Not Found" in logged["message"]


def test_the_email_task_runs_under_the_request_s_id(
    api, enterprise_user, coordinator, category, monkeypatch, django_capture_on_commit_callbacks
):
    coordinator.email = "li@example.org"
    coordinator.save()
    seen = []
    monkeypatch.setattr(
        "workflow.notifications.tasks.EmailMessage.send",
        lambda *args, **kwargs: seen.append(current_request_id()),
    )
    body = {"title": "供水管线迁改", "description": "地块内供水管线需迁改", "category": category.pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(enterprise_user).post(
            "/api/v1/cases/",
            {**body, "submit": True},
            format="json",
            HTTP_X_REQUEST_ID="req-abcdef012345",
        )
    assert response.status_code == 201
    assert seen == ["req-abcdef012345"]
    assert current_request_id() == ""  # and nothing leaks past the request
