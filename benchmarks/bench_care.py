"""Benchmark of the care engine against plain reference implementations, in one run.

    .venv/bin/python benchmarks/bench_care.py            # full run (about 2 minutes)
    .venv/bin/python benchmarks/bench_care.py --quick    # smoke run (seconds)

Instances (NumPy generator, seed 2026):

* **Demand over time**: 1,000 / 10,000 / 100,000 households (quick: 1,000 / 5,000) in 4
  target groups (status holders 45 %, displaced Ukrainians 35 %, asylum seekers 12 %,
  unaccompanied minors 8 %, each alone with 1 minor of 12-17). Other households: a single
  adult 45 %, a couple 10 %, a single parent 15 %, a couple with children 30 %; 1-4 children
  (35/35/20/10 %), each 0-3 (25 %), 4-11 (45 %) or 12-17 (30 %); 10 % of status-holder
  households with an explicit ``integration_required`` (exemptions). 20 % arrive on a day
  within the 12 months after 1 January 2027 (``present_from``; 80 % of the arriving status
  holders linked to the municipality 14-180 days earlier, ``linked_from``, which counts for
  civic integration), 5 % leave (``present_until``,
  30-365 days after arrival, or within the year). 25 service rules over every basis (2 without
  derived demand) with their target groups, 2 capacities per rule (first and second half
  year), 12 monthly dates (the 1st of each month of 2027). ``demand_over_time`` (validation
  and result objects included) and ``derive_demand`` called once per date, against a naive
  reference: a plain loop per date x rule x household, measured in the same run. The lines
  must be identical (exit 1 otherwise). The naive reference for 100,000 households is skipped
  in the full run when the 10,000 run predicts more than 60 s (the table says so).
* **Integration deadlines**: 100,000 cases (quick: 10,000), linked 2022-2026, 80 % with a
  broad intake, 65 % of those with a PIP, 10 % with a later term start, 10 % extended by 6 or
  12 months, 70 % with financial relief, 15 % completed, 5 % closed; today 30 November 2026.
  ``integration_deadlines`` per case against a reference that does the date arithmetic with
  ``dateutil.relativedelta`` and the states from the rules; kinds, due dates, done dates,
  states and days left must be identical.
* **Coverage roll-up**: 500 services x 10 target groups (5,000 cells; quick 100 x 10),
  statuses structural 50 %, temporary 20 %, missing 10 %, not applicable 20 %, amounts in
  whole cents or unknown (10 %); ``rollup`` against a plain reference (dicts, a sort for the
  gaps); every field must be equal.

Times are the median of ``--repeat`` runs (``time.perf_counter``) for the engine, one run for
the naive references.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import dateutil
import numpy as np
from dateutil.relativedelta import relativedelta
from timing import Row, fail, run, timed

from onderdak.engines.care import (
    INTEGRATION_GROUPS,
    SEVERITY,
    Basis,
    Capacity,
    Cell,
    Coverage,
    CoverageStatus,
    Deadline,
    DeadlineState,
    DemandLine,
    HouseholdProfile,
    IntegrationDates,
    IntegrationNorms,
    ServiceRule,
    demand_over_time,
    derive_demand,
    integration_deadlines,
    rollup,
)

SEED = 2026
START = date(2027, 1, 1)
DATES = tuple(date(2027, month, 1) for month in range(1, 13))
GROUPS = ("status_holder", "displaced_ukrainian", "asylum_seeker", "uam")
NAIVE_LIMIT_SECONDS = 60.0

ALL: frozenset[str] = frozenset()
SH, DU, AS, UAM = GROUPS
RULES = (
    ServiceRule("primary_school", Basis.CHILDREN_4_11, ALL),
    ServiceRule("newcomer_class", Basis.CHILDREN_4_11, frozenset({SH, DU, AS})),
    ServiceRule("newcomer_secondary", Basis.CHILDREN_12_17, ALL),
    ServiceRule("child_care", Basis.CHILDREN_0_3, ALL),
    ServiceRule("early_education", Basis.CHILDREN_0_3, frozenset({SH, AS})),
    ServiceRule("youth_health_care", Basis.MINORS, ALL),
    ServiceRule("youth_support", Basis.MINORS, frozenset({UAM, AS})),
    ServiceRule("integration", Basis.INTEGRATION, frozenset({SH})),
    ServiceRule("participation_statement", Basis.INTEGRATION, ALL),
    ServiceRule("language_classes", Basis.ADULTS, frozenset({DU})),
    ServiceRule("social_guidance", Basis.PERSONS, ALL),
    ServiceRule("living_allowance", Basis.HOUSEHOLDS, frozenset({DU})),
    ServiceRule("social_assistance", Basis.HOUSEHOLDS, frozenset({SH})),
    ServiceRule("financial_relief", Basis.HOUSEHOLDS, frozenset({SH})),
    ServiceRule("debt_counselling", Basis.HOUSEHOLDS, ALL),
    ServiceRule("gp_registration", Basis.PERSONS, ALL),
    ServiceRule("mental_health", Basis.ADULTS, ALL),
    ServiceRule("work_coaching", Basis.ADULTS, frozenset({SH, DU})),
    ServiceRule("guardianship", Basis.MINORS, frozenset({UAM})),
    ServiceRule("school_transport", Basis.CHILDREN_4_11, frozenset({AS})),
    ServiceRule("sports_and_culture", Basis.MINORS, ALL),
    ServiceRule("housing_guidance", Basis.HOUSEHOLDS, frozenset({SH})),
    ServiceRule("buddy_programme", Basis.HOUSEHOLDS, ALL),
    ServiceRule("interpreters", Basis.NONE, ALL),
    ServiceRule("legal_aid", Basis.NONE, frozenset({AS, SH})),
)
#: Rough demand per household of each basis, to size the capacities.
PER_HOUSEHOLD = {
    Basis.NONE: 0.05,
    Basis.PERSONS: 2.0,
    Basis.HOUSEHOLDS: 1.0,
    Basis.ADULTS: 1.3,
    Basis.CHILDREN_0_3: 0.2,
    Basis.CHILDREN_4_11: 0.35,
    Basis.CHILDREN_12_17: 0.3,
    Basis.MINORS: 0.8,
    Basis.INTEGRATION: 0.6,
}


# --------------------------------------------------------------------------------------------
# Demand
# --------------------------------------------------------------------------------------------


def households_instance(n: int, rng: np.random.Generator) -> list[HouseholdProfile]:
    group = rng.choice(4, size=n, p=[0.45, 0.35, 0.12, 0.08])
    kind = rng.choice(4, size=n, p=[0.45, 0.10, 0.15, 0.30])  # single, couple, parent, family
    adults = np.where(kind % 2 == 1, 2, 1)
    children = np.where(kind >= 2, rng.choice([1, 2, 3, 4], size=n, p=[0.35, 0.35, 0.2, 0.1]), 0)
    bands = np.array([rng.multinomial(c, [0.25, 0.45, 0.30]) for c in children.tolist()])
    uam = group == 3
    adults[uam] = 0
    bands[uam] = (0, 0, 1)
    explicit = (group == 0) & (rng.random(n) < 0.1)
    integration = rng.integers(0, 3, size=n) % (adults + 1)
    arrives = rng.random(n) < 0.2
    arrival = rng.integers(1, 366, size=n)
    leaves = rng.random(n) < 0.05
    stay = np.where(arrives, rng.integers(30, 366, size=n), rng.integers(1, 366, size=n))
    # arriving status holders are linked to the municipality 14-180 days before they move in
    linked_early = arrives & (group == 0) & (rng.random(n) < 0.8)
    lead = rng.integers(14, 181, size=n)
    households = []
    for i in range(n):
        present_from = START + timedelta(days=int(arrival[i])) if arrives[i] else None
        present_until = (
            (present_from or START) + timedelta(days=int(stay[i])) if leaves[i] else None
        )
        linked_from = (
            present_from - timedelta(days=int(lead[i]))
            if linked_early[i] and present_from is not None
            else None
        )
        households.append(
            HouseholdProfile(
                code=f"H{i}",
                target_group=GROUPS[int(group[i])],
                adults=int(adults[i]),
                minors_0_3=int(bands[i, 0]),
                minors_4_11=int(bands[i, 1]),
                minors_12_17=int(bands[i, 2]),
                integration_required=int(integration[i]) if explicit[i] else None,
                present_from=present_from,
                present_until=present_until,
                linked_from=linked_from,
            )
        )
    return households


def capacities_instance(n: int, rng: np.random.Generator) -> list[Capacity]:
    half = date(2027, 7, 1)
    capacities = []
    for rule in RULES:
        for start, end in ((None, half - timedelta(days=1)), (half, None)):
            amount = round(n * PER_HOUSEHOLD[rule.basis] * float(rng.uniform(0.3, 1.2)))
            capacities.append(Capacity(rule.code, amount, start, end))
    return capacities


def naive_value(h: HouseholdProfile, basis: Basis) -> int:
    """What one household counts for a basis, straight from the definitions."""
    if basis is Basis.NONE:
        value = 0
    elif basis is Basis.PERSONS:
        value = h.adults + h.minors_0_3 + h.minors_4_11 + h.minors_12_17
    elif basis is Basis.HOUSEHOLDS:
        value = 1
    elif basis is Basis.ADULTS:
        value = h.adults
    elif basis is Basis.CHILDREN_0_3:
        value = h.minors_0_3
    elif basis is Basis.CHILDREN_4_11:
        value = h.minors_4_11
    elif basis is Basis.CHILDREN_12_17:
        value = h.minors_12_17
    elif basis is Basis.MINORS:
        value = h.minors_0_3 + h.minors_4_11 + h.minors_12_17
    elif h.integration_required is not None:
        value = h.integration_required
    else:
        value = h.adults if h.target_group in INTEGRATION_GROUPS else 0
    return value


def naive_demand(
    households: Sequence[HouseholdProfile],
    rules: Sequence[ServiceRule],
    capacities: Sequence[Capacity],
    dates: Sequence[date],
) -> list[DemandLine]:
    """A plain loop per rule x date x household, straight from the definitions."""
    lines = []
    for rule in rules:
        for on in dates:
            per_group: dict[str, int] = {}
            for h in households:
                start = h.present_from
                if rule.basis is Basis.INTEGRATION and h.linked_from is not None:
                    start = h.linked_from  # civic integration follows the link
                if start is not None and on < start:
                    continue
                if h.present_until is not None and on >= h.present_until:
                    continue
                if rule.target_groups and h.target_group not in rule.target_groups:
                    continue
                value = naive_value(h, rule.basis)
                per_group[h.target_group] = per_group.get(h.target_group, 0) + value
            capacity = sum(
                c.amount
                for c in capacities
                if c.service_code == rule.code
                and (c.start is None or c.start <= on)
                and (c.end is None or on <= c.end)
            )
            lines.append(
                DemandLine(
                    rule.code,
                    on,
                    sum(per_group.values()),
                    capacity,
                    {g: v for g, v in sorted(per_group.items()) if v > 0},
                )
            )
    return lines


def demand_case(args: argparse.Namespace, rows: list[Row]) -> None:
    sizes = (1_000, 5_000) if args.quick else (1_000, 10_000, 100_000)
    naive_per_household: float | None = None
    for n in sizes:
        rng = np.random.default_rng(SEED + n)
        households = households_instance(n, rng)
        capacities = capacities_instance(n, rng)
        size = f"{n:,} households x {len(RULES)} rules x {len(DATES)} dates"

        def over_time(
            households: list[HouseholdProfile] = households,
            capacities: list[Capacity] = capacities,
        ) -> list[DemandLine]:
            return demand_over_time(households, RULES, capacities, dates=DATES)

        def per_date_calls(
            households: list[HouseholdProfile] = households,
            capacities: list[Capacity] = capacities,
        ) -> list[list[DemandLine]]:
            return [derive_demand(households, RULES, capacities, on=on) for on in DATES]

        lines, engine_time = timed(over_time, args.repeat)
        per_date, per_date_time = timed(per_date_calls, args.repeat)
        reordered = [per_date[j][r] for r in range(len(RULES)) for j in range(len(DATES))]
        if reordered != lines:
            fail(f"demand, {n:,} households: derive_demand per date != demand_over_time")
        predicted = None if naive_per_household is None else naive_per_household * n
        shortage = sum(line.shortage for line in lines)
        people = sum(line.demand for line in lines if line.service_code == "social_guidance")
        note = (
            f"{people / len(DATES):,.0f} persons present on average; "
            f"shortage {shortage:,} (summed over rules and dates)"
        )
        per_date_note = f"same lines; demand_over_time is {per_date_time / engine_time:.1f}x faster"
        if not args.quick and predicted is not None and predicted > NAIVE_LIMIT_SECONDS:
            skipped = f"naive reference skipped (predicted {predicted:.0f} s from the 10,000 run)"
            rows.append(Row("demand_over_time", size, engine_time, None, "", f"{skipped}; {note}"))
            rows.append(Row("derive_demand once per date", size, per_date_time, None, "", ""))
            continue
        start = time.perf_counter()
        reference = naive_demand(households, RULES, capacities, DATES)
        naive_time = time.perf_counter() - start
        naive_per_household = naive_time / n
        if reference != lines:
            fail(f"demand, {n:,} households: engine != naive reference")
        rows.append(Row("demand_over_time", size, engine_time, naive_time, "naive loop", note))
        rows.append(
            Row(
                "derive_demand once per date",
                size,
                per_date_time,
                naive_time,
                "naive loop",
                per_date_note,
            )
        )


# --------------------------------------------------------------------------------------------
# Deadlines
# --------------------------------------------------------------------------------------------


def deadline_cases(n: int, rng: np.random.Generator) -> list[IntegrationDates]:
    first = date(2022, 1, 1)
    linked = rng.integers(0, 5 * 365, size=n)
    cases = []
    for i in range(n):
        linked_on = first + timedelta(days=int(linked[i]))
        intake = None
        pip = None
        if rng.random() < 0.8:
            intake = linked_on + timedelta(days=int(rng.integers(14, 141)))
            if rng.random() < 0.65:
                pip = intake + timedelta(days=int(rng.integers(0, 141)))
        cases.append(
            IntegrationDates(
                linked_on=linked_on,
                term_start=linked_on + timedelta(days=int(rng.integers(1, 120)))
                if rng.random() < 0.1
                else None,
                term_extension_months=int(rng.choice([6, 12])) if rng.random() < 0.1 else 0,
                broad_intake_on=intake,
                pip_on=pip,
                relief_start=linked_on + timedelta(days=int(rng.integers(0, 61)))
                if rng.random() < 0.7
                else None,
                completed_on=linked_on + timedelta(days=int(rng.integers(540, 1220)))
                if rng.random() < 0.15
                else None,
                closed=bool(rng.random() < 0.05),
            )
        )
    return cases


def reference_deadlines(
    dates: IntegrationDates, norms: IntegrationNorms, today: date
) -> list[tuple[str, date, date | None, DeadlineState, int]]:
    """Due dates with dateutil.relativedelta, states from the rules."""
    intake = dates.linked_on + relativedelta(weeks=norms.broad_intake_weeks)
    items = [
        ("broad_intake", intake, dates.broad_intake_on),
        (
            "pip",
            (dates.broad_intake_on or intake) + relativedelta(weeks=norms.pip_weeks),
            dates.pip_on,
        ),
        (
            "term",
            (dates.term_start or dates.linked_on)
            + relativedelta(months=norms.term_months + dates.term_extension_months),
            dates.completed_on,
        ),
    ]
    if dates.relief_start is not None:
        end = dates.relief_start + relativedelta(months=norms.relief_months)
        items.append(("relief_end", end, end if today >= end else None))
    result = []
    for kind, due, done in items:
        if done is not None:
            state = DeadlineState.DONE if done <= due else DeadlineState.DONE_LATE
        elif dates.closed:
            state = DeadlineState.NOT_APPLICABLE
        elif today > due:
            state = DeadlineState.OVERDUE
        elif (due - today).days <= norms.due_soon_days:
            state = DeadlineState.DUE_SOON
        else:
            state = DeadlineState.OPEN
        result.append((kind, due, done, state, (due - today).days))
    return result


def as_tuples(deadlines: list[Deadline]) -> list[tuple[str, date, date | None, DeadlineState, int]]:
    return [(d.kind, d.due, d.done_on, d.state, d.days_left) for d in deadlines]


def deadlines_case(args: argparse.Namespace, rows: list[Row]) -> None:
    n = 10_000 if args.quick else 100_000
    cases = deadline_cases(n, np.random.default_rng(SEED + 7))
    norms = IntegrationNorms(
        broad_intake_weeks=10, pip_weeks=10, term_months=36, relief_months=6, due_soon_days=14
    )
    today = date(2026, 11, 30)
    results, engine_time = timed(
        lambda: [integration_deadlines(case, norms, today=today) for case in cases], args.repeat
    )
    start = time.perf_counter()
    reference = [reference_deadlines(case, norms, today) for case in cases]
    reference_time = time.perf_counter() - start
    for case, got, expected in zip(cases, results, reference, strict=True):
        if as_tuples(got) != expected:
            fail(f"deadlines differ for {case}: {as_tuples(got)} != {expected}")
    overdue = sum(d.state is DeadlineState.OVERDUE for result in results for d in result)
    deadlines = sum(len(result) for result in results)
    rows.append(
        Row(
            "integration_deadlines",
            f"{n:,} cases ({deadlines:,} deadlines)",
            engine_time,
            reference_time,
            "relativedelta",
            f"identical; {overdue:,} overdue",
        )
    )


# --------------------------------------------------------------------------------------------
# Coverage
# --------------------------------------------------------------------------------------------


def coverage_cells(services: int, groups: int, rng: np.random.Generator) -> list[Cell]:
    statuses = tuple(CoverageStatus)
    chosen = rng.choice(4, size=services * groups, p=[0.5, 0.2, 0.1, 0.2])
    cents = rng.integers(0, 10_000_000, size=services * groups)
    unknown = rng.random(services * groups) < 0.1
    return [
        Cell(
            f"service_{i // groups:03d}",
            f"group_{i % groups:02d}",
            statuses[int(chosen[i])],
            None if unknown[i] else Decimal(int(cents[i])).scaleb(-2),
        )
        for i in range(services * groups)
    ]


def reference_rollup(cells: Sequence[Cell]) -> Coverage:
    by_service: dict[str, CoverageStatus] = {}
    by_group: dict[str, CoverageStatus] = {}
    for cell in cells:
        for mapping, key in ((by_service, cell.service_code), (by_group, cell.target_group)):
            if key not in mapping or SEVERITY[cell.status] > SEVERITY[mapping[key]]:
                mapping[key] = cell.status
    counts = {s: sum(cell.status is s for cell in cells) for s in CoverageStatus}
    amounts = {
        s: sum((c.amount_per_year or Decimal(0) for c in cells if c.status is s), Decimal(0))
        for s in CoverageStatus
    }
    applicable = len(cells) - counts[CoverageStatus.NOT_APPLICABLE]
    gaps = sorted(
        (c for c in cells if c.status in {CoverageStatus.MISSING, CoverageStatus.TEMPORARY}),
        key=lambda c: -SEVERITY[c.status],
    )
    return Coverage(
        by_service=by_service,
        by_target_group=by_group,
        counts=counts,
        applicable=applicable,
        structural_share=Fraction(counts[CoverageStatus.STRUCTURAL], applicable)
        if applicable
        else None,
        gaps=tuple(gaps),
        amount_per_year=sum(
            (v for s, v in amounts.items() if s is not CoverageStatus.NOT_APPLICABLE), Decimal(0)
        ),
        amount_by_status=amounts,
    )


def coverage_case(args: argparse.Namespace, rows: list[Row]) -> None:
    services, groups = (100, 10) if args.quick else (500, 10)
    cells = coverage_cells(services, groups, np.random.default_rng(SEED + 11))
    coverage, engine_time = timed(lambda: rollup(cells), max(args.repeat, 5))
    reference, reference_time = timed(lambda: reference_rollup(cells), max(args.repeat, 5))
    if coverage != reference or list(coverage.by_service) != list(reference.by_service):
        fail("coverage roll-up differs from the reference")
    share = coverage.structural_share
    rows.append(
        Row(
            "rollup",
            f"{services:,} services x {groups} groups ({len(cells):,} cells)",
            engine_time,
            reference_time,
            "plain dicts",
            f"equal; {len(coverage.gaps):,} gaps, structural share "
            f"{'-' if share is None else f'{float(share):.3f}'}, "
            f"EUR {coverage.amount_per_year:,.2f} per year",
        )
    )


def main() -> int:
    versions = f"NumPy {np.__version__}, python-dateutil {dateutil.__version__}"
    return run(__doc__, "care", versions, (demand_case, deadlines_case, coverage_case))


if __name__ == "__main__":
    sys.exit(main())
