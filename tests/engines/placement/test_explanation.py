"""The per-household explanation on a hand-worked case: units, alternatives, infeasibility
reasons grouped by reason, outcomes and messages; and the JSON form."""

from __future__ import annotations

import json

from onderdak.engines.placement import (
    Household,
    Outcome,
    Placement,
    Reason,
    Unit,
    explanation_to_mapping,
    greedy,
    place,
)

HOUSEHOLDS = (
    Household("H1", "status_holder", adults=3, minors=2, waiting_days=400),
    Household("H2", "status_holder", adults=1, needs_accessible=True, waiting_days=500),
    Household("H3", "displaced_ukrainian", adults=2, waiting_days=100),
    Household("H4", "status_holder", adults=2, minors=6, waiting_days=900),
    Household("H5", "status_holder", adults=1, waiting_days=30),
)
UNITS = (
    Unit("U1", "Diemerdreef", 6, 4, 70.0, accessible=True),
    Unit("U2", "Diemerdreef", 2, 2, 30.0, floor=1),
    Unit("U3", "Maalderij", 4, 3, 50.0, target_groups=("status_holder",)),
    Unit("U4", "Maalderij", 2, 2, 28.0, accessible=True, target_groups=("displaced_ukrainian",)),
)


def test_placements_and_scores() -> None:
    # H1 in U1: 1 + 400/365 (1.09589) + space 70/5 = 14 m2 (1) + rooms 4 of 4 (1)
    # + distance and preference neutral (0.5 + 0.25) = 4.84589. H2 needs the accessible U1
    # too (4.334149) and loses: H1 there plus H5 in U2 beats H2 there plus H5 elsewhere.
    result = place(HOUSEHOLDS, UNITS)
    assert result.placements == (
        Placement("H1", "U1", 4.84589),
        Placement("H3", "U4", 4.023973),
        Placement("H5", "U2", 3.332192),
    )
    assert result.objective == 12.202055


def test_placed_household_with_alternatives() -> None:
    line = place(HOUSEHOLDS, UNITS).explanation_of("H3")
    assert line.outcome is Outcome.PLACED
    assert line.unit == "U4" and line.score is not None and line.score.total == 4.023973
    assert line.measures is not None and line.measures.area_per_person == 14.0
    assert [(a.unit, a.score.total, a.taken_by) for a in line.alternatives] == [
        ("U2", 4.023973, ("H5",)),
        ("U1", 3.452544, ("H1",)),
    ]
    assert [(g.reason, g.count, g.examples) for g in line.infeasible] == [
        (Reason.TARGET_GROUP, 1, ("U3",))
    ]
    assert line.message == (
        "Placed in U4 with score 4.023973. Best alternatives: U2 (4.023973, taken by H5), "
        "U1 (3.452544, taken by H1). Not feasible: 1 unit not open to target group "
        "displaced_ukrainian."
    )


def test_outcompeted_household() -> None:
    line = place(HOUSEHOLDS, UNITS).explanation_of("H2")
    assert line.outcome is Outcome.OUTCOMPETED and line.unit is None
    assert line.feasible_units == 1
    assert [g.message for g in line.infeasible] == [
        "1 unit not open to target group status_holder",
        "2 units not accessible",
    ]
    assert line.message == (
        "Not placed: outcompeted; its best feasible unit: U1 (4.334149, taken by H1). Not "
        "feasible: 1 unit not open to target group status_holder, 2 units not accessible."
    )


def test_household_without_a_feasible_unit() -> None:
    """Every other unit under its first failed check: U4 is closed to status holders (and too
    small, but that is not counted twice); the rest are too small for 8 persons."""
    line = place(HOUSEHOLDS, UNITS).explanation_of("H4")
    assert line.outcome is Outcome.NO_FEASIBLE_UNIT
    assert line.alternatives == ()
    assert [(g.reason, g.count, g.message, g.examples) for g in line.infeasible] == [
        (Reason.TARGET_GROUP, 1, "1 unit not open to target group status_holder", ("U4",)),
        (Reason.TOO_SMALL, 3, "3 units too small (max occupants < 8)", ("U1", "U2", "U3")),
    ]
    assert line.message == (
        "Not placed: no feasible unit (1 unit not open to target group status_holder, 3 units "
        "too small (max occupants < 8))."
    )


