"""The reception pipeline as the care rules count it, and the start of the integration term
(``engines.care.pipeline``): hand-worked cases of each rule."""

from __future__ import annotations

from datetime import date

import pytest

from onderdak.engines.care import (
    CareInputError,
    IntegrationNorms,
    PipelineHousehold,
    Stage,
    first_of_next_month,
    integration_term_start,
    pipeline_profiles,
)

TODAY = date(2026, 3, 15)
NEXT = date(2026, 4, 1)
NORMS = IntegrationNorms(
    broad_intake_weeks=10, pip_weeks=10, term_months=36, relief_months=6, due_soon_days=14
)


def household(stage: Stage, **extra: object) -> PipelineHousehold:
    fields: dict[str, object] = {"code": "HH-1", "target_group": "status_holder", "adults": 2}
    fields.update(extra)
    return PipelineHousehold(stage=stage, **fields)  # type: ignore[arg-type]


def test_first_of_next_month_rolls_over_the_year() -> None:
    assert first_of_next_month(date(2026, 1, 31)) == date(2026, 2, 1)
    assert first_of_next_month(date(2026, 12, 1)) == date(2027, 1, 1)


def test_a_placed_household_is_present_now_and_open_ended() -> None:
    [profile] = pipeline_profiles([household(Stage.PLACED, minors_4_11=1)], today=TODAY)
    assert (profile.present_from, profile.present_until, profile.linked_from) == (None, None, None)
    assert profile.persons == 3


def test_a_waiting_household_counts_from_next_month_but_integrates_from_its_link() -> None:
    waiting = household(Stage.WAITING, waiting_since=date(2026, 2, 1))
    [profile] = pipeline_profiles([waiting], today=TODAY)
    assert profile.present_from == NEXT
    assert profile.linked_from == date(2026, 2, 1)
    assert not profile.present_on(TODAY)
    assert profile.linked_on(TODAY)


def test_a_household_that_left_counts_until_it_left_and_without_a_date_not_at_all() -> None:
    left = household(Stage.LEFT, left_on=date(2026, 5, 1), reunification_persons=3)
    [profile] = pipeline_profiles([left], today=TODAY)
    assert (profile.present_from, profile.present_until) == (None, date(2026, 5, 1))
    assert profile.adults == 2  # no reunification for a household that left
    assert pipeline_profiles([household(Stage.LEFT)], today=TODAY) == []


def test_reunification_splits_the_household_at_the_expected_date() -> None:
    placed = household(Stage.PLACED, reunification_persons=2, reunification_date=date(2026, 6, 1))
    before, after = pipeline_profiles([placed], today=TODAY)
    assert (before.code, before.adults, before.present_until) == ("HH-1", 2, date(2026, 6, 1))
    assert (after.code, after.adults, after.present_from) == ("HH-1+nareis", 4, date(2026, 6, 1))


def test_reunified_persons_of_a_waiting_household_arrive_with_it() -> None:
    waiting = household(Stage.WAITING, reunification_persons=1, reunification_date=date(2026, 1, 1))
    [profile] = pipeline_profiles([waiting], today=TODAY)
    assert (profile.adults, profile.present_from) == (3, NEXT)


def test_an_unknown_stage_names_the_household() -> None:
    with pytest.raises(CareInputError, match="HH-1"):
        pipeline_profiles([household("moved")], today=TODAY)  # type: ignore[arg-type]


def test_the_term_starts_on_the_given_date_else_the_day_after_the_pip() -> None:
    linked = date(2026, 1, 5)
    assert integration_term_start(
        linked_on=linked, norms=NORMS, given=date(2026, 2, 2), pip_on=date(2026, 3, 3)
    ) == date(2026, 2, 2)
    assert integration_term_start(
        linked_on=linked, norms=NORMS, broad_intake_on=date(2026, 2, 1), pip_on=date(2026, 3, 3)
    ) == date(2026, 3, 4)


def test_without_a_pip_the_term_starts_provisionally_after_the_pip_due_date() -> None:
    linked = date(2026, 1, 5)
    # intake held on 1 February: PIP due 10 weeks later (12 April), term from 13 April
    assert integration_term_start(
        linked_on=linked, norms=NORMS, broad_intake_on=date(2026, 2, 1)
    ) == date(2026, 4, 13)
    # no intake yet: intake due 16 March, PIP due 25 May, term from 26 May
    assert integration_term_start(linked_on=linked, norms=NORMS) == date(2026, 5, 26)
