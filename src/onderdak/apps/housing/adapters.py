"""ORM <-> placement engine: households and free units in, proposal lines with explanations,
the households not placed and the fairness report out. No writes here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pyproj import Transformer

from onderdak.common.vocabulary import TargetGroup
from onderdak.engines import placement

from .models import Household, Unit

_WGS84_TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)

#: How a part of the score is called on the page.
PART_LABELS = {
    "base": "basis",
    "waiting": "wachttijd",
    "urgency": "urgentie",
    "space": "ruimte per persoon",
    "rooms": "kamers",
    "distance": "afstand tot school/werk",
    "preference": "voorkeur",
}


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
    x, y = _WGS84_TO_RD.transform(complex.longitude, complex.latitude)
    return float(x), float(y)


def _group_label(value: str) -> str:
    return str(TargetGroup(value).label) if value in TargetGroup.values else value


def propose(households: Sequence[Household], units: Sequence[Unit], *, today: date) -> Outcome:
    """Run the engine (scoring + proven-optimal assignment) and translate its explanation."""
    engine_households = [
        placement.Household(
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
        for h in households
    ]
    engine_units = []
    for u in units:
        x, y = _unit_point(u)
        engine_units.append(
            placement.Unit(
                id=str(u.pk),
                complex=str(u.complex_id),
                max_occupants=u.max_occupants,
                rooms=u.rooms,
                area_m2=float(u.area_m2),
                accessible=u.accessible,
                floor=u.floor,
                x=x,
                y=y,
                target_groups=tuple(u.target_groups),
                max_households=u.max_households,
            )
        )
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
                        "parts": {
                            PART_LABELS.get(k, k): v
                            for k, v in explanation.score.as_dict().items()
                            if v
                        },
                        "alternatives": [
                            {"unit": names.get(a.unit, a.unit), "score": a.score.total}
                            for a in explanation.alternatives
                        ],
                        "infeasible": [g.message for g in explanation.infeasible],
                        "message": explanation.message,
                    },
                )
            )
        else:
            outcome.unplaced.append(
                {
                    "code": codes.get(explanation.household, explanation.household),
                    "reason": explanation.message,
                }
            )
    report = result.fairness
    outcome.fairness = {
        "groups": [
            {
                "group": _group_label(g.label),
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
