"""个人设置: every signed-in person changes their e-mail, phone, language, password and which
notifications come by e-mail; each form once wrong (errors at the page's own address, nothing
saved) and once right (saved, confirmed)."""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse

from workflow.notifications.kinds import KINDS

pytestmark = pytest.mark.django_db

URL = "/profile/"


@pytest.fixture
def signed_in(client, department_officer):
    client.force_login(department_officer)
    return client


def said(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "persona", ["coordinator", "enterprise_user", "department_officer", "legal_expert"]
)
def test_every_signed_in_person_reaches_it_from_the_header(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    home = client.get("/").content.decode()
    assert f'href="{URL}"' in home
    page = client.get(URL)
    assert page.status_code == 200
    for section in ("contact", "email", "password"):
        assert f'name="section" value="{section}"' in page.content.decode()


def test_contact_errors_then_saved(signed_in, department_officer):
    bad = signed_in.post(
        URL,
        {
            "section": "contact",
            "contact-email": "not-an-address",
            "contact-phone": "call me",
            "contact-language": "fr",
        },
    )
    assert bad.status_code == 400
    form = bad.context["sections"][0][1]
    assert set(form.errors) == {"email", "phone", "language"}
    assert "未保存" in bad.content.decode()
    department_officer.refresh_from_db()
    assert (department_officer.email, department_officer.phone) == ("", "")

    good = signed_in.post(
        URL,
        {
            "section": "contact",
            "contact-email": " zigui@example.org ",
            "contact-phone": "0574-87654321",
            "contact-language": "en",
        },
    )
    assert good.status_code == 302 and good.url == URL
    assert said(good) == ["联系方式已保存。"]
    assert good.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    department_officer.refresh_from_db()
    assert (department_officer.email, department_officer.phone, department_officer.language) == (
        "zigui@example.org",
        "0574-87654321",
        "en",
    )
    assert "My settings" in signed_in.get(URL).content.decode()


def test_password_wrong_then_right(signed_in, department_officer):
    wrong = signed_in.post(
        URL,
        {
            "section": "password",
            "password-old_password": "not-my-password",
            "password-new_password1": "Haishu-2026-new",
            "password-new_password2": "Haishu-2026-new",
        },
    )
    assert wrong.status_code == 400
    assert "old_password" in wrong.context["sections"][-1][1].errors
    mismatch = signed_in.post(
        URL,
        {
            "section": "password",
            "password-old_password": "pw",
            "password-new_password1": "Haishu-2026-new",
            "password-new_password2": "Haishu-2026-other",
        },
    )
    assert mismatch.status_code == 400
    assert "new_password2" in mismatch.context["sections"][-1][1].errors
    weak = signed_in.post(
        URL,
        {
            "section": "password",
            "password-old_password": "pw",
            "password-new_password1": "12345678",
            "password-new_password2": "12345678",
        },
    )
    assert weak.status_code == 400
    department_officer.refresh_from_db()
    assert department_officer.check_password("pw")

    right = signed_in.post(
        URL,
        {
            "section": "password",
            "password-old_password": "pw",
            "password-new_password1": "Haishu-2026-new",
            "password-new_password2": "Haishu-2026-new",
        },
    )
    assert right.status_code == 302 and said(right) == ["密码已修改。"]
    department_officer.refresh_from_db()
    assert department_officer.check_password("Haishu-2026-new")
    assert signed_in.get(URL).status_code == 200  # still signed in on this device


def test_email_preferences_saved_and_shown(signed_in, department_officer):
    keep = ["action_item_assigned", "deadline"]
    response = signed_in.post(URL, {"section": "email", "email-by_email": keep})
    assert response.status_code == 302 and said(response) == ["邮件通知设置已保存。"]
    department_officer.refresh_from_db()
    assert set(department_officer.email_muted_kinds) == set(KINDS) - set(keep)
    assert not department_officer.wants_email("rules_issued")
    form = signed_in.get(URL).context["sections"][1][1]
    assert set(form.initial["by_email"]) == set(keep)


def test_email_preferences_refuse_an_unknown_kind(signed_in, department_officer):
    response = signed_in.post(URL, {"section": "email", "email-by_email": ["deadline", "bogus"]})
    assert response.status_code == 400
    assert "by_email" in response.context["sections"][1][1].errors
    department_officer.refresh_from_db()
    assert department_officer.email_muted_kinds == []


def test_an_unknown_section_saves_nothing(signed_in, department_officer):
    response = signed_in.post(URL, {"section": "admin", "contact-email": "x@example.org"})
    assert response.status_code == 400
    department_officer.refresh_from_db()
    assert department_officer.email == ""


def test_english_page_has_no_chinese_labels(signed_in):
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = signed_in.get(URL).content.decode()
    for text in ("My settings", "Change password", "E-mail notifications", "New case to accept"):
        assert text in page
    for text in ("个人设置", "修改密码", "邮件通知", "新诉求待受理"):
        assert text not in page
