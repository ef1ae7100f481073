"""Use cases of the organisation register, used by the API and the admin alike."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from departments.models import Organisation


@transaction.atomic
def organisation_create(*, by, **fields) -> Organisation:
    """An administrator registers an organisation; an enterprise needs a valid credit code."""
    if not by.is_staff:
        raise PermissionDenied(_("只有系统管理员可以登记组织。"))
    organisation = Organisation(**fields)
    if organisation.kind == Organisation.Kind.ENTERPRISE and not organisation.credit_code:
        raise ValidationError({"credit_code": [_("企业必须填写统一社会信用代码。")]})
    if organisation.kind != Organisation.Kind.ENTERPRISE and organisation.tier:
        raise ValidationError({"tier": [_("只有企业有培育层级。")]})
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def person_update_contact(*, person, email: str, phone: str, language: str):
    """A person changes their own e-mail, phone and language (of the site and of e-mails)."""
    person.email = (email or "").strip()
    person.phone = (phone or "").strip()
    person.language = language
    person.full_clean(exclude=["password", "username"])
    person.save(update_fields=["email", "phone", "language"])
    return person
