"""Input and output types of the finance engine and its error: frozen dataclasses and
enumerations.

Money is :class:`~decimal.Decimal` at the edges (euros, at most two decimals in, exactly two
out), people and places are ``int``, days are :class:`~datetime.date`. A period is half-open:
``start`` is the first day counted, ``until`` the first day no longer counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from onderdak.engines.errors import RecordInputError

_NO_PARAMS: Mapping[str, object] = MappingProxyType({})


class FinanceInputError(RecordInputError):
    """The input of a finance computation is malformed.

    ``code`` says what is wrong, for the app to say it in Dutch: ``unknown_scheme``,
    ``before_first_rate``, ``mixed_units``, ``duplicate_rate``, ``negative_amount``,
    ``too_many_decimals``, ``not_a_number``, ``unknown_unit``, ``empty_period``,
    ``negative_count``, ``not_a_count``, ``not_a_date``, ``empty_scheme``, ``bad_quarter``,
    ``negative_budget``, ``negative_units``, ``bad_share``. ``params`` holds what the message
    names (``scheme``, ``day``, ``first_valid_from``, ``value``, ...) and, for records taken
    from a sequence, ``index``: the record's 0-based position in it. ``kind`` is ``rate``,
    ``presence`` or the name of the helper's argument; ``field`` the offending field.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        kind: str,
        id: str | None = None,
        field: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        self.code = code
        self.params: Mapping[str, object] = MappingProxyType(dict(params or _NO_PARAMS))
        super().__init__(message, kind=kind, id=id, field=field)


class Unit(StrEnum):
    """What a standard rate is paid for.

    * ``PLACE_DAY``: per realised place per day (the GOO rate for the municipal reception of
      displaced persons from Ukraine);
    * ``PERSON_MONTH``: per person per calendar month (the POO rate for private hosting); a
      person present on some days of a month counts for that share of the month (days present
      / days in the month).
    """

    PLACE_DAY = "place_day"
    PERSON_MONTH = "person_month"


@dataclass(frozen=True, slots=True)
class Rate:
    """A standard rate (normbedrag): ``amount`` euros per ``unit`` for ``scheme`` from
    ``valid_from`` until the next rate of the same scheme."""

    scheme: str
    valid_from: date
    amount: Decimal
    unit: Unit


@dataclass(frozen=True, slots=True)
class Presence:
    """``count`` places (or persons) of ``scheme`` present on every day from ``start`` up to
    but not including ``until``. ``key`` is an opaque reference to the source record (the app
    puts ``housing.unit:17`` in it) so that priced lines stay traceable."""

    scheme: str
    start: date
    until: date
    count: int
    key: str = ""


@dataclass(frozen=True, slots=True)
class MonthLine:
    """What one scheme (and, when priced by key, one source record) earns in one calendar
    month: ``quantity`` is the sum over the month's days of the count (place-days or
    person-days), ``amount`` the exact sum over those days of count x the day's rate (divided
    by the days of the month for ``person_month``), rounded half up to cents."""

    month: str
    scheme: str
    quantity: int
    amount: Decimal
    key: str = ""


class Light(StrEnum):
    """A traffic light for the quarterly letter (see :func:`traffic_light`)."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
