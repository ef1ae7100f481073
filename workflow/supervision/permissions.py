"""Who may issue a supervision notice (督办): the government-service office alone."""


def may_supervise(user) -> bool:
    """A coordinator of the office, or the office's leader (its director, also a member of the
    office). Supervision is the office's instrument over the parties it convened: a bureau's
    leader, an enterprise user given the leader role or a representative never issues it, not
    even on their own organisation's items (they answer it)."""
    return user.is_authenticated and user.is_coordinator
