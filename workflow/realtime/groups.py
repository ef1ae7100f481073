"""Channel-layer group names: one per case, one per person's inbox."""


def case_group(case_id) -> str:
    return f"case.{case_id}"


def inbox_group(user_id) -> str:
    return f"inbox.{user_id}"
