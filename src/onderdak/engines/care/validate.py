"""Field checks shared by the care engine's entry points.

Every public entry point validates its input here first and raises :class:`CareInputError`
naming the record and the field; the kernels that follow run without further checks.
"""

from __future__ import annotations

from datetime import date, datetime
from numbers import Integral

from onderdak.engines.care.model import CareInputError

#: Largest count or amount accepted: far beyond reality, small enough that sums over millions
#: of households stay exact in 64-bit integers.
MAX_COUNT = 10**9


def whole(value: object, kind: str, id: str | None, field: str, *, minimum: int = 0) -> int:
    """A whole number (not a bool, not 3.0) in [``minimum``, :data:`MAX_COUNT`]."""
    if type(value) is int and minimum <= value <= MAX_COUNT:  # the common case, no ABC check
        return value
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise CareInputError(
            f"must be a whole number >= {minimum}, not {value!r}", kind=kind, id=id, field=field
        )
    number = int(value)
    if number < minimum:
        raise CareInputError(
            f"must be a whole number >= {minimum}, not {number}", kind=kind, id=id, field=field
        )
    if number > MAX_COUNT:
        raise CareInputError(
            f"must be at most {MAX_COUNT:,}, not {number:,}", kind=kind, id=id, field=field
        )
    return number


def calendar_date(value: object, kind: str, id: str | None, field: str) -> date:
    """A calendar date (a ``datetime`` is refused: it does not compare with a date)."""
    if type(value) is date:
        return value
    if isinstance(value, datetime) or not isinstance(value, date):
        raise CareInputError(
            f"must be a date (not a datetime), not {value!r}", kind=kind, id=id, field=field
        )
    return value


def optional_date(value: object, kind: str, id: str | None, field: str) -> date | None:
    if value is None or type(value) is date:
        return value
    return calendar_date(value, kind, id, field)


def code(value: object, kind: str, field: str, *, id: str | None = None) -> str:
    """A non-empty string code."""
    if not isinstance(value, str) or not value.strip():
        raise CareInputError(
            f"must be a non-empty text, not {value!r}", kind=kind, id=id, field=field
        )
    return value


def flag(value: object, kind: str, id: str | None, field: str) -> bool:
    """True or false (not 0 or 1)."""
    if not isinstance(value, bool):
        raise CareInputError(f"must be true or false, not {value!r}", kind=kind, id=id, field=field)
    return value
