"""The demo data walks the reference scenario (seed 004) through the services."""


def test_seed_demo_walks_the_reference_scenario_and_runs_twice(db):
    from cases.models import Case
    from workflow.demo import REFERENCE_TITLE, seed_demo
    from workflow.sessions.demo import IMPLEMENTED_TITLE
    from workflow.sessions.models import JointSession

    seed_demo()
    seed_demo()
    reference = Case.objects.get(title=REFERENCE_TITLE)
    assert reference.status == "convening"
    (session,) = reference.sessions.all()
    assert session.status == "notified"
    assert session.participants.count() == 8
    implemented = Case.objects.get(title=IMPLEMENTED_TITLE)
    assert implemented.status == "implementing"
    assert (
        implemented.sessions.get().resolution.summary == "由相邻地块的海曙开投集团报资规局审批实施"
    )
    owners = sorted(implemented.action_items.values_list("owner__short_name", flat=True))
    assert owners == ["海曙开投集团", "资规局"]
    # The reference scenario's two, the earlier relocation (workflow/precedents/demo.py) and the
    # one promoted to a standing rule (workflow/standing_rules/demo.py).
    assert JointSession.objects.count() == 4


def test_admin_reads_sessions_and_rules(admin_client):
    from workflow.demo import seed_demo
    from workflow.implementation.models import RuleItem
    from workflow.sessions.models import JointSession

    seed_demo()
    session = JointSession.objects.first()
    for url in (
        "/admin/workflow/jointsession/",
        f"/admin/workflow/jointsession/{session.pk}/change/",
        "/admin/workflow/ruleitem/",
        f"/admin/workflow/ruleitem/{RuleItem.objects.first().pk}/change/",
    ):
        assert admin_client.get(url).status_code == 200, url
