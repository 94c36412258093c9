"""A model ``ValidationError`` as messages per field: one reading for forms, imports and the API."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def messages_by_field(error: ValidationError) -> dict[str, list[str]]:
    """``{field: messages}``; the key ``""`` holds the errors of the record as a whole."""
    if hasattr(error, "error_dict"):
        return {
            ("" if field == NON_FIELD_ERRORS else field): [str(m) for m in messages]
            for field, messages in error.message_dict.items()
        }
    return {"": [str(m) for m in error.messages]}
