"""Supervision (督办): a notice on an overdue item, and the owner's written answer."""
