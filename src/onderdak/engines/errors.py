"""Errors shared by the engines."""

from __future__ import annotations


class RecordInputError(ValueError):
    """Malformed input that names its record: ``kind`` of record, its ``id`` (``None`` when it
    has none) and the offending ``field``. The message reads
    ``household 'H3', field 'adults': must be a whole number >= 0, not -1``."""

    def __init__(
        self, message: str, *, kind: str, id: str | None = None, field: str | None = None
    ) -> None:
        self.message = message
        self.kind = kind
        self.id = id
        self.field = field
        where = kind if id is None else f"{kind} {id!r}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")
