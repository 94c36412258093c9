"""The Spreidingswet cycle as dated data: proposals, decision, realisation, two-year period."""

from __future__ import annotations

from datetime import date

import pytest

from onderdak.data.law import cycle_rules
from onderdak.engines.quota import (
    CycleRules,
    QuotaInputError,
    next_deadline,
    spreidingswet_cycle,
)
from onderdak.engines.quota.cycle import add_months


def test_the_2024_round() -> None:
    # DOMAIN.md section 3: provinces by 1 November, the minister by 31 December, municipalities
    # six months; the 2024 round had its places due by mid-2025.
    cycle = spreidingswet_cycle(2024, cycle_rules())
    assert cycle.proposals_by == date(2024, 11, 1)
    assert cycle.decision_by == date(2024, 12, 31)
    assert cycle.realise_by == date(2025, 6, 30)
    assert cycle.next_round_year == 2026
    assert "Spreidingswet" in cycle.source


def test_the_2026_round() -> None:
    cycle = spreidingswet_cycle(2026, cycle_rules())
    assert [d.due for d in cycle.deadlines] == [
        date(2026, 11, 1),
        date(2026, 12, 31),
        date(2027, 6, 30),
    ]
    assert [d.code for d in cycle.deadlines] == ["proposals", "decision", "realisation"]


def test_no_round_before_the_law() -> None:
    with pytest.raises(QuotaInputError) as raised:
        spreidingswet_cycle(2022, cycle_rules())
    assert raised.value.code == "no_cycle_rules"


def test_next_deadline_moves_to_the_next_round() -> None:
    rules = cycle_rules()
    assert next_deadline(2024, date(2024, 2, 1), rules).due == date(2024, 11, 1)
    assert next_deadline(2024, date(2024, 11, 1), rules).code == "proposals"  # due that day
    assert next_deadline(2024, date(2024, 11, 2), rules).code == "decision"
    assert next_deadline(2024, date(2025, 3, 1), rules).due == date(2025, 6, 30)
    later = next_deadline(2024, date(2026, 12, 2), rules)
    assert (later.round_year, later.code, later.due) == (2026, "decision", date(2026, 12, 31))


def test_a_new_version_of_the_law_is_a_new_row() -> None:
    # Dated data: a (hypothetical) later version with other dates applies from its valid_from.
    rules = [
        *cycle_rules(),
        CycleRules(date(2028, 1, 1), (10, 1), (12, 1), 9, 3, "later law"),
    ]
    assert spreidingswet_cycle(2026, rules).decision_by == date(2026, 12, 31)
    later = spreidingswet_cycle(2028, rules)
    assert (later.proposals_by, later.decision_by) == (date(2028, 10, 1), date(2028, 12, 1))
    assert later.realise_by == date(2029, 9, 1)
    assert later.next_round_year == 2031


def test_rules_are_validated() -> None:
    with pytest.raises(QuotaInputError):
        CycleRules(date(2024, 2, 1), (2, 30), (12, 31), 6, 2, "x")
    with pytest.raises(QuotaInputError):
        CycleRules(date(2024, 2, 1), (11, 1), (12, 31), 6, 0, "x")
    with pytest.raises(QuotaInputError):
        spreidingswet_cycle(2024, [CycleRules(date(2024, 1, 1), (12, 1), (11, 1), 6, 2, "x")])


def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert add_months(date(2024, 12, 31), 6) == date(2025, 6, 30)
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2024, 1, 15), 0) == date(2024, 1, 15)
    assert add_months(date(2024, 11, 1), 14) == date(2026, 1, 1)
