"""Input and result types of the exchange engine: frozen dataclasses, NumPy arrays read-only.

A region (Duo+, a province, the whole country) lets its municipalities exchange quotas: one
takes over part of another's obligation for a target group, or two swap (one takes more asylum
seekers, the other more status holders). The Spreidingswet allows such shifts within a province
as long as the provincial total per group holds. The input mirrors the JSON contract of
``onderdak exchange solve`` (``docs/engines/exchange.md``); every validation error names the
JSON path of the offending value in :attr:`ExchangeInputError.field`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any, Literal, TypeAlias, TypeVar

import numpy as np
import numpy.typing as npt

from onderdak.engines.errors import RecordInputError

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]

#: A number in the input: places are ``int``; points, costs and ratios may be any of these.
Number: TypeAlias = int | float | Decimal | Fraction


class ExchangeInputError(RecordInputError):
    """The input of an exchange is malformed.

    ``field`` is the JSON path of the value, e.g. ``municipalities[2].capacity.asylum_seeker``
    (``None`` when the problem is the input as a whole). An infeasible but well-formed scenario
    is not an error: it gives a result with status ``infeasible`` and a reason.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        # a RecordInputError (kind "scenario", no id) whose text stays the command line's
        self.message = message
        self.field = field
        self.kind = "scenario"
        self.id = None
        ValueError.__init__(self, f"{field}: {message}" if field else message)


class ExchangeSolverError(RuntimeError):
    """HiGHS neither proved optimality nor infeasibility (a solver failure, not a user error)."""


class Mode(StrEnum):
    """How the region settles an exchange.

    ``SWAP``: no money changes hands; every municipality provides exactly as many points as it
    owes. ``COMPENSATION``: points may differ; whoever provides fewer points than it owes pays
    the region's clearing price per place (see :attr:`ExchangeResult.prices`).
    """

    SWAP = "swap"
    COMPENSATION = "compensation"


class Status(StrEnum):
    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"


# --------------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Group:
    """A target group (``asylum_seeker``, ``uam``, ``status_holder``, ...).

    ``points`` is the exchange weight of one place (> 0, at most 6 decimals): with
    ``uam`` at 1.5 one place for an unaccompanied minor counts as one and a half places.

    ``within_province``: the group's places do not cross provincial borders, so the total of
    every province holds exactly (not only the regional total). True for asylum seekers and
    unaccompanied minors: the Spreidingswet (Wet gemeentelijke taak mogelijk maken
    asielopvangvoorzieningen, Kamerstukken 36333) distributes the places per province under the
    Commissaris van de Koning. False (the default) for status holders, whose quotas may move
    between any municipalities (art. 29(2) Huisvestingswet 2014, BWBR0035303).
    """

    code: str
    points: Number = 1
    within_province: bool = False


@dataclass(frozen=True, slots=True)
class Municipality:
    """One municipality's side of the exchange; every mapping is keyed by group code.

    ``obligation``, ``capacity`` and ``cost_per_place`` need a value for every group (a missing
    group is an error, never a silent zero). ``max_take_over`` caps provided - obligation and
    ``max_hand_off`` caps obligation - provided; a group left out (or ``None``) is not capped.
    ``province`` is an opaque label (a code such as ``PV27`` or a name, compared exactly as
    given); required when a group is ``within_province``, otherwise unused.
    """

    code: str
    population: int
    obligation: Mapping[str, int]
    capacity: Mapping[str, int]
    cost_per_place: Mapping[str, Number]
    max_take_over: Mapping[str, int | None] = field(default_factory=dict)
    max_hand_off: Mapping[str, int | None] = field(default_factory=dict)
    province: str | None = None


