"""Who may fire an action item transition (`permission=` on `ActionItem`)."""


def is_owner(item, user) -> bool:
    """A member of the organisation that owns the item."""
    return user.belongs_to(item.owner_id)


def is_coordinator(item, user) -> bool:
    """A coordinator of the government-service office (政务服务办)."""
    return user.is_coordinator


def is_owner_or_coordinator(item, user) -> bool:
    """A member of the owner organisation, or a coordinator."""
    return is_owner(item, user) or is_coordinator(item, user)
