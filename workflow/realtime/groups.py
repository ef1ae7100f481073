"""Channel-layer group names: one per case, per person's inbox, per joint session."""


def case_group(case_id) -> str:
    return f"case.{case_id}"


def inbox_group(user_id) -> str:
    return f"inbox.{user_id}"


def session_group(session_id) -> str:
    return f"session.{session_id}"
