"""Plain-value forms of the placement engine's input and output (shared by the command line
and the web application), so both store and print the same documents:

* :func:`weights_from_mapping` / :func:`weights_to_mapping`: the scoring weights as a flat
  mapping ``name -> number`` (the ``--weights`` file of ``onderdak placement solve``);
* :func:`explanation_to_mapping`: the ``--explain`` document (status, objective, per-household
  explanation, unplaced households, fairness report);
* :func:`fairness_to_mapping`: the fairness report alone.

Floats are Python floats (JSON writes their shortest round-trip form); keys in a fixed order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from numbers import Real

from onderdak.engines.placement.model import (
    FairnessReport,
    GroupOutcome,
    HouseholdExplanation,
    PlacementInputError,
    PlacementResult,
    PolicyOutcome,
    ScoreParts,
    Weights,
)
from onderdak.engines.placement.validate import WEIGHT_FIELDS, check_weights


def weights_from_mapping(data: Mapping[str, object]) -> Weights:
    """:class:`Weights` from a flat mapping; keys left out keep their defaults.

    Every value is a number (``count_reunification`` also ``true``/``false``); an unknown key
    is an error naming it (``kind`` ``weights``, ``field`` the key).
    """
    if not isinstance(data, Mapping):
        raise PlacementInputError(
            f"must be a mapping of weight names to numbers, not {type(data).__name__}",
            kind="weights",
        )
    values: dict[str, object] = {}
    for key, value in data.items():
        if key not in WEIGHT_FIELDS:
            raise PlacementInputError(
                f"unknown weight (known: {', '.join(WEIGHT_FIELDS)})",
                kind="weights",
                field=str(key),
            )
        if key == "count_reunification":
            values[key] = bool(value) if type(value) is int and value in (0, 1) else value
            continue
        if isinstance(value, bool) or not isinstance(value, Real):
            raise PlacementInputError(
                f"must be a number, not {value!r}", kind="weights", field=str(key)
            )
        values[key] = float(value)
    return check_weights(replace(Weights(), **values))  # type: ignore[arg-type]


def weights_to_mapping(weights: Weights) -> dict[str, float | bool]:
    """The weights as a flat mapping (field order)."""
    return {f.name: getattr(weights, f.name) for f in fields(Weights)}


def _parts(parts: ScoreParts) -> dict[str, float]:
    return parts.as_dict()


def _household(line: HouseholdExplanation) -> dict[str, object]:
    measures = line.measures
    return {
        "id": line.household,
        "outcome": line.outcome.value,
        "unit": line.unit,
        "score": None if line.score is None else line.score.total,
        "parts": None if line.score is None else _parts(line.score),
        "measures": None
        if measures is None
        else {
            "persons": measures.persons,
            "area_per_person": measures.area_per_person,
            "needed_rooms": measures.needed_rooms,
            "distance_m": measures.distance_m,
        },
        "feasible_units": line.feasible_units,
        "alternatives": [
            {
                "unit": alternative.unit,
                "score": alternative.score.total,
                "parts": _parts(alternative.score),
                "taken_by": list(alternative.taken_by),
            }
            for alternative in line.alternatives
        ],
        "infeasible": [
            {
                "reason": group.reason.value,
                "count": group.count,
                "message": group.message,
                "examples": list(group.examples),
            }
            for group in line.infeasible
        ],
        "message": line.message,
    }


def _group(outcome: GroupOutcome) -> dict[str, object]:
    return {
        "label": outcome.label,
        "households": outcome.households,
        "placed": outcome.placed,
        "placed_share": outcome.placed_share,
        "average_score": outcome.average_score,
        "average_waiting_placed": outcome.average_waiting_placed,
        "average_waiting_unplaced": outcome.average_waiting_unplaced,
    }


def _policy(outcome: PolicyOutcome) -> dict[str, object]:
    return {
        "objective": outcome.objective,
        "placed": outcome.placed,
        "overall": _group(outcome.overall),
        "by_target_group": [_group(g) for g in outcome.by_target_group],
        "by_size": [_group(g) for g in outcome.by_size],
    }


def fairness_to_mapping(report: FairnessReport) -> dict[str, object]:
    """The fairness report: both policies, the objective ratio (greedy / optimal) and whether
    greedy happens to meet the side constraints."""
    return {
        "optimal": _policy(report.optimal),
        "greedy": _policy(report.greedy),
        "objective_ratio": report.objective_ratio,
        "greedy_meets_constraints": report.greedy_meets_constraints,
    }


def explanation_to_mapping(
    result: PlacementResult, weights: Weights | None = None
) -> dict[str, object]:
    """The ``--explain`` document of ``onderdak placement solve``."""
    assignment = result.assignment
    document: dict[str, object] = {
        "status": result.status.value,
        "reason": result.reason,
        "method": assignment.method.value,
        "objective": result.objective,
        "placed": result.placed,
        "bound": assignment.bound,
        "gap": assignment.gap,
    }
    if weights is not None:
        document["weights"] = weights_to_mapping(weights)
    document["households"] = [_household(line) for line in result.households]
    document["unplaced"] = [
        {"id": line.household, "outcome": line.outcome.value, "message": line.message}
        for line in result.unplaced
    ]
    document["fairness"] = fairness_to_mapping(result.fairness)
    return document
