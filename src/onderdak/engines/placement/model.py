"""Input and result types of the placement engine: frozen dataclasses.

Placement (plaatsing) decides which household moves into which free unit (wooneenheid) of a
housing complex: status holders under the Huisvestingswet 2014 art. 28 quota, displaced
persons from Ukraine in flex homes, other target groups where a municipality chooses so. Two
layers, each with its own input:

* scoring: :class:`Household` x :class:`Unit` with :class:`Weights` -> feasible pairs with a
  score split into named parts (:class:`ScoreParts`) and, for every infeasible combination, the
  constraint that rules it out (:class:`Reason`);
* optimisation: :class:`HouseholdSize` x :class:`UnitCapacity` with scored :class:`Pair` s ->
  the placements of maximum total score (:class:`Assignment`), optionally under
  :class:`ShareConstraint` s.

:func:`onderdak.engines.placement.place` runs both and adds the per-household explanation and
the fairness report (:class:`PlacementResult`). Every validation error is a
:class:`PlacementInputError` naming the record (``kind`` and ``id``) and the ``field``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from onderdak.engines.errors import RecordInputError


class PlacementInputError(RecordInputError):
    """The input of a placement is malformed.

    ``kind`` is the kind of record (``household``, ``unit``, ``pair``, ``weights``,
    ``constraint``), ``id`` its id (``None`` for weights or when the record has no usable id)
    and ``field`` the offending field. The message reads
    ``household 'H3', field 'adults': must be a whole number >= 0, not -1``.
    """


class PlacementSolverError(RuntimeError):
    """A solver failed (neither an answer nor a proof); not a user error."""


# --------------------------------------------------------------------------------------------
# Scoring input
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Household:
    """A household waiting for a unit.

    ``persons`` = ``adults`` + ``minors`` (at least 1). ``reunification_persons`` are family
    members expected to join later (nareizigers); :attr:`Weights.count_reunification` decides
    whether they count when the unit must fit. ``tie_x``/``tie_y`` locate the household's tie
    (school, work) in RD New metres (EPSG:28992); ``None`` when unknown. ``urgency`` is a level
    >= 0 (0 = none, 1 = an urgency declaration; higher levels may be used).
    ``preferred_complexes`` lists complexes the household prefers (empty: no preference).
    """

    id: str
    target_group: str
    adults: int
    minors: int = 0
    needs_accessible: bool = False
    needs_ground_floor: bool = False
    waiting_days: int = 0
    urgency: float = 0.0
    tie_x: float | None = None
    tie_y: float | None = None
    reunification_persons: int = 0
    preferred_complexes: tuple[str, ...] = ()

    @property
    def persons(self) -> int:
        return self.adults + self.minors


@dataclass(frozen=True, slots=True)
class Unit:
    """A free unit in a complex.

    ``max_occupants`` is its capacity in persons; ``max_households`` how many households may
    share it (1 for an ordinary home). ``floor`` 0 is the ground floor. ``x``/``y`` in RD New
    metres (``None`` when unknown). ``target_groups`` lists the groups the unit is meant for;
    empty means every group.
    """

    id: str
    complex: str
    max_occupants: int
    rooms: int
    area_m2: float
    accessible: bool = False
    floor: int = 0
    x: float | None = None
    y: float | None = None
    target_groups: tuple[str, ...] = ()
    max_households: int = 1


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights of the score parts and the norms they use; see ``docs/engines/placement.md``.

    score = base + waiting x days/``waiting_unit_days`` + urgency x level + space x s +
    rooms x r + distance x d + preference x p, with s, r, d, p in [0, 1]:

    * s (space per person): 1 within [``space_min_m2``, ``space_max_m2``] m2 per person (the
      12-15 m2 norm), below it area/persons/min, above it max/(area/persons);
    * r (rooms): min(rooms / needed, 1) with needed = 1 for one person, else 1 + ceil(p/2);
    * d (distance to the tie): scale / (scale + metres) with ``distance_scale_m`` (0.5 at that
      distance); ``neutral`` when the tie or the unit has no coordinates;
    * p (preference): 1 in a preferred complex, 0 elsewhere, ``neutral`` without preferences.

    Every weight and norm is a finite number >= 0 (``space_min_m2 <= space_max_m2``,
    ``distance_scale_m > 0``, ``waiting_unit_days > 0``, ``neutral`` in [0, 1]).
    ``count_reunification``: expected reunification persons count when the unit must fit.
    """

    base: float = 1.0
    waiting: float = 1.0
    urgency: float = 1.0
    space: float = 1.0
    rooms: float = 1.0
    distance: float = 1.0
    preference: float = 0.5
    waiting_unit_days: float = 365.0
    space_min_m2: float = 12.0
    space_max_m2: float = 15.0
    distance_scale_m: float = 5000.0
    neutral: float = 0.5
    count_reunification: bool = True


