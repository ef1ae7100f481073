"""The demo data: loaded by the run command, safe to load again, and usable as documented."""

import pytest
from django.apps import apps
from django.core.management import call_command

from departments.models import User

DEMO_ACCOUNTS = [
    "enterprise",
    "enterprise2",
    "coordinator",
    "zigui",
    "zhujian",
    "kaitou",
    "legal",
    "deputy",
    "cppcc",
    "citizen",
]


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for app in ("departments", "cases", "workflow")
        for model in apps.get_app_config(app).get_models()
    }


@pytest.mark.django_db
def test_seeding_twice_adds_nothing_the_second_time():
    call_command("seed_demo")
    first = row_counts()
    call_command("seed_demo")
    assert row_counts() == first


@pytest.mark.django_db
@pytest.mark.parametrize("username", DEMO_ACCOUNTS)
def test_every_demo_account_signs_in_with_the_documented_password(api, username):
    call_command("seed_demo")
    response = api.post(
        "/api/v1/auth/token/", {"username": username, "password": "shenlianti-demo"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert User.objects.get(username=username).is_active


@pytest.mark.django_db
def test_the_readme_lists_every_demo_account():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for username in DEMO_ACCOUNTS:
        assert f"`{username}`" in readme, username


@pytest.mark.django_db
def test_the_demo_has_a_case_in_each_stage_a_new_user_meets_first():
    from cases.models import Case

    call_command("seed_demo")
    coordinator = User.objects.get(username="coordinator")
    statuses = set(Case.objects.visible_to(coordinator).values_list("status", flat=True))
    # The office's queue is not empty on first sign-in, and both routes are under way.
    assert {"submitted", "needs_info", "convening", "implementing", "closed"} <= statuses
