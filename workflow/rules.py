"""Who may fire an action item transition (`permission=` on `ActionItem`)."""


def is_owner(item, user) -> bool:
    return user.belongs_to(item.owner_id)


def is_coordinator(item, user) -> bool:
    return user.is_coordinator


def is_owner_or_coordinator(item, user) -> bool:
    return is_owner(item, user) or is_coordinator(item, user)
