"""The table of standard rates: which rate applies to a scheme on a day.

A scheme's rate on a day is the one with the latest ``valid_from`` on or before that day
(issue 13: "a rate applies from its valid-from date until the next one"). A day before a
scheme's first rate is an error that names the first rate, never a silent zero.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from onderdak.engines.finance.model import FinanceInputError, Rate, Unit


class RateTable:
    """The rates of every scheme, validated, in order of ``valid_from``.

    Validation (each a :class:`FinanceInputError` with ``kind`` ``rate``, the ``field`` and
    ``params["index"]``, the 0-based position of the rate in ``rates``; rates are checked in
    order, each against the ones before it):

    * ``empty_scheme``: the scheme is empty;
    * ``unknown_unit``: the unit is not a :class:`Unit`;
    * ``not_a_number``, ``negative_amount``, ``too_many_decimals``: the amount is not a finite
      Decimal, is below zero (a rate is income, never negative) or has more than two
      decimals (``83.500`` too: the amount is taken as written);
    * ``mixed_units``: a scheme with two different units (the unit belongs to the scheme:
      place-days and person-months cannot be added up);
    * ``duplicate_rate``: two rates of one scheme valid from the same day with different
      amounts (an exact repetition, same amount and unit, is accepted and kept once).
    """

    __slots__ = ("_amounts", "_rates", "_starts", "_units")

    def __init__(self, rates: Iterable[Rate]) -> None:
        by_scheme: dict[str, dict[date, Rate]] = {}
        units: dict[str, Unit] = {}
        for index, rate in enumerate(rates):
            _check_rate(rate, index)
            unit = units.setdefault(rate.scheme, rate.unit)
            if rate.unit != unit:
                raise FinanceInputError(
                    "mixed_units",
                    f"scheme {rate.scheme!r} has unit {unit.value}, not {rate.unit.value}",
                    kind="rate",
                    field="unit",
                    params={
                        "index": index,
                        "scheme": rate.scheme,
                        "unit": unit.value,
                        "value": rate.unit.value,
                    },
                )
            dated = by_scheme.setdefault(rate.scheme, {})
            earlier = dated.get(rate.valid_from)
            if earlier is not None and earlier.amount != rate.amount:
                raise FinanceInputError(
                    "duplicate_rate",
                    f"scheme {rate.scheme!r} already has the rate {earlier.amount} from "
                    f"{rate.valid_from.isoformat()}, not {rate.amount}",
                    kind="rate",
                    field="amount",
                    params={
                        "index": index,
                        "scheme": rate.scheme,
                        "day": rate.valid_from,
                        "amount": earlier.amount,
                        "value": rate.amount,
                    },
                )
            dated.setdefault(rate.valid_from, rate)
        self._rates: dict[str, tuple[Rate, ...]] = {
            scheme: tuple(dated[day] for day in sorted(dated))
            for scheme, dated in sorted(by_scheme.items())
        }
        self._starts = {s: [r.valid_from for r in rs] for s, rs in self._rates.items()}
        self._amounts = {s: [r.amount for r in rs] for s, rs in self._rates.items()}
        self._units = units

    @property
    def schemes(self) -> tuple[str, ...]:
        """The schemes with at least one rate, sorted."""
        return tuple(self._rates)

    def rates(self, scheme: str) -> tuple[Rate, ...]:
        """The rates of ``scheme`` by ``valid_from`` (``unknown_scheme`` when it has none)."""
        return self._rates[self._known(scheme)]

    def __iter__(self) -> Iterator[Rate]:
        for rates in self._rates.values():
            yield from rates

    def __contains__(self, scheme: object) -> bool:
        return scheme in self._rates

    def unit(self, scheme: str) -> Unit:
        """The unit of ``scheme``."""
        return self._units[self._known(scheme)]

    def first_valid_from(self, scheme: str) -> date:
        """The day the first rate of ``scheme`` applies from."""
        return self._starts[self._known(scheme)][0]

    def rate_on(self, scheme: str, day: date) -> Rate:
        """The rate of ``scheme`` on ``day``: the one with the latest ``valid_from`` on or
        before it. ``unknown_scheme`` or ``before_first_rate`` (params ``scheme``, ``day``,
        ``first_valid_from``) otherwise."""
        starts = self._starts[self._known(scheme)]
        position = bisect_right(starts, day) - 1
        if position < 0:
            raise before_first_rate(scheme, day, starts[0])
        return self._rates[scheme][position]

    def amount_on(self, scheme: str, day: date) -> Decimal:
        """The amount of :meth:`rate_on`."""
        starts = self._starts[self._known(scheme)]
        position = bisect_right(starts, day) - 1
        if position < 0:
            raise before_first_rate(scheme, day, starts[0])
        return self._amounts[scheme][position]

    def _known(self, scheme: str) -> str:
        if scheme not in self._rates:
            raise unknown_scheme(scheme)
        return scheme

    def __repr__(self) -> str:
        return f"RateTable({list(self)!r})"


def unknown_scheme(scheme: str, **params: object) -> FinanceInputError:
    return FinanceInputError(
        "unknown_scheme",
        f"unknown scheme {scheme!r} (no rate for it)",
        kind="presence",
        field="scheme",
        params={"scheme": scheme, **params},
    )


def before_first_rate(
    scheme: str, day: date, first_valid_from: date, **params: object
) -> FinanceInputError:
    return FinanceInputError(
        "before_first_rate",
        f"{day.isoformat()} is before the first rate of scheme {scheme!r} (valid from "
        f"{first_valid_from.isoformat()})",
        kind="presence",
        field="start",
        params={"scheme": scheme, "day": day, "first_valid_from": first_valid_from, **params},
    )


def _check_rate(rate: Rate, index: int) -> None:
    def error(code: str, field: str, message: str, value: object) -> FinanceInputError:
        return FinanceInputError(
            code,
            message,
            kind="rate",
            field=field,
            params={"index": index, "scheme": rate.scheme, "value": value},
        )

    if not isinstance(rate.scheme, str) or not rate.scheme:
        raise error("empty_scheme", "scheme", "the scheme is empty", rate.scheme)
    if not isinstance(rate.valid_from, date):
        raise error("not_a_date", "valid_from", "must be a date", rate.valid_from)
    if not isinstance(rate.unit, Unit):
        raise error("unknown_unit", "unit", f"unknown unit {rate.unit!r}", rate.unit)
    amount = rate.amount
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise error("not_a_number", "amount", f"must be a finite Decimal, not {amount!r}", amount)
    if amount < 0:
        raise error("negative_amount", "amount", f"must not be negative: {amount}", amount)
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    if exponent < -2:
        raise error("too_many_decimals", "amount", f"more than 2 decimals: {amount}", amount)