@dataclass(frozen=True, slots=True)
class Fairness:
    """Bounds on each municipality's load relative to the regional average.

    load = points provided / population; regional average = points owed in the region /
    population of the region. Every load must lie within [min_ratio, max_ratio] x average.
    ``max_ratio=None`` means no upper bound.
    """

    min_ratio: Number = 0
    max_ratio: Number | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    """Everything :func:`onderdak.engines.exchange.optimise` needs; mirrors the JSON contract."""

    mode: Mode | str
    groups: Sequence[Group]
    municipalities: Sequence[Municipality]
    fairness: Fairness | None = None


# --------------------------------------------------------------------------------------------
# Result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Transfer:
    """A bilateral deal: ``from_code`` hands ``places`` places of ``group`` to ``to_code``."""

    from_code: str
    to_code: str
    group: str
    places: int


class BindingKind(StrEnum):
    """A bound a municipality's allocation sits on."""

    CAPACITY = "capacity"
    MAX_TAKE_OVER = "max_take_over"
    MAX_HAND_OFF = "max_hand_off"
    FAIRNESS_MIN = "fairness_min"
    FAIRNESS_MAX = "fairness_max"


@dataclass(frozen=True, slots=True)
class Binding:
    """``kind`` binds for ``group`` (``None`` for the fairness bounds, which count points)."""

    kind: BindingKind
    group: str | None


@dataclass(frozen=True, slots=True)
class MunicipalityExplanation:
    """One municipality's line of an optimal exchange: every figure it needs to check its part.

    Per group (in group order): ``obligation``, ``provided``, ``handed_off`` = max(obligation -
    provided, 0) and ``taken_over`` = max(provided - obligation, 0). Points are exact
    fractions. ``load_ratio`` = (provided points / population) / regional average (``None``
    when the region owes no points). ``compensation`` = sum over groups of price x (obligation
    - provided): positive pays, negative receives, zero in swap mode.
    """

    code: str
    population: int
    obligation: tuple[int, ...]
    provided: tuple[int, ...]
    owed_points: Fraction
    provided_points: Fraction
    load_ratio: float | None
    cost: Decimal
    baseline_cost: Decimal
    compensation: Decimal
    bindings: tuple[Binding, ...]

    @property
    def handed_off(self) -> tuple[int, ...]:
        return tuple(max(o - p, 0) for o, p in zip(self.obligation, self.provided, strict=True))

    @property
    def taken_over(self) -> tuple[int, ...]:
        return tuple(max(p - o, 0) for o, p in zip(self.obligation, self.provided, strict=True))


class ConflictKind(StrEnum):
    """Why a scenario is infeasible; see ``docs/engines/exchange.md``."""

    #: max_hand_off leaves a municipality more places than its capacity.
    HAND_OFF_ABOVE_CAPACITY = "hand_off_above_capacity"
    #: The region's capacity for a group is below the region's obligation.
    GROUP_CAPACITY = "group_capacity"
    #: A within_province group: a province's capacity is below the province's obligation.
    PROVINCE_CAPACITY = "province_capacity"
    #: A within_province group: the max_take_over caps leave a province too little room.
    PROVINCE_TAKE_OVER_CAPS = "province_take_over_caps"
    #: Capacity suffices, but the max_take_over caps leave too little room.
    TAKE_OVER_CAPS = "take_over_caps"
    #: Swap mode: a municipality cannot provide the points it owes.
    SWAP_BALANCE = "swap_balance"
    #: The fairness bounds cannot hold together (their sum misses the region's points).
    FAIRNESS_REGION = "fairness_region"
    #: No whole number of places puts a municipality inside its fairness band.
    FAIRNESS_BAND = "fairness_band"
    FAIRNESS_MIN = "fairness_min"
    FAIRNESS_MAX = "fairness_max"
    #: Found by the elastic LP: a cap that must be exceeded when everything else holds.
    MAX_TAKE_OVER = "max_take_over"
    MAX_HAND_OFF = "max_hand_off"
    #: A fractional allocation exists but none in whole places.
    INTEGRALITY = "integrality"


