"""Demand for services derived from the households present, set against capacity.

For a service rule with basis b and target groups G, the demand on day d is

    demand(d) = sum of b(h) over the households h present on d with target_group(h) in G

(G empty: every group; with a rule's ``share`` s < 1, ceil(s x the sum) per target group),
where b(h) is the household's persons, 1 (households), adults,
children per age band, minors or adults required to integrate, and 0 for ``Basis.NONE``. For
``Basis.INTEGRATION`` "present" starts at the household's ``linked_from`` (the link to the
municipality) when it is given.
The capacity on d is the sum of the amounts of the service's capacities active on d.

:func:`demand_over_time` first aggregates the households per (target group, present_from,
present_until) in one pass. For every target group it then sorts the aggregates by their
first and by their last day and takes cumulative sums of their counts: a household is present
on d exactly when present_from <= d and not present_until <= d, and present_until <= d
implies present_from <= d (present_from < present_until), so

    present(d) = #{present_from <= d} - #{present_until <= d},

two binary searches per date. The cost is O(H + A log A + D x (G log A + R)) for H
households, A aggregates, D dates, G target groups and R rules, not O(H x D x R).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from onderdak.engines.care.model import (
    Basis,
    Capacity,
    CareInputError,
    HouseholdProfile,
    ServiceRule,
)
from onderdak.engines.care.validate import calendar_date, code, optional_date, whole

IntArray = npt.NDArray[np.int64]

#: Columns of the count table, one per basis (``NONE`` is a column of zeros).
BASES: tuple[Basis, ...] = tuple(Basis)
_COLUMN: dict[Basis, int] = {basis: column for column, basis in enumerate(BASES)}
#: Largest denominator of a rule's share (0.001 steps need 1,000).
MAX_SHARE_DENOMINATOR = 1_000_000
#: Ordinal of "since ever" (before every date) and of "open ended" (after every date).
_BEFORE_ALL = date.min.toordinal() - 1
_AFTER_ALL = date.max.toordinal() + 1


@dataclass(frozen=True, slots=True)
class DemandLine:
    """Demand and capacity of one service on one day.

    ``by_target_group`` splits the demand per target group (only groups with demand > 0, in
    the order of their codes); it is read-only.
    """

    service_code: str
    on: date
    demand: int
    capacity: int
    by_target_group: Mapping[str, int] = field(hash=False)

    @property
    def shortage(self) -> int:
        """Demand not covered by capacity: max(0, demand - capacity)."""
        return max(0, self.demand - self.capacity)

    @property
    def surplus(self) -> int:
        """Capacity not used: max(0, capacity - demand)."""
        return max(0, self.capacity - self.demand)

    @property
    def ratio(self) -> float | None:
        """Capacity / demand (1.0: exactly covered); ``None`` when there is no demand."""
        return None if self.demand == 0 else self.capacity / self.demand


# --------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------


def derive_demand(
    households: Sequence[HouseholdProfile],
    rules: Sequence[ServiceRule],
    capacities: Sequence[Capacity] = (),
    *,
    on: date,
) -> list[DemandLine]:
    """Demand and capacity of every service on day ``on``: one line per rule, in rule order.

    Rules with ``Basis.NONE`` (interpreters, legal aid: no demand derived from the
    population) are listed with demand 0 and their capacity. Raises :class:`CareInputError`
    for malformed input (see ``docs/engines/care.md``).
    """
    days = [calendar_date(on, "dates", None, "on")]
    return _demand(households, rules, capacities, days)


def demand_over_time(
    households: Sequence[HouseholdProfile],
    rules: Sequence[ServiceRule],
    capacities: Sequence[Capacity] = (),
    *,
    dates: Sequence[date],
) -> list[DemandLine]:
    """:func:`derive_demand` for every date: rule-major (all dates of the first rule, then
    the second rule, ...), dates in the given order (duplicates allowed).

    The households are aggregated once; see the module docstring for the method.
    """
    days = [calendar_date(value, "dates", None, f"dates[{i}]") for i, value in enumerate(dates)]
    return _demand(households, rules, capacities, days)


# --------------------------------------------------------------------------------------------
# Validation and aggregation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Aggregates:
    """Households aggregated per (target group, present_from, present_until).

    ``groups`` are the target-group codes in sorted order; ``group`` the index of each
    aggregate's group; ``first``/``after`` its present_from / present_until as ordinals
    (:data:`_BEFORE_ALL` / :data:`_AFTER_ALL` when open); ``counts`` one column per
    :data:`BASES`.
    """

    groups: tuple[str, ...]
    group: IntArray
    first: IntArray
    after: IntArray
    counts: IntArray
    #: The first day for the ``INTEGRATION`` column: linked_from, else present_from.
    linked: IntArray


def _check_household(household: HouseholdProfile) -> int:
    """Validate one household; return its adults required to integrate."""
    kind = "household"
    name = code(household.code, kind, "code")
    code(household.target_group, kind, "target_group", id=name)
    adults = whole(household.adults, kind, name, "adults")
    minors = (
        whole(household.minors_0_3, kind, name, "minors_0_3")
        + whole(household.minors_4_11, kind, name, "minors_4_11")
        + whole(household.minors_12_17, kind, name, "minors_12_17")
    )
    if adults + minors == 0:
        raise CareInputError(
            "the household has no persons (adults and minors are all 0)",
            kind=kind,
            id=name,
            field="adults",
        )
    integrating = household.integration_required
    if integrating is not None:
        integrating = whole(integrating, kind, name, "integration_required")
        if integrating > adults:
            raise CareInputError(
                f"must be at most adults ({adults}), not {integrating}",
                kind=kind,
                id=name,
                field="integration_required",
            )
    start = optional_date(household.present_from, kind, name, "present_from")
    end = optional_date(household.present_until, kind, name, "present_until")
    linked = optional_date(household.linked_from, kind, name, "linked_from")
    if linked is not None and end is not None and end <= linked:
        raise CareInputError(
            f"must be before present_until ({end.isoformat()}), not {linked.isoformat()}",
            kind=kind,
            id=name,
            field="linked_from",
        )
    if start is not None and end is not None and end <= start:
        raise CareInputError(
            f"must be after present_from ({start.isoformat()}), not {end.isoformat()}"
            " (present_until is exclusive)",
            kind=kind,
            id=name,
            field="present_until",
        )
    return household.integrating


def aggregate(households: Sequence[HouseholdProfile]) -> Aggregates:
    """Validate the households and aggregate them in one pass."""
    seen: dict[str, int] = {}
    totals: dict[tuple[str, date | None, date | None, date | None], list[int]] = {}
    for position, household in enumerate(households):
        integrating = _check_household(household)
        earlier = seen.setdefault(household.code, position)
        if earlier != position:
            raise CareInputError(
                f"duplicate code (also household number {earlier + 1})",
                kind="household",
                id=household.code,
                field="code",
            )
        linked = household.linked_from
        key = (
            household.target_group,
            household.present_from,
            household.present_until,
            household.present_from if linked is None else linked,
        )
        row = totals.get(key)
        if row is None:
            totals[key] = row = [0, 0, 0, 0, 0, 0]
        row[0] += 1
        row[1] += household.adults
        row[2] += household.minors_0_3
        row[3] += household.minors_4_11
        row[4] += household.minors_12_17
        row[5] += integrating
    groups = tuple(sorted({key[0] for key in totals}))
    index = {target_group: i for i, target_group in enumerate(groups)}
    keys = list(totals)
    raw = np.array(list(totals.values()), dtype=np.int64).reshape(len(keys), 6)
    counts = np.zeros((len(keys), len(BASES)), dtype=np.int64)
    households_, adults, band_0_3, band_4_11, band_12_17, integrating_ = raw.T
    minors = band_0_3 + band_4_11 + band_12_17
    counts[:, _COLUMN[Basis.PERSONS]] = adults + minors
    counts[:, _COLUMN[Basis.HOUSEHOLDS]] = households_
    counts[:, _COLUMN[Basis.ADULTS]] = adults
    counts[:, _COLUMN[Basis.CHILDREN_0_3]] = band_0_3
    counts[:, _COLUMN[Basis.CHILDREN_4_11]] = band_4_11
    counts[:, _COLUMN[Basis.CHILDREN_12_17]] = band_12_17
    counts[:, _COLUMN[Basis.MINORS]] = minors
    counts[:, _COLUMN[Basis.INTEGRATION]] = integrating_
    return Aggregates(
        groups=groups,
        group=np.array([index[key[0]] for key in keys], dtype=np.int64),
        first=np.array(
            [_BEFORE_ALL if key[1] is None else key[1].toordinal() for key in keys],
            dtype=np.int64,
        ),
        after=np.array(
            [_AFTER_ALL if key[2] is None else key[2].toordinal() for key in keys],
            dtype=np.int64,
        ),
        counts=counts,
        linked=np.array(
            [_BEFORE_ALL if key[3] is None else key[3].toordinal() for key in keys],
            dtype=np.int64,
        ),
    )


def _check_share(value: object, name: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        raise CareInputError(
            f"must be a Fraction or 1 (exact; not a float), not {value!r}",
            kind="rule",
            id=name,
            field="share",
        )
    share = Fraction(value)
    if not 0 < share <= 1:
        raise CareInputError(
            f"must be more than 0 and at most 1, not {share}", kind="rule", id=name, field="share"
        )
    if share.denominator > MAX_SHARE_DENOMINATOR:
        raise CareInputError(
            f"needs a denominator of at most {MAX_SHARE_DENOMINATOR:,}, not {share.denominator:,}"
            " (a planning assumption is not that precise; the arithmetic stays in 64-bit integers)",
            kind="rule",
            id=name,
            field="share",
        )
    return share


def _check_rules(
    rules: Sequence[ServiceRule],
) -> list[tuple[str, Basis, frozenset[str], Fraction]]:
    checked: list[tuple[str, Basis, frozenset[str], Fraction]] = []
    seen: dict[str, int] = {}
    for position, rule in enumerate(rules):
        name = code(rule.code, "rule", "code")
        earlier = seen.setdefault(name, position)
        if earlier != position:
            raise CareInputError(
                f"duplicate code (also rule number {earlier + 1})",
                kind="rule",
                id=name,
                field="code",
            )
        try:
            basis = Basis(rule.basis)
        except ValueError:
            expected = ", ".join(b.value for b in Basis)
            raise CareInputError(
                f"unknown basis {rule.basis!r}; expected one of {expected}",
                kind="rule",
                id=name,
                field="basis",
            ) from None
        groups: object = rule.target_groups
        if isinstance(groups, str) or not isinstance(groups, (frozenset, set, tuple, list)):
            raise CareInputError(
                f"must be a set of target-group codes, not {groups!r}",
                kind="rule",
                id=name,
                field="target_groups",
            )
        for group in groups:
            code(group, "rule", "target_groups", id=name)
        checked.append((name, basis, frozenset(groups), _check_share(rule.share, name)))
    return checked


def _check_capacities(
    capacities: Sequence[Capacity], services: Mapping[str, int]
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """(service index, amount, first ordinal, last ordinal) per capacity."""
    service, amount, first, last = [], [], [], []
    for capacity in capacities:
        name = code(capacity.service_code, "capacity", "service_code")
        if name not in services:
            raise CareInputError(
                f"unknown service code {name!r} (no rule has this code)",
                kind="capacity",
                id=name,
                field="service_code",
            )
        value = whole(capacity.amount, "capacity", name, "amount")
        start = optional_date(capacity.start, "capacity", name, "start")
        end = optional_date(capacity.end, "capacity", name, "end")
        if start is not None and end is not None and end < start:
            raise CareInputError(
                f"must not be before start ({start.isoformat()}), not {end.isoformat()}",
                kind="capacity",
                id=name,
                field="end",
            )
        service.append(services[name])
        amount.append(value)
        first.append(_BEFORE_ALL if start is None else start.toordinal())
        last.append(_AFTER_ALL if end is None else end.toordinal())
    return (
        np.array(service, dtype=np.int64),
        np.array(amount, dtype=np.int64),
        np.array(first, dtype=np.int64),
        np.array(last, dtype=np.int64),
    )


# --------------------------------------------------------------------------------------------
# Kernels (no validation)
# --------------------------------------------------------------------------------------------


def present_counts(aggregates: Aggregates, days: IntArray) -> IntArray:
    """Counts present per (day, target group, basis column): shape (D, G, len(BASES)).

    present(d) = #{first <= d} - #{after <= d}, each a binary search in the cumulative sums
    of the counts sorted by first resp. after day.
    """
    table = np.zeros((days.size, len(aggregates.groups), len(BASES)), dtype=np.int64)
    integration = _COLUMN[Basis.INTEGRATION]
    for g in range(len(aggregates.groups)):
        mine = aggregates.group == g
        counts = aggregates.counts[mine]
        for bounds, sign in ((aggregates.first[mine], 1), (aggregates.after[mine], -1)):
            table[:, g, :] += sign * _reached(bounds, counts, days)
        # civic integration counts from the link to the municipality
        table[:, g, integration] = (
            _reached(aggregates.linked[mine], counts, days)[:, integration]
            - _reached(aggregates.after[mine], counts, days)[:, integration]
        )
    return table


def _reached(bounds: IntArray, counts: IntArray, days: IntArray) -> IntArray:
    """Per day, the column sums of ``counts`` over the rows whose bound is <= the day."""
    order = np.argsort(bounds, kind="stable")
    cumulative = np.zeros((order.size + 1, counts.shape[1]), dtype=np.int64)
    np.cumsum(counts[order], axis=0, out=cumulative[1:])
    reached = np.searchsorted(bounds[order], days, side="right")
    result: IntArray = cumulative[reached]
    return result


def capacity_table(
    service: IntArray, amount: IntArray, first: IntArray, last: IntArray, days: IntArray, n: int
) -> IntArray:
    """Capacity per (service, day): the sum of the amounts active on the day."""
    active = (first[:, None] <= days[None, :]) & (days[None, :] <= last[:, None])
    table = np.zeros((n, days.size), dtype=np.int64)
    np.add.at(table, service, np.where(active, amount[:, None], 0))
    return table


def _demand(
    households: Sequence[HouseholdProfile],
    rules: Sequence[ServiceRule],
    capacities: Sequence[Capacity],
    days: Sequence[date],
) -> list[DemandLine]:
    checked = _check_rules(rules)
    services = {name: i for i, (name, *_) in enumerate(checked)}
    capacity_arrays = _check_capacities(capacities, services)
    aggregates = aggregate(households)
    ordinals = np.array([d.toordinal() for d in days], dtype=np.int64)

    counts = present_counts(aggregates, ordinals)  # (D, G, B)
    index = {group: g for g, group in enumerate(aggregates.groups)}
    selected = np.zeros((len(aggregates.groups), len(checked)), dtype=np.int64)  # (G, R)
    for r, (_, _, groups, _) in enumerate(checked):
        if groups:
            for group in groups:
                if group in index:
                    selected[index[group], r] = 1
        else:
            selected[:, r] = 1
    columns = np.array([_COLUMN[basis] for _, basis, _, _ in checked], dtype=np.int64)
    per_group = counts[:, :, columns] * selected[None, :, :]  # (D, G, R)
    numerators = np.array([share.numerator for *_, share in checked], dtype=np.int64)
    denominators = np.array([share.denominator for *_, share in checked], dtype=np.int64)
    # ceil(share x count) per target group, in integers: (count x p + q - 1) // q
    per_group = (per_group * numerators + denominators - 1) // denominators
    demand = per_group.sum(axis=1)  # (D, R)
    capacity = capacity_table(*capacity_arrays, ordinals, len(checked))  # (R, D)

    demand_list = demand.T.tolist()
    capacity_list = capacity.tolist()
    split = per_group.transpose(2, 0, 1).tolist()  # (R, D, G)
    group_codes = aggregates.groups
    lines: list[DemandLine] = []
    for r, (name, *_) in enumerate(checked):
        for j, on in enumerate(days):
            lines.append(
                DemandLine(
                    service_code=name,
                    on=on,
                    demand=demand_list[r][j],
                    capacity=capacity_list[r][j],
                    by_target_group=MappingProxyType(
                        {
                            group: n
                            for group, n in zip(group_codes, split[r][j], strict=True)
                            if n > 0
                        }
                    ),
                )
            )
    return lines
