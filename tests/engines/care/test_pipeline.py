"""The reception pipeline as the care rules count it, and the start of the integration term
(``engines.care.pipeline``): hand-worked cases of each rule."""

from __future__ import annotations

from datetime import date

import pytest

from onderdak.engines.care import (
    CareInputError,
    PipelineHousehold,
    Stage,
    first_of_next_month,
    integration_term_start,
    pipeline_profiles,
)

TODAY = date(2026, 3, 15)
NEXT = date(2026, 4, 1)


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


def test_the_term_starts_the_day_after_the_first_pip_as_in_the_law() -> None:
    # DOMAIN.md 4b, art. 11 Wet inburgering 2021: PIP dated 15 May 2024 -> 16 May 2024
    assert integration_term_start(pip_on=date(2024, 5, 15)) == date(2024, 5, 16)
    # art. 11(3): a revised or newly set PIP does not move the start (regression: re-entering
    # the PIP date used to move it), also a revision dated before the first PIP
    assert integration_term_start(
        pip_on=date(2024, 5, 15), revisions=[date(2024, 9, 1), date(2024, 3, 1)]
    ) == date(2024, 5, 16)
    assert integration_term_start(pip_on=date(2024, 2, 28)) == date(2024, 2, 29)
    assert integration_term_start(pip_on=date(2023, 12, 31)) == date(2024, 1, 1)


def test_a_recorded_start_wins_and_without_a_pip_the_due_date_is_provisional() -> None:
    assert integration_term_start(
        pip_on=date(2026, 3, 3), given=date(2026, 2, 2), pip_due=date(2026, 4, 1)
    ) == date(2026, 2, 2)
    # regression: the default used to start the term at the link; now the day after the due
    # date of the PIP while there is none
    assert integration_term_start(pip_on=None, pip_due=date(2026, 3, 16)) == date(2026, 3, 17)
    assert integration_term_start(pip_on=date(2026, 3, 3), pip_due=date(2026, 3, 16)) == date(
        2026, 3, 4
    )
    assert integration_term_start(pip_on=None) is None


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"pip_on": date.max}, "pip_on"),
        ({"pip_on": None, "pip_due": date.max}, "pip_due"),
        ({"pip_on": "2024-05-15"}, "pip_on"),
        ({"pip_on": date(2024, 5, 15), "revisions": ["2024-09-01"]}, "pip_revised_on"),
        ({"pip_on": None, "given": "2024-05-16"}, "term_start"),
    ],
)
def test_the_term_start_refuses_what_is_not_a_date(
    arguments: dict[str, object], field: str
) -> None:
    with pytest.raises(CareInputError) as caught:
        integration_term_start(**arguments)  # type: ignore[arg-type]
    assert caught.value.field == field