def test_greedy_takes_waiting_order() -> None:
    """H4 (900 days) fits nowhere; H2 (500) takes U1, so H1 (400) gets nothing; H3 takes the
    first of its two equal best units (U2 before U4); H5 takes U3."""
    assert greedy(HOUSEHOLDS, UNITS) == (
        Placement("H2", "U1", 4.334149),
        Placement("H3", "U2", 4.023973),
        Placement("H5", "U3", 3.132192),
    )
    report = place(HOUSEHOLDS, UNITS).fairness
    assert report.greedy.objective == 11.490314
    assert report.objective_ratio == 11.490314 / 12.202055


def test_json_document() -> None:
    document = explanation_to_mapping(place(HOUSEHOLDS, UNITS))
    assert list(document) == [
        "status",
        "reason",
        "method",
        "objective",
        "placed",
        "bound",
        "gap",
        "households",
        "unplaced",
        "fairness",
    ]
    assert document["unplaced"] == [
        {
            "id": "H2",
            "outcome": "outcompeted",
            "message": (
                "Not placed: outcompeted; its best feasible unit: U1 (4.334149, taken by H1). "
                "Not feasible: 1 unit not open to target group status_holder, 2 units not "
                "accessible."
            ),
        },
        {
            "id": "H4",
            "outcome": "no_feasible_unit",
            "message": (
                "Not placed: no feasible unit (1 unit not open to target group status_holder, "
                "3 units too small (max occupants < 8))."
            ),
        },
    ]
    first = document["households"][0]  # type: ignore[index]
    assert first["parts"] == {
        "base": 1.0,
        "waiting": 1.09589,
        "urgency": 0.0,
        "space": 1.0,
        "rooms": 1.0,
        "distance": 0.5,
        "preference": 0.25,
    }
    json.dumps(document)  # plain values only


def test_reasons_carry_their_parameters() -> None:
    """An application translates the explanation from codes and parameters, not the English
    sentence: the target group and the persons the units must fit travel with the reason."""
    line = place(HOUSEHOLDS, UNITS).explanation_of("H4")
    assert [(g.reason, g.count, g.persons, g.group) for g in line.infeasible] == [
        (Reason.TARGET_GROUP, 1, 0, "status_holder"),
        (Reason.TOO_SMALL, 3, 8, ""),
    ]
    assert line.with_room == ()
    outcompeted = place(HOUSEHOLDS, UNITS).explanation_of("H2")
    assert outcompeted.with_room == ()  # U1, its only alternative, is full


def test_outcompeted_with_room_names_the_units() -> None:
    """A side constraint keeps a household out of a unit that has room: ``with_room`` names
    the unit, and the English sentence says the same."""
    from onderdak.engines.placement import ShareBasis, ShareConstraint

    households = (
        Household("A", "status_holder", adults=1, waiting_days=10),
        Household("B", "displaced_ukrainian", adults=1, waiting_days=900),
    )
    units = (Unit("U1", "C", 2, 2, 30.0), Unit("U2", "C", 2, 2, 30.0))
    result = place(
        households,
        units,
        constraints=(
            ShareConstraint(("status_holder",), 1.0, complex=None, basis=ShareBasis.PLACEMENTS),
        ),
    )
    line = result.explanation_of("B")
    assert line.outcome is Outcome.OUTCOMPETED
    assert set(line.with_room) <= {"U1", "U2"} and line.with_room
    assert "still ha" in line.message and line.with_room[0] in line.message
