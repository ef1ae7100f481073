"""Who keeps the reference data: the office leader and the administrator keep the calendar, the
categories, the organisations and everyone's accounts; a department's or third party's leader
keeps the accounts of their own organisation's people."""


def may_keep_reference_data(user) -> bool:
    """The office leader (a coordinator with the leader's role) or a system administrator."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_staff or user.is_superuser or (user.is_coordinator and user.is_leader))
    )


def may_keep_people_of(user, organisation) -> bool:
    """Whoever keeps the reference data, or a leader of this department or third party."""
    if may_keep_reference_data(user):
        return True
    return user.is_department_officer and user.is_leader and user.organisation_id == organisation.pk
