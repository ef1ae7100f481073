"""Use cases of a standing rule (常态化机制): the office leader promotes a resolved case's
resolution and rules to a standing rule, puts a version in force, amends it (a new version) and
retires it; a coordinator applies the rule in force to a new case of its category, which assigns
the case directly under it (交办) without convening a joint session.

Promoting and applying concern a case, so each writes an event on that case; the other steps
concern only the rule, whose own history is read from its versions (`selectors.history`).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cases.models import Case
from config import timesource
from config.fsm import Conflict, fire
from departments.models import Organisation
from workflow.casefile.services import case_accept
from workflow.items.services import case_assign
from workflow.record.services import record_event
from workflow.standing_rules.models import (
    StandingRule,
    StandingRuleApplication,
    StandingRuleItem,
    StandingRuleVersion,
)

OWNER_KINDS = (Organisation.Kind.DEPARTMENT, Organisation.Kind.THIRD_PARTY)
# A resolved case's resolution is what gets promoted: it must have been carried out.
PROMOTABLE = (Case.Status.RESOLVED, Case.Status.CLOSED)
# Triage: a new case (accepted on the way) or one the office has accepted.
APPLICABLE = (Case.Status.SUBMITTED, Case.Status.ACCEPTED)
MAX_WORKING_DAYS = 250


def _leader_only(by) -> None:
    if not (by.is_coordinator and by.is_leader):
        raise PermissionDenied(_("只有政务服务办领导可以制定、修订或废止常态化机制。"))


def _text(value, field, errors) -> str:
    value = (value or "").strip()
    if not value:
        errors[field] = [_("请填写此项。")]
    return value


def _clean_items(items: list[dict], errors: dict) -> list[dict]:
    """Each item: {"owner": Organisation, "title", "deliverable", "working_days"}; problems are
    named by place, items.<row>.<field>, all at once."""
    if not items:
        errors["items"] = [_("常态化机制至少要有一项任务。")]
        return []
    cleaned = []
    for index, item in enumerate(items):
        title = (item.get("title") or "").strip()
        if not title:
            errors[f"items.{index}.title"] = [_("请填写此项。")]
        owner = item.get("owner")
        if owner is None or owner.kind not in OWNER_KINDS:
            errors[f"items.{index}.owner"] = [_("责任单位只能是部门或第三方。")]
        days = item.get("working_days")
        if not isinstance(days, int) or not 1 <= days <= MAX_WORKING_DAYS:
            errors[f"items.{index}.working_days"] = [
                _("办理时限须是 1 到 %(max)s 个工作日。") % {"max": MAX_WORKING_DAYS}
            ]
        cleaned.append(
            {
                "title": title,
                "owner": owner,
                "deliverable": (item.get("deliverable") or "").strip(),
                "working_days": days,
            }
        )
    return cleaned


def _clean_effective_on(effective_on, errors) -> None:
    if not isinstance(effective_on, date):
        errors["effective_on"] = [_("请填写生效日期。")]
    elif effective_on < timesource.today():
        errors["effective_on"] = [_("生效日期不能早于今天。")]


def _add_version(rule, *, by, version, summary, legal_basis, effective_on, items, reason=""):
    drafted = StandingRuleVersion.objects.create(
        rule=rule,
        version=version,
        summary=summary,
        legal_basis=legal_basis,
        effective_on=effective_on,
        reason=reason,
        created_by=by,
    )
    StandingRuleItem.objects.bulk_create(
        StandingRuleItem(version=drafted, number=number, **item)
        for number, item in enumerate(items, start=1)
    )
    return drafted


def _citation(version: StandingRuleVersion) -> dict:
    """How an event cites a version: enough to print it after the rule changes."""
    return {
        "rule": version.rule_id,
        "number": version.rule.number,
        "version": version.version,
        "title": version.rule.title,
    }


@transaction.atomic
def standing_rule_promote(
    *,
    case: Case,
    by,
    title: str,
    summary: str,
    legal_basis: str,
    effective_on: date,
    items: list[dict],
    enact: bool = False,
) -> StandingRule:
    """转为常态化机制: the office leader makes a resolved case's resolution and rules the
    standing rule of its category (version 1, a draft unless `enact`)."""
    _leader_only(by)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in PROMOTABLE:
        raise Conflict(_("只有已办结的诉求事项才能转为常态化机制。"), code="invalid_state")
    errors = {}
    title = _text(title, "title", errors)
    summary = _text(summary, "summary", errors)
    legal_basis = _text(legal_basis, "legal_basis", errors)
    _clean_effective_on(effective_on, errors)
    items = _clean_items(items, errors)
    if errors:
        raise ValidationError(errors)
    last = StandingRule.objects.aggregate(last=Max("number"))["last"] or 0
    try:
        with transaction.atomic():
            rule = StandingRule.objects.create(
                number=last + 1,
                category=case.category,
                title=title,
                source_case=case,
                created_by=by,
            )
    except IntegrityError as exc:  # another leader numbered a rule at the same moment
        raise Conflict(_("该记录已被他人修改，请刷新后重试。"), code="concurrent_change") from exc
    version = _add_version(
        rule,
        by=by,
        version=1,
        summary=summary,
        legal_basis=legal_basis,
        effective_on=effective_on,
        items=items,
    )
    # Internal: the enterprise's case taught the office something; the draft is the office's.
    record_event(
        case=case,
        kind="standing_rule_promoted",
        actor=by,
        payload=_citation(version),
        internal=True,
    )
    if enact:
        standing_rule_enact(version=version, by=by)
    return rule


@transaction.atomic
def standing_rule_amend(
    *,
    rule: StandingRule,
    by,
    summary: str,
    legal_basis: str,
    effective_on: date,
    items: list[dict],
    reason: str,
    enact: bool = False,
) -> StandingRuleVersion:
    """修订: a new version, drafted from the leader's text; it supersedes the version in force
    on its own effective date once put in force."""
    _leader_only(by)
    rule = StandingRule.objects.select_for_update().get(pk=rule.pk)
    versions = rule.versions.all()
    if not versions.filter(status=StandingRuleVersion.Status.IN_FORCE).exists():
        raise Conflict(_("只有施行中的常态化机制可以修订。"), code="invalid_state")
    if versions.filter(status=StandingRuleVersion.Status.DRAFT).exists():
        raise Conflict(_("已有一个待施行的修订草案：请先施行或废止它。"), code="draft_pending")
    errors = {}
    summary = _text(summary, "summary", errors)
    legal_basis = _text(legal_basis, "legal_basis", errors)
    reason = _text(reason, "reason", errors)
    _clean_effective_on(effective_on, errors)
    items = _clean_items(items, errors)
    if errors:
        raise ValidationError(errors)
    version = _add_version(
        rule,
        by=by,
        version=(versions.aggregate(last=Max("version"))["last"] or 0) + 1,
        summary=summary,
        legal_basis=legal_basis,
        effective_on=effective_on,
        items=items,
        reason=reason,
    )
    if enact:
        version = standing_rule_enact(version=version, by=by)
    return version


@transaction.atomic
def standing_rule_enact(*, version: StandingRuleVersion, by) -> StandingRuleVersion:
    """施行: put a drafted version in force from its effective date."""
    StandingRule.objects.select_for_update().get(pk=version.rule_id)
    version = StandingRuleVersion.objects.select_for_update().get(pk=version.pk)
    fire(version, "enact", by, by)
    return version


@transaction.atomic
def standing_rule_retire(*, rule: StandingRule, by, reason: str) -> StandingRule:
    """废止: every version still drafted or in force is retired; no new case is handled under
    the rule, and the cases handled under it keep their record."""
    _leader_only(by)
    rule = StandingRule.objects.select_for_update().get(pk=rule.pk)
    live = list(
        rule.versions.select_for_update().exclude(status=StandingRuleVersion.Status.RETIRED)
    )
    if not live:
        raise Conflict(_("该常态化机制已废止。"), code="invalid_state")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写废止原因。")]})
    for version in live:
        fire(version, "retire", by, by, reason)
    return rule


@transaction.atomic
def standing_rule_apply(
    *, case: Case, rule: StandingRule, by, version: int | None = None
) -> StandingRuleApplication:
    """依常态化机制直接交办: a new case of the rule's category is assigned under the version in
    force today, without convening: one action item per rule item, due that many working days
    from today; the assignment's event cites the rule and its version.

    `version` is the version the coordinator saw: if another has come into force since, the
    case is not assigned under a text they did not read (409)."""
    if not by.is_coordinator:
        raise PermissionDenied(_("只有协调员可以依常态化机制交办。"))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in APPLICABLE:
        raise Conflict(
            _("只有待受理或已受理的诉求事项可以依常态化机制直接交办。"), code="invalid_state"
        )
    if StandingRuleApplication.objects.filter(case=case).exists():
        raise Conflict(_("该诉求事项已依常态化机制办理过。"), code="already_applied")
    if case.category_id != rule.category_id:
        raise Conflict(_("该常态化机制适用于其他问题类别。"), code="wrong_category")
    in_force = rule.in_force_on(timesource.today())
    if in_force is None:
        raise Conflict(_("该常态化机制今天不在施行期内（尚未生效或已废止）。"), code="not_in_force")
    if version is not None and version != in_force.version:
        raise Conflict(
            _("现行的是第%(v)s版，与您看到的版本不同，请刷新后重试。") % {"v": in_force.version},
            code="version_changed",
        )
    citation = _citation(in_force)
    if case.status == Case.Status.SUBMITTED:
        # Accepted on the way; the assignment's event cites the rule.
        case = case_accept(case=case, by=by)
    case = case_assign(
        case=case,
        by=by,
        assignments=[
            {
                "organisation": item.owner,
                "title": item.title,
                "deliverable": item.deliverable,
                "due_in_working_days": item.working_days,
            }
            for item in in_force.items.select_related("owner")
        ],
        standing_rule=citation,
    )
    return StandingRuleApplication.objects.create(case=case, version=in_force, applied_by=by)
