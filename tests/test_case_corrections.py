"""The enterprise's own work on its case: comments, correcting a case returned for more
information (待补正), editing and deleting a draft, and attachments shown as thumbnails.
Every guard through the services, the API and the pages alike."""

import re
import struct
import zlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Attachment, Case, Comment
from config.fsm import Conflict
from tests import factories
from workflow.casefile import services as case_services
from workflow.casefile.contributions import attachment_add, attachment_remove, comment_add
from workflow.record.models import Event

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
QUESTION = "请补充管线迁改的位置图和产权单位。"


def png() -> bytes:
    """A valid one-pixel PNG."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture
def returned_case(submitted_case, coordinator):
    return case_services.case_return_for_info(case=submitted_case, by=coordinator, reason=QUESTION)


@pytest.fixture
def draft(enterprise_user, category):
    return factories.case(enterprise_user, category=category, submit=False, title="草稿诉求")


@pytest.fixture
def colleague(enterprise_org):
    return factories.user("enterprise_colleague", enterprise_org)


def upload(name="图纸.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type)


# Comments ---------------------------------------------------------------------------------


def test_an_enterprise_posts_a_comment_from_the_page(as_user, enterprise_user, submitted_case):
    client = as_user(enterprise_user)
    url = f"/cases/{submitted_case.pk}/"
    page = client.get(url).content.decode()
    assert 'name="visibility"' not in page  # the enterprise does not choose

    response = client.post(f"{url}comments/", {"body": "补充：管线产权属自来水公司"}, follow=True)

    assert response.redirect_chain == [(f"{url}#comment-form", 302)]
    assert "留言已发表" in response.content.decode()
    comment = submitted_case.comments.get()
    assert (comment.body, comment.visibility) == ("补充：管线产权属自来水公司", "shared")


def test_an_empty_comment_is_refused_beside_the_field_at_the_case_address(
    as_user, enterprise_user, submitted_case
):
    client = as_user(enterprise_user)
    url = f"/cases/{submitted_case.pk}/"

    response = client.post(f"{url}comments/", {"body": "   "}, follow=True)

    assert response.redirect_chain == [(f"{url}#comment-form", 302)]
    page = response.content.decode()
    assert 'id="id_body_errors"' in page and "留言内容不能为空" in page
    assert not Comment.objects.exists()
    # The error was for that one answer: the next visit shows a clean form.
    assert "留言内容不能为空" not in client.get(url).content.decode()


def test_staff_comments_are_internal_unless_shared(as_user, coordinator, submitted_case):
    client = as_user(coordinator)
    url = f"/cases/{submitted_case.pk}/"
    page = client.get(url).content.decode()
    internal = re.search(r'<input type="radio" name="visibility" value="internal"[^>]*>', page)
    shared = re.search(r'<input type="radio" name="visibility" value="shared"[^>]*>', page)
    assert " checked" in internal.group(0) and " checked" not in shared.group(0)

    client.post(f"{url}comments/", {"body": "内部研判", "visibility": "internal"})
    client.post(f"{url}comments/", {"body": "请企业补充图纸", "visibility": "shared"})

    assert dict(submitted_case.comments.values_list("body", "visibility")) == {
        "内部研判": "internal",
        "请企业补充图纸": "shared",
    }


def test_the_service_defaults_staff_to_internal_and_the_enterprise_to_shared(
    coordinator, department_officer, enterprise_user, submitted_case
):
    assert comment_add(case=submitted_case, by=coordinator, body="研判").visibility == "internal"
    assert comment_add(case=submitted_case, by=enterprise_user, body="补充").visibility == "shared"
    internal = Event.objects.get(kind="comment", payload__body="研判")
    assert internal.internal


def test_an_enterprise_cannot_post_an_internal_comment(enterprise_user, submitted_case, api):
    with pytest.raises(PermissionDenied):
        comment_add(case=submitted_case, by=enterprise_user, body="x", visibility="internal")
    response = api.as_user(enterprise_user).post(
        f"/api/v1/cases/{submitted_case.pk}/comments/",
        {"body": "x", "visibility": "internal"},
        format="json",
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"), [("enterprise_user", "shared"), ("coordinator", "internal")]
)
def test_the_api_applies_the_default_visibility(request, api, submitted_case, persona, expected):
    client = api.as_user(request.getfixturevalue(persona))
    response = client.post(
        f"/api/v1/cases/{submitted_case.pk}/comments/", {"body": "说明"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["visibility"] == expected


@pytest.mark.parametrize(
    ("body", "field"),
    [({"body": ""}, "body"), ({"body": "x", "visibility": "everyone"}, "visibility")],
)
def test_the_api_names_the_field_of_a_bad_comment(api, coordinator, submitted_case, body, field):
    response = api.as_user(coordinator).post(
        f"/api/v1/cases/{submitted_case.pk}/comments/", body, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Comment.objects.exists()


def test_another_enterprise_cannot_comment(as_user, api, other_enterprise_user, submitted_case):
    page = as_user(other_enterprise_user).post(
        f"/cases/{submitted_case.pk}/comments/", {"body": "打听"}
    )
    assert page.status_code == 404
    response = api.as_user(other_enterprise_user).post(
        f"/api/v1/cases/{submitted_case.pk}/comments/", {"body": "打听"}, format="json"
    )
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_a_draft_takes_no_comment(as_user, api, enterprise_user, draft):
    with pytest.raises(Conflict):
        comment_add(case=draft, by=enterprise_user, body="自言自语")
    response = api.as_user(enterprise_user).post(
        f"/api/v1/cases/{draft.pk}/comments/", {"body": "自言自语"}, format="json"
    )
    assert response.status_code == 409
    assert (
        'id="comment-form"'
        not in as_user(enterprise_user).get(f"/cases/{draft.pk}/").content.decode()
    )


# Returned for more information (待补正) ------------------------------------------------------


def test_the_banner_shows_the_office_question(as_user, enterprise_user, coordinator, returned_case):
    owner_page = as_user(enterprise_user).get(f"/cases/{returned_case.pk}/").content.decode()
    assert QUESTION in owner_page
    assert f'href="/cases/{returned_case.pk}/edit/"' in owner_page
    office_page = as_user(coordinator).get(f"/cases/{returned_case.pk}/").content.decode()
    assert QUESTION in office_page and f"/cases/{returned_case.pk}/edit/" not in office_page


def test_no_banner_once_resubmitted(as_user, enterprise_user, returned_case):
    case_services.case_resubmit(case=returned_case, by=enterprise_user, reply="已补充")
    page = as_user(enterprise_user).get(f"/cases/{returned_case.pk}/").content.decode()
    assert 'class="card banner"' not in page


def test_the_enterprise_corrects_and_resubmits_from_the_page(as_user, colleague, returned_case):
    client = as_user(colleague)  # any user of the filing enterprise
    url = f"/cases/{returned_case.pk}/edit/"
    form = client.get(url).content.decode()
    assert QUESTION in form and 'name="category"' not in form

    response = client.post(
        url,
        {
            "title": "周边市政配套工程滞后（补正）",
            "description": "管线位置见附图，产权单位为自来水公司。",
            "attachments": [upload("位置图.png", png(), "image/png")],
            "reply": "已补充位置图",
            "action": "send",
        },
    )

    assert response.status_code == 302
    returned_case.refresh_from_db()
    assert returned_case.status == Case.Status.SUBMITTED
    assert returned_case.description == "管线位置见附图，产权单位为自来水公司。"
    assert returned_case.attachments.get().original_name == "位置图.png"
    kinds = list(returned_case.events.values_list("kind", flat=True))
    assert kinds[-3:] == ["case_corrected", "attachment_added", "resubmit"]
    corrected = returned_case.events.get(kind="case_corrected")
    assert corrected.payload["fields"] == ["title", "description"]
    assert returned_case.events.get(kind="resubmit").payload["reply"] == "已补充位置图"


def test_a_correction_with_an_empty_title_is_shown_beside_the_field(
    as_user, enterprise_user, returned_case
):
    response = as_user(enterprise_user).post(
        f"/cases/{returned_case.pk}/edit/",
        {"title": "", "description": "新的描述", "action": "send"},
    )
    assert response.status_code == 400
    assert 'id="id_title_errors"' in response.content.decode()
    returned_case.refresh_from_db()
    assert returned_case.status == Case.Status.NEEDS_INFO
    assert returned_case.description != "新的描述"


def test_the_api_corrects_title_and_description_only(api, enterprise_user, returned_case, category):
    client = api.as_user(enterprise_user)
    url = f"/api/v1/cases/{returned_case.pk}/"

    response = client.patch(url, {"description": "补充后的描述"}, format="json")
    assert response.status_code == 200
    assert response.json()["description"] == "补充后的描述"

    refused = client.patch(url, {"urgency": "critical"}, format="json")
    assert refused.status_code == 400
    assert "urgency" in refused.json()["error"]["fields"]
    blank = client.patch(url, {"title": " "}, format="json")
    assert blank.status_code == 400 and "title" in blank.json()["error"]["fields"]
    empty = client.patch(url, {}, format="json")
    assert empty.status_code == 400
    returned_case.refresh_from_db()
    assert returned_case.urgency == "normal"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 403),
        ("department_officer", 404),
        ("other_enterprise_user", 404),
    ],
)
def test_only_the_enterprise_corrects_its_case(
    request, api, as_user, returned_case, persona, status
):
    user = request.getfixturevalue(persona)
    response = api.as_user(user).patch(
        f"/api/v1/cases/{returned_case.pk}/", {"title": "改掉"}, format="json"
    )
    assert response.status_code == status
    page = as_user(user).post(f"/cases/{returned_case.pk}/edit/", {"title": "改掉"})
    assert page.status_code == status
    returned_case.refresh_from_db()
    assert returned_case.title != "改掉"


def test_the_service_refuses_another_role(coordinator, returned_case):
    with pytest.raises(PermissionDenied):
        case_services.case_edit(case=returned_case, by=coordinator, title="改掉")


def test_a_submitted_case_cannot_be_corrected(as_user, api, enterprise_user, submitted_case):
    with pytest.raises(Conflict):
        case_services.case_edit(case=submitted_case, by=enterprise_user, title="改掉")
    response = api.as_user(enterprise_user).patch(
        f"/api/v1/cases/{submitted_case.pk}/", {"title": "改掉"}, format="json"
    )
    assert response.status_code == 409
    page = as_user(enterprise_user).get(f"/cases/{submitted_case.pk}/edit/", follow=True)
    assert page.redirect_chain == [(f"/cases/{submitted_case.pk}/", 302)]
    assert "不能修改诉求内容" in page.content.decode()


# Drafts -----------------------------------------------------------------------------------


def test_a_draft_is_saved_from_the_new_case_page_and_leaves_no_record(
    as_user, enterprise_user, category
):
    response = as_user(enterprise_user).post(
        "/cases/new/",
        {
            "title": "园区道路接入",
            "category": category.pk,
            "description": "道路接入口未定。",
            "urgency": "normal",
            "attachments": [upload()],
            "action": "draft",
        },
        follow=True,
    )
    case = Case.objects.get(title="园区道路接入")
    assert case.status == Case.Status.DRAFT
    assert "草稿已保存" in response.content.decode()
    assert not case.events.exists()
    assert case.attachments.count() == 1


def test_a_draft_is_edited_and_submitted(as_user, enterprise_user, draft, category):
    client = as_user(enterprise_user)
    url = f"/cases/{draft.pk}/edit/"
    assert 'name="category"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "title": "草稿诉求（改）",
            "category": category.pk,
            "description": "改过的描述",
            "urgency": "urgent",
            "action": "save",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.urgency, draft.status) == ("草稿诉求（改）", "urgent", "draft")
    assert not draft.events.exists()

    client.post(
        url,
        {
            "title": "草稿诉求（改）",
            "category": category.pk,
            "description": "改过的描述",
            "urgency": "urgent",
            "action": "send",
        },
    )
    draft.refresh_from_db()
    assert draft.status == Case.Status.SUBMITTED
    assert list(draft.events.values_list("kind", flat=True)) == ["created", "submit"]


def test_the_api_edits_a_draft(api, enterprise_user, draft):
    response = api.as_user(enterprise_user).patch(
        f"/api/v1/cases/{draft.pk}/", {"urgency": "critical", "location": "望春"}, format="json"
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.urgency, draft.location) == ("critical", "望春")


def test_a_draft_is_deleted_after_confirmation(as_user, enterprise_user, draft):
    attachment = attachment_add(case=draft, by=enterprise_user, upload=upload())
    client = as_user(enterprise_user)
    url = f"/cases/{draft.pk}/delete/"

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "草稿诉求" in confirm.content.decode()
    assert Case.objects.filter(pk=draft.pk).exists()  # asking deletes nothing

    response = client.post(url, follow=True)

    assert response.redirect_chain == [("/cases/", 302)]
    assert "已删除" in response.content.decode()
    assert not Case.objects.filter(pk=draft.pk).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_deleting_a_draft_removes_its_files(
    enterprise_user, draft, settings, django_capture_on_commit_callbacks
):
    attachment = attachment_add(case=draft, by=enterprise_user, upload=upload())
    stored = settings.MEDIA_ROOT / attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_delete_draft(case=draft, by=enterprise_user)
    assert not stored.exists()


def test_the_api_deletes_a_draft(api, enterprise_user, draft):
    response = api.as_user(enterprise_user).delete(f"/api/v1/cases/{draft.pk}/")
    assert response.status_code == 204
    assert not Case.objects.filter(pk=draft.pk).exists()


def test_a_submitted_case_is_never_deleted(as_user, api, enterprise_user, submitted_case):
    response = api.as_user(enterprise_user).delete(f"/api/v1/cases/{submitted_case.pk}/")
    assert response.status_code == 409
    page = as_user(enterprise_user).post(f"/cases/{submitted_case.pk}/delete/", follow=True)
    assert "只有草稿可以删除" in page.content.decode()
    assert Case.objects.filter(pk=submitted_case.pk).exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("other_enterprise_user", 404), ("coordinator", 404)]
)
def test_only_the_enterprise_sees_and_deletes_its_draft(
    request, api, as_user, draft, persona, status
):
    user = request.getfixturevalue(persona)
    assert api.as_user(user).delete(f"/api/v1/cases/{draft.pk}/").status_code == status
    assert as_user(user).post(f"/cases/{draft.pk}/delete/").status_code == status
    assert Case.objects.filter(pk=draft.pk).exists()


def test_the_service_refuses_another_enterprise(other_enterprise_user, draft):
    with pytest.raises(PermissionDenied):
        case_services.case_delete_draft(case=draft, by=other_enterprise_user)
    with pytest.raises(PermissionDenied):
        case_services.case_edit(case=draft, by=other_enterprise_user, title="抢改")


def test_a_draft_with_a_record_is_withdrawn_not_deleted(enterprise_user, draft):
    Event.objects.create(case=draft, kind="created", actor=enterprise_user, to_state="draft")
    with pytest.raises(Conflict):
        case_services.case_delete_draft(case=draft, by=enterprise_user)
    assert Case.objects.filter(pk=draft.pk).exists()


def test_a_draft_rejects_an_inactive_category(enterprise_user, draft, category):
    from cases.models import Category

    retired = Category.objects.create(code="retired", name="旧类别", is_active=False)
    with pytest.raises(ValidationError) as refused:
        case_services.case_edit(case=draft, by=enterprise_user, category=retired)
    assert "category" in refused.value.message_dict
    draft.refresh_from_db()
    assert draft.category == category


# Attachments ------------------------------------------------------------------------------


def test_an_attachment_is_removed_while_correcting(api, as_user, enterprise_user, returned_case):
    keep = attachment_add(case=returned_case, by=enterprise_user, upload=upload("保留.pdf"))
    wrong = attachment_add(case=returned_case, by=enterprise_user, upload=upload("错误.pdf"))
    response = as_user(enterprise_user).post(
        f"/cases/{returned_case.pk}/edit/",
        {
            "title": returned_case.title,
            "description": returned_case.description,
            "remove_attachments": [wrong.pk],
            "action": "save",
        },
    )
    assert response.status_code == 302
    assert list(returned_case.attachments.all()) == [keep]
    removed = returned_case.events.get(kind="attachment_removed")
    assert removed.payload["name"] == "错误.pdf"

    url = f"/api/v1/cases/{returned_case.pk}/attachments/{keep.pk}/"
    assert api.as_user(enterprise_user).delete(url).status_code == 204
    assert not returned_case.attachments.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 403), ("other_enterprise_user", 404), ("department_officer", 404)],
)
def test_only_the_enterprise_removes_attachments(
    request, api, enterprise_user, returned_case, persona, status
):
    attachment = attachment_add(case=returned_case, by=enterprise_user, upload=upload())
    client = api.as_user(request.getfixturevalue(persona))
    url = f"/api/v1/cases/{returned_case.pk}/attachments/{attachment.pk}/"
    assert client.delete(url).status_code == status
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_attachments_stay_once_the_case_is_submitted(api, enterprise_user, submitted_case):
    attachment = attachment_add(case=submitted_case, by=enterprise_user, upload=upload())
    with pytest.raises(Conflict):
        attachment_remove(attachment=attachment, by=enterprise_user)
    url = f"/api/v1/cases/{submitted_case.pk}/attachments/{attachment.pk}/"
    assert api.as_user(enterprise_user).delete(url).status_code == 409
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_images_show_as_thumbnails_and_other_files_as_links(
    as_user, enterprise_user, submitted_case
):
    image = attachment_add(
        case=submitted_case, by=enterprise_user, upload=upload("现场.png", png(), "image/png")
    )
    pdf = attachment_add(case=submitted_case, by=enterprise_user, upload=upload())
    page = as_user(enterprise_user).get(f"/cases/{submitted_case.pk}/").content.decode()
    image_url = f"/api/v1/cases/{submitted_case.pk}/attachments/{image.pk}/download/"
    pdf_url = f"/api/v1/cases/{submitted_case.pk}/attachments/{pdf.pk}/download/"
    assert f'<img src="{image_url}" alt="图片附件：现场.png"' in page
    assert f'<img src="{pdf_url}"' not in page
    assert f'<a href="{pdf_url}">图纸.pdf</a>' in page
    assert as_user(enterprise_user).get(image_url)["Content-Type"] == "image/png"
