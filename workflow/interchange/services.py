"""Use cases of interchange: managing external systems and their keys, filing a case for one,
and making a case public on Open311. Called by the API, the Open311 views, the pages and the
admin alike."""

import copy
import secrets
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Category
from departments.credit_code import validate_credit_code
from departments.models import Organisation
from workflow.casefile.services import case_submit
from workflow.interchange.models import ExternalCase, ExternalSystem, PublicRequest


def new_key() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def system_create(
    *,
    name: str,
    channel: str,
    operations: list[str],
    organisation: Organisation | None = None,
    callback_url: str = "",
    subscription: str = ExternalSystem.Subscription.OWN,
) -> tuple[ExternalSystem, str]:
    """A new external system with its account; returns it and its API key (shown this once)."""
    unknown = set(operations) - set(ExternalSystem.Operation.values)
    if unknown:
        raise ValidationError(
            {"operations": [_("未知的操作：%(names)s") % {"names": ", ".join(sorted(unknown))}]}
        )
    account = get_user_model().objects.create_user(
        username=f"system-{secrets.token_hex(6)}", display_name=name
    )
    account.set_unusable_password()
    account.save(update_fields=["password"])
    key = new_key()
    system = ExternalSystem(
        name=name,
        channel=channel,
        operations=list(operations),
        organisation=organisation,
        callback_url=callback_url,
        subscription=subscription,
        user=account,
        key_digest=ExternalSystem.digest_of(key),
        key_prefix=key[:8],
        key_issued_at=timezone.now(),
        signing_secret=secrets.token_hex(32) if callback_url else "",
    )
    system.full_clean(exclude=["user"])
    system.save()
    return system, key


def system_rotate_key(*, system: ExternalSystem) -> str:
    """A new key replaces the old one at once (and lifts a revocation); returns the new key."""
    key = new_key()
    ExternalSystem.objects.filter(pk=system.pk).update(
        key_digest=ExternalSystem.digest_of(key),
        key_prefix=key[:8],
        key_issued_at=timezone.now(),
        revoked_at=None,
    )
    system.refresh_from_db()
    return key


def system_revoke(*, system: ExternalSystem) -> None:
    """The system's key files nothing any more; its callbacks stop too."""
    ExternalSystem.objects.filter(pk=system.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    system.refresh_from_db()


def system_new_signing_secret(*, system: ExternalSystem) -> str:
    secret = secrets.token_hex(32)
    ExternalSystem.objects.filter(pk=system.pk).update(signing_secret=secret)
    system.refresh_from_db()
    return secret


def system_by_key(key: str) -> ExternalSystem | None:
    return (
        ExternalSystem.objects.select_related("user", "organisation")
        .filter(key_digest=ExternalSystem.digest_of(key))
        .first()
    )


def enterprise_for(*, system: ExternalSystem, credit_code: str, name: str = "") -> Organisation:
    """The enterprise a system files for: its own organisation, or the enterprise with this
    credit code, registered as not yet verified (未核实) when nobody here knows it."""
    code = (credit_code or "").strip().upper()
    if system.organisation_id:
        if code and code != (system.organisation.credit_code or ""):
            raise ValidationError({"credit_code": [_("该系统只能代本企业提交诉求。")]})
        return system.organisation
    if not code:
        raise ValidationError({"credit_code": [_("请填写企业的统一社会信用代码。")]})
    try:
        validate_credit_code(code)
    except ValidationError as error:
        raise ValidationError({"credit_code": error.messages}) from error
    name = (name or "").strip()[:150] or _("未核实企业 %(code)s") % {"code": code}
    if Organisation.objects.filter(name=name).exclude(credit_code=code).exists():
        name = f"{name}（{code}）"
    enterprise, _created = Organisation.objects.get_or_create(
        credit_code=code,
        defaults={"name": name, "kind": Organisation.Kind.ENTERPRISE, "is_verified": False},
    )
    if enterprise.kind != Organisation.Kind.ENTERPRISE:
        raise ValidationError({"credit_code": [_("该统一社会信用代码不属于企业。")]})
    return enterprise


def acting_for(system: ExternalSystem, enterprise: Organisation):
    """The system's account acting as a member of `enterprise`, in memory only, so that the
    case's own transitions (submit) allow it exactly as they allow the enterprise's staff."""
    account = copy.copy(system.user)
    account.organisation = enterprise
    return account


def case_file_external(
    *,
    system: ExternalSystem,
    operation: str,
    external_reference: str,
    credit_code: str,
    title: str,
    description: str,
    category: Category,
    enterprise_name: str = "",
    project_name: str = "",
    location: str = "",
    urgency: str = Case.Urgency.NORMAL,
    desired_date: date | None = None,
    open311: bool = False,
) -> tuple[Case, bool]:
    """An external system files and submits a case; returns it and whether it is new. A resend
    of an external reference already filed returns the case filed then (nothing is written),
    also when two copies race: the unique pair (system, reference) lets one of them in."""
    if system.is_revoked:
        raise PermissionDenied(_("该密钥已撤销。"))
    if not system.allows(operation):
        raise PermissionDenied(_("该外部系统无权执行此操作。"))
    external_reference = (external_reference or "").strip()
    if not external_reference:
        raise ValidationError({"external_reference": [_("请填写外部编号。")]})
    existing = ExternalCase.objects.filter(system=system, external_reference=external_reference)
    if (found := existing.select_related("case").first()) is not None:
        return found.case, False
    if not category.is_active:
        raise ValidationError({"category": [_("该问题类别已停用。")]})
    try:
        with transaction.atomic():
            enterprise = enterprise_for(
                system=system, credit_code=credit_code, name=enterprise_name
            )
            case = Case(
                title=title,
                description=description,
                category=category,
                project_name=project_name,
                location=location,
                urgency=urgency,
                desired_date=desired_date,
                enterprise=enterprise,
                filed_by=system.user,
                source_channel=system.channel,
            )
            case.full_clean(exclude=["status", "reference"])
            case.save()
            ExternalCase.objects.create(
                system=system, external_reference=external_reference, case=case
            )
            if open311:
                public_request_create(case=case, origin=PublicRequest.Origin.OPEN311)
            case = case_submit(case=case, by=acting_for(system, enterprise))
    except IntegrityError:
        found = existing.select_related("case").first()
        if found is None:
            raise
        return found.case, False
    return case, True


def public_request_create(*, case: Case, origin: str, by=None) -> PublicRequest:
    return PublicRequest.objects.create(
        case=case,
        origin=origin,
        requested_at=case.created_at,
        service_code=case.category.code,
        published_by=by,
    )


@transaction.atomic
def case_publish(*, case: Case, by) -> PublicRequest:
    """A coordinator lists a case on Open311 (公开): its state, not its enterprise or files."""
    if not by.is_coordinator:
        raise PermissionDenied(_("只有协调员可以公开诉求事项。"))
    case = Case.objects.select_for_update().select_related("category").get(pk=case.pk)
    if case.status == Case.Status.DRAFT:
        raise ValidationError(_("草稿不能公开。"))
    existing = PublicRequest.objects.filter(case=case).first()
    if existing is not None:
        return existing
    return public_request_create(case=case, origin=PublicRequest.Origin.PUBLISHED, by=by)


@transaction.atomic
def case_unpublish(*, case: Case, by) -> None:
    """A coordinator takes a published case off Open311; one filed through Open311 stays."""
    if not by.is_coordinator:
        raise PermissionDenied(_("只有协调员可以公开诉求事项。"))
    PublicRequest.objects.filter(case=case, origin=PublicRequest.Origin.PUBLISHED).delete()
