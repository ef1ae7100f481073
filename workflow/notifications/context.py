"""Context every page needs: the unread notification count for the header badge."""

from workflow.notifications.models import Notification


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": Notification.objects.for_user(user).unread().count()}