ConflictSource: TypeAlias = Literal["precheck", "relaxation", "integrality"]


@dataclass(frozen=True, slots=True)
class Conflict:
    """One reason for infeasibility, with the sentence that states it.

    ``amount`` is the shortfall or excess (places for group-level conflicts, points for point
    and fairness conflicts). ``source`` tells which stage found it: an explicit pre-check, the
    elastic LP (one smallest set of relaxations, counted in points) or the integrality check.
    """

    kind: ConflictKind
    municipality: str | None
    group: str | None
    amount: float
    message: str
    source: ConflictSource
    #: The province that cannot hold its total (province conflicts of a within_province group).
    province: str | None = None


@dataclass(frozen=True, slots=True)
class SolveStats:
    """Sizes and solver figures of one run (no timings: engines keep no clock)."""

    rows: int
    columns: int
    nonzeros: int
    #: Branch-and-bound nodes of the allocation MIP (both stages).
    mip_nodes: int
    #: True when the tie-break stage (fewest moved places at minimum cost) was solved.
    tie_break_solved: bool
    #: Places that change municipality: sum over groups of the places handed off.
    moved_places: int
    deals: int
    #: ``"mip"`` (fewest deals, proven), ``"mip-limit"`` (node limit, best found) or ``"greedy"``.
    transfer_method: str


@dataclass(frozen=True, slots=True, eq=False)
class ExchangeResult:
    """Result of :func:`onderdak.engines.exchange.optimise`; arrays are read-only.

    Rows of the arrays follow ``codes`` (input order), columns ``groups`` (input order).
    ``provided``, ``total_cost``, ``prices`` and ``compensation`` are ``None`` when infeasible.
    ``total_cost`` is exactly sum(cost_per_place x provided); ``baseline_cost`` the same for
    provided = obligation, ``None`` when that baseline violates a capacity or fairness bound.
    ``prices`` are euro per place, rounded to cents (zero in swap mode); ``compensation`` per
    municipality is computed from the rounded prices, so it is exact in cents and sums to zero.

    A ``within_province`` group has one price per province (its total holds per province, so
    each province clears on its own): ``province_prices[group]`` maps each province (in order
    of first appearance) to its price, and ``prices`` holds the highest of them for that group.
    Compensation uses the price of the municipality's own province. Groups without the flag
    are not in ``province_prices``.
    """

    status: Status
    reason: str
    mode: Mode
    codes: tuple[str, ...]
    groups: tuple[str, ...]
    obligation: IntArray
    provided: IntArray | None
    total_cost: Decimal | None
    baseline_cost: Decimal | None
    prices: tuple[Decimal, ...] | None
    compensation: tuple[Decimal, ...] | None
    transfers: tuple[Transfer, ...]
    municipalities: tuple[MunicipalityExplanation, ...]
    conflicts: tuple[Conflict, ...]
    #: Points owed in the region per inhabitant.
    regional_average: Fraction
    stats: SolveStats | None
    #: Per ``within_province`` group: (province, price) in order of first appearance.
    province_prices: Mapping[str, tuple[tuple[str, Decimal], ...]] = field(default_factory=dict)

    @property
    def is_optimal(self) -> bool:
        return self.status is Status.OPTIMAL

    def explanation_of(self, code: str) -> MunicipalityExplanation:
        """The explanation line of a municipality; ``KeyError`` when unknown or infeasible."""
        for line in self.municipalities:
            if line.code == code:
                return line
        raise KeyError(code)

    def provided_of(self, code: str) -> tuple[int, ...]:
        """Places provided per group (group order); ``KeyError`` when unknown or infeasible."""
        return self.explanation_of(code).provided


ArrayT = TypeVar("ArrayT", bound="np.ndarray[Any, Any]")


def readonly(array: ArrayT) -> ArrayT:
    """Mark an array read-only (results are immutable) and return it."""
    array.flags.writeable = False
    return array
