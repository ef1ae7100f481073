"""Who may watch a joint session's live stream: whoever may see the session."""

from workflow.sessions.models import JointSession


def may_watch(session_id: int, user) -> bool | None:
    """True if `user` sees the session; None (4404) if it does not exist or is not visible,
    so a stream never tells an outsider that a session exists."""
    return JointSession.objects.visible_to(user).filter(pk=session_id).exists() or None
