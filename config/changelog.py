"""The change log of reference data (categories, the working calendar, organisations, people).

Until now the administrator kept these in the Django admin, which records every addition,
change and deletion in its own log (`django.contrib.admin.models.LogEntry`: who, when, which
object, which fields). The pages that let the leaders keep them write to the same log, so one
history holds both, and each page shows its recent lines.
"""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.admin.utils import construct_change_message
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import translation

ADDED, CHANGED, DELETED = ADDITION, CHANGE, DELETION


def record_change(*, by, obj, action: int, form=None, message: str | list = "") -> None:
    """One line of the log for `obj`: added, changed (the form's changed fields, as the admin
    names them) or deleted; `message` instead of the form's for other changes (an import, a
    retirement). Called inside the change's transaction, so a rolled-back change leaves none."""
    if form is not None and not message:
        message = construct_change_message(form, [], action == ADDED)
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[obj],
        action_flag=action,
        change_message=message,
        single_object=True,
    )


def changes(obj, names) -> list:
    """The log's message for these changed fields of `obj`, as the admin writes it: the fields'
    names untranslated (Chinese), translated when the log is read."""
    with translation.override(None):
        fields = [str(obj._meta.get_field(name).verbose_name) for name in names]
    return [{"changed": {"fields": fields}}]


def recent_changes(*subjects, limit: int = 15):
    """The latest lines of the log about `subjects`, newest first: each (model, ids), ids None
    for every object of the model."""
    about = Q(pk__in=[])
    for model, ids in subjects:
        kind = Q(content_type=ContentType.objects.get_for_model(model))
        if ids is not None:
            kind &= Q(object_id__in=[str(pk) for pk in ids])
        about |= kind
    return (
        LogEntry.objects.filter(about)
        .select_related("user", "content_type")
        .order_by("-action_time", "-id")[:limit]
    )
