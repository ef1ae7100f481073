"""Use cases of the problem categories (问题类别) the office leader keeps: register, edit the
time limits, retire (停用) or delete one no case uses. Every change is in the change log."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Category
from config.changelog import ADDED, CHANGED, DELETED, changes, record_change
from departments.permissions import may_keep_reference_data

CATEGORY_FIELDS = (
    "code",
    "name",
    "name_en",
    "description",
    "accept_days",
    "convene_days",
    "rules_days",
    "confirm_days",
    "position",
)
# A limit is at least one working day and at most a year of them.
LIMIT_FIELDS = ("accept_days", "convene_days", "rules_days", "confirm_days")
MAX_LIMIT_DAYS = 250


def _check(by) -> None:
    if not may_keep_reference_data(by):
        raise PermissionDenied(_("只有政务服务办领导和系统管理员可以维护问题类别。"))


def _validate(category: Category) -> None:
    """Every refusal at once, each naming its field: the limits' range and the model's rules."""
    errors = {}
    for name in LIMIT_FIELDS:
        days = getattr(category, name)
        if days is None or not 1 <= days <= MAX_LIMIT_DAYS:
            errors[name] = [_("时限应为 1 到 %(max)s 个工作日。") % {"max": MAX_LIMIT_DAYS}]
    try:
        category.full_clean(exclude=[name for name in errors])
    except ValidationError as invalid:
        for field, lines in invalid.message_dict.items():
            errors.setdefault(field, []).extend(lines)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def category_create(*, by, **fields) -> Category:
    _check(by)
    category = Category(**{name: fields[name] for name in fields if name in CATEGORY_FIELDS})
    _validate(category)
    category.save()
    record_change(by=by, obj=category, action=ADDED, message=[{"added": {}}])
    return category


@transaction.atomic
def category_update(*, by, category: Category, **fields) -> Category:
    """New limits apply to the clocks that start from now on; running ones keep their due day."""
    _check(by)
    category = Category.objects.select_for_update().get(pk=category.pk)
    changed = [
        name
        for name in CATEGORY_FIELDS
        if name in fields and getattr(category, name) != fields[name]
    ]
    for name in changed:
        setattr(category, name, fields[name])
    _validate(category)
    if changed:
        category.save(update_fields=changed)
        record_change(by=by, obj=category, action=CHANGED, message=changes(category, changed))
    return category


@transaction.atomic
def category_set_active(*, by, category: Category, active: bool) -> Category:
    """Retire (停用) a category: no new case is filed in it, its cases keep it. Or restore it."""
    _check(by)
    category = Category.objects.select_for_update().get(pk=category.pk)
    if category.is_active != active:
        if (
            not active
            and not Category.objects.filter(is_active=True).exclude(pk=category.pk).exists()
        ):
            raise ValidationError(_("至少要保留一个启用的问题类别。"))
        category.is_active = active
        category.save(update_fields=["is_active"])
        record_change(by=by, obj=category, action=CHANGED, message=changes(category, ["is_active"]))
    return category


@transaction.atomic
def category_delete(*, by, category: Category) -> None:
    """Delete a category no case was ever filed in (one entered by mistake); one in use is
    retired instead, so the cases and the figures keep it."""
    _check(by)
    category = Category.objects.select_for_update().get(pk=category.pk)
    if category.cases.exists():
        raise ValidationError(_("已有诉求事项使用这个类别，不能删除；可以停用。"))
    record_change(by=by, obj=category, action=DELETED, message=[{"deleted": {}}])
    category.delete()
