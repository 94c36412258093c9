"""Benchmark of the finance engine's pricing against a per-day Decimal loop, in one run.

    .venv/bin/python benchmarks/bench_finance.py            # full run (about 2 minutes)
    .venv/bin/python benchmarks/bench_finance.py --quick    # smoke run (seconds)

The national case of issue 13 (NumPy generator, seed 2026): 342 municipalities (quick: 34) x
4 schemes x 5 years (1 March 2022 - 1 March 2027, 1,826 days) with rate changes:

* ``goo`` place_day: 100 from 2022-03-01, 83 from 2022-10-15 (in the middle of a month), 61
  from 2024-01-01, 44 from 2025-01-01 (issue 13);
* ``poo`` person_month: 210 from 2022-03-01, 92 from 2024-01-01, 48 from 2025-01-01;
* ``allowance`` person_month (made up, after the living allowance): 260 from 2022-03-01,
  271.18 from 2023-04-01 (215.06 + 56.12), 274.43 from 2024-07-01;
* ``coa`` place_day (made up, an indexed day rate): 45.37 from 2022-03-01, 46.81 from
  2023-01-01, 48.02 from 2024-01-01, 49.33 from 2025-01-01, 50.12 from 2026-01-01.

Per municipality a size (log-normal, median 1), per scheme about 35 x size occupancy records
(households in units): a start uniform over the 5 years, a length of 7-1,095 days
(exponential, mean 240, cut at the end of the period), a count of 1-6; so the occupancy of
every municipality and scheme changes almost daily. ``price`` (validation and result objects
included) three ways: per scheme (``by_key=False``: 60 months x 4 schemes), per municipality
(``by_key=True``, the key the municipality's code) and per record (the key unique per record),
each against a straightforward loop over every day of every record with Decimal amounts and
a linear rate lookup, measured in the same run. The lines must be identical to the cent (exit 1 otherwise).

A second case holds the same occupancy as one record per municipality, scheme and day (the
day's count, key the municipality), 342 x 4 x 1,826 = 2.5 million records: the shape where
the engine's per-record validation dominates and the per-day loop has one day per record. Its
lines must also equal those of the occupancy records per municipality.

Times are the median of ``--repeat`` runs (``time.perf_counter``) for the engine, one run for
the loop.
"""

from __future__ import annotations

import argparse
import calendar
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext

import numpy as np
from timing import Row, fail, out, run, timed

from onderdak.engines.finance import (
    MonthLine,
    Presence,
    Rate,
    RateTable,
    Unit,
    line_total,
    price,
)

SEED = 2026
START = date(2022, 3, 1)
END = date(2027, 3, 1)
D = Decimal
RATES = (
    *(
        Rate("goo", day, D(amount), Unit.PLACE_DAY)
        for day, amount in (
            (START, "100"),
            (date(2022, 10, 15), "83"),
            (date(2024, 1, 1), "61"),
            (date(2025, 1, 1), "44"),
        )
    ),
    *(
        Rate("poo", day, D(amount), Unit.PERSON_MONTH)
        for day, amount in ((START, "210"), (date(2024, 1, 1), "92"), (date(2025, 1, 1), "48"))
    ),
    *(
        Rate("allowance", day, D(amount), Unit.PERSON_MONTH)
        for day, amount in (
            (START, "260"),
            (date(2023, 4, 1), "271.18"),
            (date(2024, 7, 1), "274.43"),
        )
    ),
    *(
        Rate("coa", day, D(amount), Unit.PLACE_DAY)
        for day, amount in (
            (START, "45.37"),
            (date(2023, 1, 1), "46.81"),
            (date(2024, 1, 1), "48.02"),
            (date(2025, 1, 1), "49.33"),
            (date(2026, 1, 1), "50.12"),
        )
    ),
)
SCHEMES = ("goo", "poo", "allowance", "coa")


def national_case(municipalities: int, rng: np.random.Generator) -> list[Presence]:
    """Occupancy records: per municipality and scheme about 35 x its size."""
    days = (END - START).days
    sizes = rng.lognormal(0.0, 0.8, size=municipalities)
    presences = []
    for m in range(municipalities):
        for scheme in SCHEMES:
            n = max(1, round(35 * sizes[m]))
            starts = rng.integers(0, days, size=n)
            lengths = np.clip(rng.exponential(240, size=n).astype(np.int64), 7, 1095)
            counts = rng.integers(1, 7, size=n)
            for i in range(n):
                start = START + timedelta(days=int(starts[i]))
                until = min(start + timedelta(days=int(lengths[i])), END)
                key = f"GM{m:04d}/{scheme}/{i}"
                presences.append(Presence(scheme, start, until, int(counts[i]), key))
    return presences


def as_daily_rows(presences: Sequence[Presence], municipalities: int) -> list[Presence]:
    """The same occupancy as one record per municipality, scheme and day (its count)."""
    days = (END - START).days
    index = {scheme: s for s, scheme in enumerate(SCHEMES)}
    occupancy = np.zeros((municipalities * len(SCHEMES), days + 1), dtype=np.int64)
    for p in presences:
        row = int(p.key[2:6]) * len(SCHEMES) + index[p.scheme]  # key GMnnnn/...
        occupancy[row, (p.start - START).days] += p.count
        occupancy[row, (p.until - START).days] -= p.count
    counts = np.cumsum(occupancy, axis=1)[:, :days]
    day_list = [START + timedelta(days=d) for d in range(days + 1)]
    rows = []
    for row in range(counts.shape[0]):
        m, s = divmod(row, len(SCHEMES))
        key = f"GM{m:04d}"
        for d, count in enumerate(counts[row].tolist()):
            rows.append(Presence(SCHEMES[s], day_list[d], day_list[d + 1], count, key))
    return rows


