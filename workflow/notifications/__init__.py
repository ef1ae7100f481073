"""Notifications (通知): telling people, in the inbox, live and by e-mail from the worker."""