class Reason(StrEnum):
    """Why a (household, unit) combination is infeasible, in the order the checks run."""

    TARGET_GROUP = "target_group"
    TOO_SMALL = "too_small"
    NOT_ACCESSIBLE = "not_accessible"
    NOT_GROUND_FLOOR = "not_ground_floor"


#: The checks in order; an infeasible unit is counted under the first one it fails.
REASONS: tuple[Reason, ...] = tuple(Reason)


# --------------------------------------------------------------------------------------------
# Optimisation input
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HouseholdSize:
    """A household as the optimisation layer sees it: its persons (and group, for shares)."""

    id: str
    persons: int
    group: str = ""


@dataclass(frozen=True, slots=True)
class UnitCapacity:
    """A unit as the optimisation layer sees it: at most ``max_households`` households with
    together at most ``capacity`` persons (``complex``, for shares per complex)."""

    id: str
    capacity: int
    max_households: int = 1
    complex: str = ""


@dataclass(frozen=True, slots=True)
class Pair:
    """An allowed (household, unit) combination and its score (higher is better)."""

    household: str
    unit: str
    score: float


class ShareBasis(StrEnum):
    """What a :class:`ShareConstraint`'s minimum is a share of."""

    #: Of the households placed (in the complex, or everywhere): never infeasible.
    PLACEMENTS = "placements"
    #: Of the units of the complex (a subsidy condition such as "30 % of the units for status
    #: holders"): at least ceil(minimum x units) households of the groups placed there.
    UNITS = "units"


@dataclass(frozen=True, slots=True)
class ShareConstraint:
    """At least ``minimum`` (0-1) of the placements (or of a complex's units) for ``groups``.

    ``complex`` limits the constraint to the units of one complex (required for
    :attr:`ShareBasis.UNITS`). Side constraints make the optimisation a MIP.
    """

    groups: tuple[str, ...]
    minimum: float
    complex: str | None = None
    basis: ShareBasis = ShareBasis.PLACEMENTS


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


class Status(StrEnum):
    #: Proven optimal (within the solver's integer tolerance; see the docs).
    OPTIMAL = "optimal"
    #: The MIP stopped at the requested relative gap: ``Assignment.gap`` holds the proven gap.
    WITHIN_GAP = "within_gap"
    #: The time limit ended the MIP: the best placement found, ``gap`` as proven so far.
    TIME_LIMIT = "time_limit"
    #: The side constraints cannot all hold (only possible with :attr:`ShareBasis.UNITS`).
    INFEASIBLE = "infeasible"


class Method(StrEnum):
    #: Nothing to decide: no pair with a positive score fits.
    NONE = "none"
    #: Min-cost flow (OR-Tools): one household per unit, or capacity never binding.
    FLOW = "min_cost_flow"
    #: Dense assignment (SciPy): as the flow, one household per unit, many pairs.
    DENSE = "dense_assignment"
    #: Mixed-integer programme (HiGHS): shared units with binding capacity, side constraints.
    MIP = "mip"


@dataclass(frozen=True, slots=True)
class Placement:
    """One household in one unit, with the pair's score."""

    household: str
    unit: str
    score: float


@dataclass(frozen=True, slots=True)
class Unplaced:
    """A household the optimisation left out, with the reason (one English phrase)."""

    household: str
    outcome: Outcome
    message: str


@dataclass(frozen=True, slots=True)
class Assignment:
    """Result of :func:`onderdak.engines.placement.optimise`.

    ``placements`` in household input order. ``objective`` = math.fsum of their scores (the
    exactly rounded sum). ``bound`` is a proven upper bound on the objective (equal to it when
    optimal) and ``gap`` = (bound - objective) / max(|bound|, 1e-9) (0 when optimal).
    ``exact_scores``: the optimiser worked with the scores exactly (scaled to integers by a
    power of ten, ``decimals``); else rounded to that many decimals. ``tie_break``: among
    placements of equal total score the one placing most households was chosen.
    """

    status: Status
    method: Method
    placements: tuple[Placement, ...]
    objective: float
    placed: int
    bound: float
    gap: float
    reason: str
    pairs: int
    decimals: int
    exact_scores: bool
    tie_break: bool
    mip_nodes: int
    #: The households left out, in input order.
    unplaced: tuple[Unplaced, ...] = ()

    @property
    def is_optimal(self) -> bool:
        return self.status is Status.OPTIMAL

    def unit_of(self, household: str) -> str | None:
        """The unit of ``household`` (``None`` when not placed)."""
        for placement in self.placements:
            if placement.household == household:
                return placement.unit
        return None