def per_day_loop(
    rates: Sequence[Rate], presences: Sequence[Presence], *, by_key: bool = False
) -> list[MonthLine]:
    """The straightforward method: every day of every record, count x the day's rate (the
    latest valid_from on or before the day, by a linear scan) in Decimal, summed per line;
    divided by the days of the month for person_month, rounded half up once per line."""
    by_scheme: dict[str, list[Rate]] = {}
    for rate in sorted(rates, key=lambda r: r.valid_from):
        by_scheme.setdefault(rate.scheme, []).append(rate)
    sums: dict[tuple[str, str, str], Decimal] = {}
    quantities: dict[tuple[str, str, str], int] = {}
    one_day = timedelta(days=1)
    for p in presences:
        scheme_rates = by_scheme[p.scheme]
        key = p.key if by_key else ""
        day = p.start
        while day < p.until:
            amount = None
            for rate in scheme_rates:
                if rate.valid_from <= day:
                    amount = rate.amount
            assert amount is not None
            line = (f"{day.year:04d}-{day.month:02d}", p.scheme, key)
            sums[line] = sums.get(line, D(0)) + p.count * amount
            quantities[line] = quantities.get(line, 0) + p.count
            day += one_day
    lines = []
    for line in sorted(sums):
        if not quantities[line]:
            continue
        month, scheme, key = line
        total = sums[line]
        with localcontext() as context:
            context.prec = 50
            if by_scheme[scheme][0].unit is Unit.PERSON_MONTH:
                total /= calendar.monthrange(int(month[:4]), int(month[5:]))[1]
            amount = total.quantize(D("0.01"), rounding=ROUND_HALF_UP)
        lines.append(MonthLine(month, scheme, quantities[line], amount, key))
    return lines


def compare(name: str, got: list[MonthLine], expected: list[MonthLine]) -> None:
    if got != expected:
        first = next(
            (i for i, (a, b) in enumerate(zip(got, expected, strict=False)) if a != b),
            min(len(got), len(expected)),
        )
        fail(f"{name}: engine != per-day loop (first difference at line {first})")


def national(args: argparse.Namespace, rows: list[Row]) -> None:
    municipalities = 34 if args.quick else 342
    presences = national_case(municipalities, np.random.default_rng(SEED))
    table = RateTable(RATES)
    place_days = sum(p.count * (p.until - p.start).days for p in presences)
    record_days = sum((p.until - p.start).days for p in presences)
    size = (
        f"{municipalities} municipalities x 4 schemes x 5 years: {len(presences):,} records, "
        f"{record_days:,} record-days, {place_days:,} place/person-days"
    )
    out(f"national case: {size}")
    by_municipality = [replace(p, key=p.key.split("/")[0]) for p in presences]
    for case, records, by_key in (
        ("price (by scheme)", presences, False),
        ("price by key = municipality", by_municipality, True),
        ("price by key = record", presences, True),
    ):
        lines, engine_time = timed(
            lambda records=records, by_key=by_key: price(table, records, by_key=by_key),
            args.repeat,
        )
        start = time.perf_counter()
        reference = per_day_loop(RATES, records, by_key=by_key)
        loop_time = time.perf_counter() - start
        compare(case, lines, reference)
        total = line_total(lines)
        out(
            f"  {case}: {len(lines):,} lines, total EUR {total:,.2f}; price "
            f"{engine_time:.3f} s, per-day loop {loop_time:.1f} s, "
            f"{loop_time / engine_time:.0f}x"
        )
        rows.append(
            Row(
                case,
                size,
                engine_time,
                loop_time,
                "per-day Decimal loop",
                f"identical to the cent: {len(lines):,} lines, total EUR {total:,.2f}",
            )
        )
    daily = as_daily_rows(presences, municipalities)
    daily_size = f"the same as {len(daily):,} daily records (one per municipality, scheme, day)"
    out(f"daily records: {daily_size}")
    lines, engine_time = timed(lambda: price(table, daily, by_key=True), args.repeat)
    start = time.perf_counter()
    reference = per_day_loop(RATES, daily, by_key=True)
    loop_time = time.perf_counter() - start
    compare("daily records", lines, reference)
    expected = price(table, by_municipality, by_key=True)
    if lines != expected:
        fail("daily records do not give the lines of the occupancy records")
    out(f"  price {engine_time:.3f} s, per-day loop {loop_time:.1f} s")
    rows.append(
        Row(
            "price by key = municipality",
            daily_size,
            engine_time,
            loop_time,
            "per-day Decimal loop",
            "identical to the cent, and to the lines of the records above",
        )
    )


def main() -> int:
    return run(__doc__, "finance", f"NumPy {np.__version__}", (national,))


if __name__ == "__main__":
    sys.exit(main())
