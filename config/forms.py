"""Form helpers shared by the pages of every app."""

from django.core.exceptions import ValidationError


def add_errors(form, invalid: ValidationError) -> None:
    """A service's refusal, shown beside the field it names (or above the form)."""
    named = invalid.message_dict if hasattr(invalid, "error_dict") else {None: invalid.messages}
    for field, lines in named.items():
        for line in lines:
            form.add_error(field if field in form.fields else None, line)
