"""Quorum: a resolution needs every required participant present with an opinion, and a legal
basis; otherwise the refusal lists exactly what is missing. Opinions are versioned and frozen
after the session ends."""

import pytest

from cases.models import Case
from workflow.record.models import Event
from workflow.sessions import opinions as session_opinions
from workflow.sessions import participants as session_participants
from workflow.sessions import services as sessions
from workflow.sessions.models import Opinion, Resolution

RESOLUTION = {
    "summary": "由相邻地块的海曙开投集团报资规局审批实施",
    "legal_basis": "《中华人民共和国城乡规划法》第四十条",
}


def conclude(api, user, session, **body):
    return api.as_user(user).post(
        f"/api/v1/sessions/{session.pk}/transitions/", {"name": "conclude", **body}, format="json"
    )


def opinion(api, user, participant, **body):
    return api.as_user(user).post(
        f"/api/v1/sessions/{participant.session_id}/opinions/",
        {"participant": participant.pk, **body},
        format="json",
    )


def test_conclude_lists_every_missing_requirement(api, coordinator, in_progress):
    session, parts = in_progress
    session_participants.participant_mark_attendance(
        participant=parts["zigui"], by=coordinator, attendance="present"
    )
    response = conclude(api, coordinator, session, summary=RESOLUTION["summary"])
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "quorum_not_met"
    assert error["details"]["missing"] == [
        {"kind": "opinion", "participant": parts["zigui"].pk, "name": "资规局"},
        {"kind": "absent", "participant": parts["kaitou"].pk, "name": "海曙开投集团"},
        {"kind": "opinion", "participant": parts["kaitou"].pk, "name": "海曙开投集团"},
        {"kind": "legal_basis"},
    ]
    assert "资规局 未发表意见" in error["message"]
    assert "海曙开投集团 未到会" in error["message"]
    assert "法律依据" in error["message"]
    assert Case.objects.get(pk=session.case_id).status == "convening"


def test_only_the_legal_basis_missing(api, coordinator, quorate):
    session, _ = quorate
    response = conclude(api, coordinator, session, summary=RESOLUTION["summary"])
    assert response.json()["error"]["details"]["missing"] == [{"kind": "legal_basis"}]


def test_optional_participants_do_not_count_for_quorum(api, coordinator, quorate):
    session, _ = quorate  # the legal expert and the deputy neither came nor spoke
    response = conclude(api, coordinator, session, **RESOLUTION)
    assert response.status_code == 200, response.json()


def test_conclude_adopts_an_immutable_resolution_and_deliberates_the_case(
    api, coordinator, quorate, legal_expert, kaitou_org
):
    session, parts = quorate
    session_opinions.opinion_record(
        participant=parts["legal"], by=legal_expert, stance="conditional", reasons="须依法报批"
    )
    response = conclude(
        api, coordinator, session, **RESOLUTION, responsible_organisations=[kaitou_org.pk]
    )
    body = response.json()
    assert body["status"] == "concluded"
    resolution = body["resolution"]
    assert resolution["tally"] == {"support": 2, "object": 0, "abstain": 0, "conditional": 1}
    assert resolution["legal_basis"] == RESOLUTION["legal_basis"]
    assert resolution["adopted_by"]["id"] == coordinator.pk
    assert [o["id"] for o in resolution["responsible_organisations"]] == [kaitou_org.pk]
    assert Case.objects.get(pk=session.case_id).status == "deliberated"
    with pytest.raises(TypeError):
        Resolution.objects.get(session=session).save()


def test_only_coordinators_conclude(api, department_officer, quorate):
    session, _ = quorate
    assert conclude(api, department_officer, session, **RESOLUTION).status_code == 403


def test_cannot_conclude_before_the_session_starts(api, coordinator, invited):
    session, _ = invited
    response = conclude(api, coordinator, session, **RESOLUTION)
    assert (response.status_code, response.json()["error"]["code"]) == (409, "invalid_state")


