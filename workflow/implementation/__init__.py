"""Implementation rules (实施细则): drafting rule items after a session, issuing them as action
items, and amending an issued rule with a reason."""
