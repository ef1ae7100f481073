"""Domain errors raised by the services; config.api.errors maps them to HTTP once."""


class Conflict(Exception):
    """The change cannot happen in the object's current state, or another writer got there first
    (HTTP 409)."""

    def __init__(self, message: str, *, code: str = "conflict", details: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details