def test_available_transitions_offer_conclude_only_with_quorum(
    api, coordinator, in_progress, quorate
):
    session, _ = quorate
    names = [
        t["name"]
        for t in api.as_user(coordinator).get(f"/api/v1/sessions/{session.pk}/transitions/").json()
    ]
    assert names == ["conclude", "adjourn"]


def test_opinions_are_versioned_and_each_version_is_an_event(api, in_progress, department_officer):
    session, parts = in_progress
    first = opinion(api, department_officer, parts["zigui"], stance="object", reasons="尚缺测绘")
    second = opinion(api, department_officer, parts["zigui"], stance="support", reasons="已补齐")
    assert (first.json()["version"], second.json()["version"]) == (1, 2)
    events = Event.objects.filter(case_id=session.case_id, kind="session_opinion")
    assert [e.payload["version"] for e in events] == [1, 2]
    listed = api.as_user(department_officer).get(f"/api/v1/sessions/{session.pk}/opinions/")
    assert [o["stance"] for o in listed.json()["results"]] == ["object", "support"]


def test_objection_needs_reasons(api, in_progress, department_officer):
    _, parts = in_progress
    response = opinion(api, department_officer, parts["zigui"], stance="object")
    assert response.status_code == 400
    assert "reasons" in response.json()["error"]["fields"]


def test_only_the_participant_or_delegate_writes_the_opinion(
    api, coordinator, in_progress, legal_expert, department_officer, department_leader
):
    _, parts = in_progress
    assert opinion(api, legal_expert, parts["zigui"], stance="support").status_code == 403
    assert opinion(api, coordinator, parts["legal"], stance="support").status_code == 403
    assert opinion(api, legal_expert, parts["legal"], stance="abstain").status_code == 201
    session_participants.participant_rsvp(
        participant=parts["zigui"],
        by=department_officer,
        answer="delegated",
        delegate=department_leader,
    )
    assert opinion(api, department_leader, parts["zigui"], stance="support").status_code == 201


def test_opinions_are_frozen_after_conclusion(api, concluded, department_officer):
    _, parts = concluded
    response = opinion(api, department_officer, parts["zigui"], stance="object", reasons="改变主意")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "opinions_frozen")
    assert Opinion.objects.filter(participant=parts["zigui"]).count() == 1


def test_opinion_versions_cannot_be_rewritten(quorate):
    _, parts = quorate
    with pytest.raises(TypeError):
        parts["zigui"].opinions.get().save()


def test_adjourned_session_freezes_opinions_and_keeps_the_case_convening(
    api, coordinator, in_progress, department_officer
):
    session, parts = in_progress
    sessions.session_adjourn(session=session, by=coordinator, reason="待补充资料")
    assert opinion(api, department_officer, parts["zigui"], stance="support").status_code == 409
    assert Case.objects.get(pk=session.case_id).status == "convening"


def test_opinion_list_query_count(api, coordinator, quorate, django_assert_num_queries):
    session, _ = quorate
    api.as_user(coordinator)
    for size in (1, 50):
        with django_assert_num_queries(3):
            response = api.get(f"/api/v1/sessions/{session.pk}/opinions/?page_size={size}")
        assert response.status_code == 200


def test_opinion_attachments_belong_to_the_case(
    api, in_progress, department_officer, enterprise_user, other_enterprise_user
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests import factories
    from workflow.casefile.contributions import attachment_add

    session, parts = in_progress
    pdf = b"%PDF-1.4 minimal"
    own = attachment_add(
        case=session.case, by=enterprise_user, upload=SimpleUploadedFile("a.pdf", pdf)
    )
    other_case = factories.case(other_enterprise_user)
    foreign = attachment_add(
        case=other_case, by=other_enterprise_user, upload=SimpleUploadedFile("b.pdf", pdf)
    )
    refused = opinion(
        api, department_officer, parts["zigui"], stance="support", attachments=[foreign.pk]
    )
    assert refused.status_code == 400
    assert "attachments" in refused.json()["error"]["fields"]
    accepted = opinion(
        api, department_officer, parts["zigui"], stance="support", attachments=[own.pk]
    )
    assert accepted.json()["attachments"] == [own.pk]
