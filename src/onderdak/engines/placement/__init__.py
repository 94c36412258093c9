"""Placement engine: which household moves into which free unit.

Municipalities house status holders (Huisvestingswet 2014 art. 28 quota), displaced persons
from Ukraine (flex homes) and other target groups in the free units of their complexes. Pure
computation (no Django, no I/O, no settings, no clock). Two layers:

* scoring: :func:`score_pairs`, :func:`score_pair` and :func:`check_pair` decide which
  (household, unit) combinations meet the hard constraints (target group, size, accessibility,
  ground floor) and score the feasible ones (priority, fit, distance to ties, preferences:
  weighted parts, :class:`Weights`);
* optimisation: :func:`optimise` chooses the placements of maximum total score (each household
  at most once, each unit within its households and persons, optional
  :class:`ShareConstraint` s), proven optimal by a min-cost flow or a MIP.

:func:`place` runs both and explains every household's outcome (its unit and score parts, the
best alternatives, why each other unit is infeasible) and compares the optimum with
first-come-first-served placement (:func:`greedy`, :func:`fairness_report`).
:func:`relocation_cost` prices moving flex homes to another site (shares of new build).
:func:`coa_term` gives a linked status holder's dates under COA's norms (10 weeks to find a
home, 2 weeks to move) and its state; :func:`subsidy_share` checks the SFT flex-home subsidy's
30% on the municipality's total over its subsidised complexes (BWBR0048657 art. 2).
:func:`explanation_to_mapping` and :func:`weights_from_mapping` give the documents of the
command line. Invalid input raises :class:`PlacementInputError` naming the record and field.
The model, the rules and the command-line contract are in ``docs/engines/placement.md``.
"""

from onderdak.engines.placement.coa import CoaNorms, CoaState, CoaStep, CoaTerm, coa_term
from onderdak.engines.placement.contract import (
    explanation_to_mapping,
    fairness_to_mapping,
    weights_from_mapping,
    weights_to_mapping,
)
from onderdak.engines.placement.fairness import SIZE_BANDS, fairness_report, size_band
from onderdak.engines.placement.greedy import greedy, greedy_pairs
from onderdak.engines.placement.model import (
    REASONS,
    Alternative,
    Assignment,
    FairnessReport,
    GroupOutcome,
    Household,
    HouseholdExplanation,
    HouseholdSize,
    InfeasibleGroup,
    Measures,
    Method,
    Outcome,
    Pair,
    Placement,
    PlacementInputError,
    PlacementResult,
    PlacementSolverError,
    PolicyOutcome,
    Reason,
    ScoreParts,
    ShareBasis,
    ShareConstraint,
    Status,
    Unit,
    UnitCapacity,
    Unplaced,
    Weights,
)
from onderdak.engines.placement.place import optimise, place
from onderdak.engines.placement.relocation import RelocationCost, relocation_cost
from onderdak.engines.placement.scoring import check_pair, needed_rooms, score_pair, score_pairs
from onderdak.engines.placement.subsidy import SubsidisedComplex, SubsidyShare, subsidy_share

__all__ = [
    "REASONS",
    "SIZE_BANDS",
    "Alternative",
    "Assignment",
    "CoaNorms",
    "CoaState",
    "CoaStep",
    "CoaTerm",
    "FairnessReport",
    "GroupOutcome",
    "Household",
    "HouseholdExplanation",
    "HouseholdSize",
    "InfeasibleGroup",
    "Measures",
    "Method",
    "Outcome",
    "Pair",
    "Placement",
    "PlacementInputError",
    "PlacementResult",
    "PlacementSolverError",
    "PolicyOutcome",
    "Reason",
    "RelocationCost",
    "ScoreParts",
    "ShareBasis",
    "ShareConstraint",
    "Status",
    "SubsidisedComplex",
    "SubsidyShare",
    "Unit",
    "UnitCapacity",
    "Unplaced",
    "Weights",
    "check_pair",
    "coa_term",
    "explanation_to_mapping",
    "fairness_report",
    "fairness_to_mapping",
    "greedy",
    "greedy_pairs",
    "needed_rooms",
    "optimise",
    "place",
    "relocation_cost",
    "score_pair",
    "score_pairs",
    "size_band",
    "subsidy_share",
    "weights_from_mapping",
    "weights_to_mapping",
]
