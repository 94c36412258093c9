"""Hypothesis strategies for the finance engine: small rate tables and presences around the
rate changes, so that month boundaries and rate changes are hit often."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from onderdak.engines.finance import Presence, Rate, RateTable, Unit

START = date(2023, 12, 1)
SCHEMES = ("goo", "poo", "x")


@dataclass(frozen=True)
class Instance:
    table: RateTable
    presences: tuple[Presence, ...]


def days(low: int = 0, high: int = 120) -> st.SearchStrategy[date]:
    return st.integers(low, high).map(lambda n: START + timedelta(days=n))


amounts = st.integers(0, 50_000).map(lambda cents: Decimal(cents).scaleb(-2))


@st.composite
def rate_tables(draw: st.DrawFn) -> RateTable:
    rates: list[Rate] = []
    for scheme in draw(st.lists(st.sampled_from(SCHEMES), min_size=1, max_size=3, unique=True)):
        unit = draw(st.sampled_from(tuple(Unit)))
        # the first rate on START, so that presences from START on always have a rate
        changes = draw(st.lists(st.integers(1, 120), max_size=3, unique=True))
        rates.extend(
            Rate(scheme, START + timedelta(days=offset), draw(amounts), unit)
            for offset in [0, *changes]
        )
    return RateTable(rates)


@st.composite
def presences(draw: st.DrawFn, table: RateTable, *, min_size: int = 0) -> tuple[Presence, ...]:
    items = []
    for _ in range(draw(st.integers(min_size, 8))):
        start = draw(days(0, 110))
        length = draw(st.integers(1, 70))
        items.append(
            Presence(
                draw(st.sampled_from(table.schemes)),
                start,
                start + timedelta(days=length),
                draw(st.integers(0, 25)),
                draw(st.sampled_from(("", "unit:1", "unit:2"))),
            )
        )
    return tuple(items)


@st.composite
def instances(draw: st.DrawFn, *, min_size: int = 0) -> Instance:
    table = draw(rate_tables())
    return Instance(table, draw(presences(table, min_size=min_size)))
