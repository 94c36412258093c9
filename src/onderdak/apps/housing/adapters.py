"""ORM <-> placement engine: households and free units in, proposal lines with explanations,
the households not placed and the fairness report out. No writes here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from onderdak.common.projection import wgs84_to_rd

from .models import Household, Unit

if TYPE_CHECKING:
    from onderdak.engines import placement


@dataclass(frozen=True)
class Line:
    household: int
    unit: int
    score: float
    explanation: dict[str, Any]


@dataclass
class Outcome:
    lines: list[Line] = field(default_factory=list)
    objective: float = 0.0
    unplaced: list[dict[str, Any]] = field(default_factory=list)
    fairness: dict[str, Any] = field(default_factory=dict)


def _unit_point(unit: Unit) -> tuple[float | None, float | None]:
    complex = unit.complex
    if complex.longitude is None or complex.latitude is None:
        return None, None
    return wgs84_to_rd(complex.longitude, complex.latitude)


def _infeasible(explanation: placement.HouseholdExplanation) -> list[dict[str, Any]]:
    """The reasons with their parameters (translated on the page, ``explanations``)."""
    return [
        {"reason": g.reason.value, "count": g.count, "persons": g.persons, "group": g.group}
        for g in explanation.infeasible
    ]


def engine_household(household: Household, *, today: date) -> placement.Household:
    from onderdak.engines import placement

    h = household
    return placement.Household(
        id=str(h.pk),
        target_group=h.target_group,
        adults=h.adults,
        minors=h.minors,
        needs_accessible=h.needs_accessible,
        needs_ground_floor=h.needs_ground_floor,
        waiting_days=max(0, (today - h.waiting_since).days),
        urgency=float(h.urgency),
        tie_x=h.tie_x,
        tie_y=h.tie_y,
        reunification_persons=h.reunification_persons,
    )


def engine_unit(unit: Unit) -> placement.Unit:
    from onderdak.engines import placement

    x, y = _unit_point(unit)
    return placement.Unit(
        id=str(unit.pk),
        complex=str(unit.complex_id),
        max_occupants=unit.max_occupants,
        rooms=unit.rooms,
        area_m2=float(unit.area_m2),
        accessible=unit.accessible,
        floor=unit.floor,
        x=x,
        y=y,
        target_groups=tuple(unit.target_groups),
        max_households=unit.max_households,
    )


def pair_reasons(household: Household, unit: Unit, *, today: date) -> tuple[placement.Reason, ...]:
    """The engine's hard constraints (``check_pair``) this household fails in this unit."""
    from onderdak.engines import placement

    return placement.check_pair(engine_household(household, today=today), engine_unit(unit))


def propose(households: Sequence[Household], units: Sequence[Unit], *, today: date) -> Outcome:
    """Run the engine (scoring + proven-optimal assignment) and translate its explanation."""
    from onderdak.engines import placement

    engine_households = [engine_household(h, today=today) for h in households]
    engine_units = [engine_unit(u) for u in units]
    result = placement.place(engine_households, engine_units)
    names = {str(u.pk): str(u) for u in units}
    codes = {str(h.pk): h.code for h in households}
    outcome = Outcome(objective=float(result.objective))
    for explanation in result.households:
        if explanation.unit is not None and explanation.score is not None:
            outcome.lines.append(
                Line(
                    household=int(explanation.household),
                    unit=int(explanation.unit),
                    score=float(explanation.score.total),
                    explanation={
                        "parts": {k: v for k, v in explanation.score.as_dict().items() if v},
                        "alternatives": [
                            {"unit": names.get(a.unit, a.unit), "score": a.score.total}
                            for a in explanation.alternatives
                        ],
                        "infeasible": _infeasible(explanation),
                        "message": explanation.message,
                    },
                )
            )
        else:
            outcome.unplaced.append(
                {
                    "code": codes.get(explanation.household, explanation.household),
                    "outcome": explanation.outcome.value,
                    "feasible": explanation.feasible_units,
                    "infeasible": _infeasible(explanation),
                    "alternatives": [names.get(a.unit, a.unit) for a in explanation.alternatives],
                    "with_room": [names.get(u, u) for u in explanation.with_room],
                    "reason": explanation.message,
                }
            )
    report = result.fairness
    outcome.fairness = {
        "groups": [
            {
                "group": g.label,
                "households": g.households,
                "placed": g.placed,
                "mean_score": g.average_score or 0.0,
                "mean_waiting_placed": g.average_waiting_placed or 0.0,
            }
            for g in report.optimal.by_target_group
        ],
        "optimal": {"objective": report.optimal.objective, "placed": report.optimal.placed},
        "greedy": {"objective": report.greedy.objective, "placed": report.greedy.placed},
        "objective_ratio": report.objective_ratio,
    }
    return outcome