@dataclass(frozen=True, slots=True)
class ScoreParts:
    """A pair's score split into its weighted parts (each rounded to 6 decimals).

    ``total`` is the score: the sum of the parts, computed in whole millionths, so the parts
    add up to it exactly as decimals.
    """

    total: float
    base: float
    waiting: float
    urgency: float
    space: float
    rooms: float
    distance: float
    preference: float

    def as_dict(self) -> dict[str, float]:
        """The parts by name (``total`` excluded), in the order of the fields."""
        return {
            "base": self.base,
            "waiting": self.waiting,
            "urgency": self.urgency,
            "space": self.space,
            "rooms": self.rooms,
            "distance": self.distance,
            "preference": self.preference,
        }


@dataclass(frozen=True, slots=True)
class Measures:
    """The facts behind a pair's fit parts."""

    #: Persons the unit must fit (with reunification persons when they count).
    persons: int
    area_per_person: float
    needed_rooms: int
    #: Straight-line distance to the household's tie in metres; ``None`` when unknown.
    distance_m: float | None


@dataclass(frozen=True, slots=True)
class Alternative:
    """A feasible unit other than the household's own, with its score and who got it."""

    unit: str
    score: ScoreParts
    taken_by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class InfeasibleGroup:
    """Units ruled out for a household by one reason (each unit under its first reason)."""

    reason: Reason
    count: int
    message: str
    #: The first few of these units (input order); :func:`check_pair` derives every one.
    examples: tuple[str, ...]
    #: The parameters of the reason, for a translation of ``message``: the persons the units
    #: must fit (:attr:`Reason.TOO_SMALL`) and the household's target group code
    #: (:attr:`Reason.TARGET_GROUP`).
    persons: int = 0
    group: str = ""


class Outcome(StrEnum):
    PLACED = "placed"
    #: Every unit fails a hard constraint.
    NO_FEASIBLE_UNIT = "no_feasible_unit"
    #: Feasible units exist, but no pair has a score > 0 (never worth placing).
    NO_POSITIVE_SCORE = "no_positive_score"
    #: Feasible units exist, but placing others (or the side constraints) served the total
    #: score better.
    OUTCOMPETED = "outcompeted"


@dataclass(frozen=True, slots=True)
class HouseholdExplanation:
    """Why a household got its unit, or none.

    ``alternatives``: the best 3 feasible units other than its own (score descending, then unit
    input order). ``infeasible``: every other unit that fails a hard constraint, grouped by
    reason (in :data:`REASONS` order). ``message``: one English sentence, rendered from the
    codes and parameters here (``outcome``, ``infeasible``, ``feasible_units``, ``alternatives``,
    ``with_room``), so an application can render it in its own language from the same facts.
    """

    household: str
    outcome: Outcome
    unit: str | None
    score: ScoreParts | None
    measures: Measures | None
    feasible_units: int
    alternatives: tuple[Alternative, ...]
    infeasible: tuple[InfeasibleGroup, ...]
    message: str
    #: Outcompeted only: the alternatives that still have room (a side constraint or the
    #: optimality gap kept the household out of them).
    with_room: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GroupOutcome:
    """Outcomes of one group of households (a target group, a size band, or everybody).

    Averages are ``None`` for an empty set. ``average_score`` is over the placed households.
    """

    label: str
    households: int
    placed: int
    placed_share: float
    average_score: float | None
    average_waiting_placed: float | None
    average_waiting_unplaced: float | None


@dataclass(frozen=True, slots=True)
class PolicyOutcome:
    """The outcomes of one placement policy (the optimum, or first-come-first-served)."""

    policy: str
    objective: float
    placed: int
    overall: GroupOutcome
    by_target_group: tuple[GroupOutcome, ...]
    by_size: tuple[GroupOutcome, ...]


@dataclass(frozen=True, slots=True)
class FairnessReport:
    """The optimum next to first-come-first-served greedy placement on the same instance.

    ``objective_ratio`` = greedy objective / optimal objective (``None`` when the optimum is
    0). ``greedy_meets_constraints``: greedy ignores side constraints; this says whether its
    placement happens to meet them anyway.
    """

    optimal: PolicyOutcome
    greedy: PolicyOutcome
    objective_ratio: float | None
    greedy_meets_constraints: bool


@dataclass(frozen=True, slots=True)
class PlacementResult:
    """Result of :func:`onderdak.engines.placement.place`.

    ``placements`` in household input order; ``households`` one explanation per household in
    input order; ``assignment`` holds the solver figures (method, bound, gap, ...).
    """

    status: Status
    reason: str
    placements: tuple[Placement, ...]
    objective: float
    placed: int
    households: tuple[HouseholdExplanation, ...]
    fairness: FairnessReport
    assignment: Assignment

    @property
    def is_optimal(self) -> bool:
        return self.status is Status.OPTIMAL

    def explanation_of(self, household: str) -> HouseholdExplanation:
        """The explanation of a household; ``KeyError`` when unknown."""
        for line in self.households:
            if line.household == household:
                return line
        raise KeyError(household)

    @property
    def unplaced(self) -> tuple[HouseholdExplanation, ...]:
        return tuple(line for line in self.households if line.unit is None)
