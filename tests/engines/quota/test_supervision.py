"""The province's supervision ladder (art. 124 Gemeentewet) and the shipped ladders."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onderdak.data.law import read_supervision_ladders, supervision_ladders
from onderdak.data.reference import PROVINCES
from onderdak.engines.quota import (
    HalfYear,
    LadderStep,
    Ledger,
    PeriodQuota,
    QuotaInputError,
    SupervisionLadder,
    SupervisionStatus,
    TriggerKind,
    ladder_for,
    run_ledger,
    supervision_standing,
)

REPO = Path(__file__).resolve().parents[3]
UTRECHT, FLEVOLAND, ZUID_HOLLAND, NOORD_HOLLAND = "PV26", "PV24", "PV28", "PV27"


H1_2023 = HalfYear(2023, 1)


def _ledger(*realised_against_ten: int, start: HalfYear = H1_2023) -> Ledger:
    periods = []
    period = start
    for realised in realised_against_ten:
        periods.append(PeriodQuota(period, initial_quota=10, realised=realised))
        period = period.next()
    return run_ledger(periods)


def _ladder(*steps: LadderStep, province: str = UTRECHT) -> SupervisionLadder:
    return SupervisionLadder(
        province_code=province,
        province="Utrecht",
        title="test",
        source_id="CVDR1",
        url="https://lokaleregelgeving.overheid.nl/CVDR1",
        valid_from=date(2024, 1, 16),
        valid_to=None,
        steps=steps,
    )


SIGNAL = LadderStep(1, "signalling", "Signaleren", TriggerKind.BACKLOG_AT_HALF_YEAR_END)
TALK = LadderStep(2, "consultation", "Bestuurlijk overleg", TriggerKind.NOT_STATED)
WARN = LadderStep(3, "warning", "Aanschrijving", TriggerKind.NOT_STATED)
TAKE = LadderStep(4, "takeover", "Indeplaatsstelling", TriggerKind.AFTER_DEADLINE)


def test_one_half_year_behind_puts_the_municipality_on_the_first_rung_only() -> None:
    # Delfzijl (ECLI:NL:RVS:2018:2647): behind after 2016-H1 alone. On the figures the province
    # signals the backlog; the rungs after it are the province's decisions, so the engine names
    # consultation as the next rung, not as reached.
    standing = supervision_standing(
        _ledger(9, start=HalfYear(2016, 1)),
        _ladder(SIGNAL, TALK, WARN, TAKE),
        province_code=UTRECHT,
    )
    assert standing.status is SupervisionStatus.ON_LADDER
    assert standing.step == SIGNAL
    assert standing.next_step == TALK
    assert standing.half_years_behind == 1
    assert standing.backlog == 1
    assert standing.params["step"] == "signalling"
    assert standing.params["period"] == "2016-H1"
    assert standing.params["source"] == "CVDR1"


def test_no_fixed_four_half_years_rule() -> None:
    # Four half-years behind in a row reach no rung beyond what the framework's triggers state:
    # the removed rule (a warning after four half-years) must not come back.
    standing = supervision_standing(
        _ledger(9, 10, 10, 10), _ladder(SIGNAL, TALK, WARN, TAKE), province_code=UTRECHT
    )
    assert standing.half_years_behind == 4
    assert standing.step == SIGNAL
    assert standing.step is not None and standing.step.code != "warning"


def test_a_stated_number_of_half_years_is_applied() -> None:
    # A framework that states two half-years for its consultation rung.
    talk_after_two = replace(
        TALK, trigger=TriggerKind.BACKLOG_AT_HALF_YEAR_END, half_years=2, trigger_source="§4"
    )
    ladder = _ladder(SIGNAL, talk_after_two, WARN, TAKE)
    assert supervision_standing(_ledger(9), ladder, province_code=UTRECHT).step == SIGNAL
    two = supervision_standing(_ledger(9, 10), ladder, province_code=UTRECHT)
    assert two.step == talk_after_two
    assert two.next_step == WARN


def test_caught_up_is_not_on_the_ladder() -> None:
    standing = supervision_standing(_ledger(9, 11), _ladder(SIGNAL, TALK), province_code=UTRECHT)
    assert standing.status is SupervisionStatus.NOT_BEHIND
    assert standing.step is None
    assert standing.backlog == 0


def test_surplus_is_not_behind() -> None:
    standing = supervision_standing(_ledger(12), _ladder(SIGNAL), province_code=UTRECHT)
    assert standing.status is SupervisionStatus.NOT_BEHIND
    assert standing.backlog == -2


def test_unknown_framework_and_no_ledger() -> None:
    unknown = supervision_standing(_ledger(9), None, province_code=NOORD_HOLLAND)
    assert unknown.status is SupervisionStatus.UNKNOWN_FRAMEWORK
    assert unknown.code == "unknown_framework"
    assert unknown.half_years_behind == 1  # the figures are still reported
    empty = supervision_standing(run_ledger([]), _ladder(SIGNAL), province_code=UTRECHT)
    assert empty.status is SupervisionStatus.NO_LEDGER
    assert supervision_standing(None, _ladder(SIGNAL), province_code=UTRECHT).status is (
        SupervisionStatus.NO_LEDGER
    )


def test_behind_without_a_sourced_trigger_is_not_placed() -> None:
    standing = supervision_standing(_ledger(9), _ladder(TALK, WARN), province_code=UTRECHT)
    assert standing.status is SupervisionStatus.BEHIND_UNPLACED
    assert standing.step is None
    assert standing.next_step == TALK


def test_another_provinces_ladder_is_refused() -> None:
    with pytest.raises(QuotaInputError):
        supervision_standing(_ledger(9), _ladder(SIGNAL), province_code=NOORD_HOLLAND)


def test_ladder_needs_ordered_steps_and_a_valid_period() -> None:
    with pytest.raises(QuotaInputError):
        _ladder(TALK, SIGNAL)
    with pytest.raises(QuotaInputError):
        _ladder()
    with pytest.raises(QuotaInputError):
        replace(_ladder(SIGNAL), valid_to=date(2023, 1, 1))


# --- the shipped ladders ------------------------------------------------------------------


def test_shipped_ladders_are_the_three_named_frameworks() -> None:
    ladders = supervision_ladders()
    sources = {(ladder.province, ladder.source_id) for ladder in ladders}
    assert sources == {
        ("Utrecht", "CVDR713805"),
        ("Flevoland", "CVDR646591"),
        ("Flevoland", "CVDR719256"),
        ("Zuid-Holland", "CVDR641687"),
    }
    for ladder in ladders:
        assert ladder.province == PROVINCES[ladder.province_code]
        assert ladder.url == f"https://lokaleregelgeving.overheid.nl/{ladder.source_id}"
        assert [step.code for step in ladder.steps] == [
            "signalling",
            "consultation",
            "warning",
            "takeover",
        ]


def test_no_numeric_trigger_is_shipped_without_a_source() -> None:
    # None of the stored framework texts states a number of half-years or weeks.
    for ladder in supervision_ladders():
        for step in ladder.steps:
            assert step.half_years is None
            assert step.weeks is None
            if step.trigger is not TriggerKind.NOT_STATED:
                assert step.trigger_source


def test_flevoland_2024_replaces_2020() -> None:
    ladders = supervision_ladders()
    before = ladder_for(ladders, FLEVOLAND, date(2024, 5, 1))
    after = ladder_for(ladders, FLEVOLAND, date(2024, 5, 2))
    assert before is not None and before.source_id == "CVDR646591"
    assert after is not None and after.source_id == "CVDR719256"
    assert ladder_for(ladders, FLEVOLAND, date(2020, 11, 30)) is None


def test_utrecht_from_16_january_2024_and_the_nine_others_unknown() -> None:
    ladders = supervision_ladders()
    assert ladder_for(ladders, UTRECHT, date(2024, 1, 15)) is None
    utrecht = ladder_for(ladders, UTRECHT, date(2026, 12, 2))
    assert utrecht is not None and utrecht.source_id == "CVDR713805"
    known = {ladder.province_code for ladder in ladders}
    assert known == {UTRECHT, FLEVOLAND, ZUID_HOLLAND}
    assert len(set(PROVINCES) - known) == 9
    # Diemen is in Noord-Holland: no framework text is stored, so unknown.
    assert ladder_for(ladders, NOORD_HOLLAND, date(2026, 12, 2)) is None


def test_overlapping_versions_are_an_error() -> None:
    ladder = _ladder(SIGNAL)
    with pytest.raises(QuotaInputError):
        ladder_for([ladder, replace(ladder, source_id="CVDR2")], UTRECHT, date(2025, 1, 1))


def test_malformed_ladder_file_names_the_row(tmp_path: Path) -> None:
    shipped = (REPO / "src/onderdak/data/law/supervision_ladders.csv").read_text(encoding="utf-8")
    header, first, *_ = shipped.splitlines()
    bad = tmp_path / "ladders.csv"
    bad.write_text(f"{header}\n{first.replace('signalling', 'scolding')}\n", encoding="utf-8")
    with pytest.raises(QuotaInputError, match="row 2"):
        read_supervision_ladders(bad)
    bad.write_text(
        f"{header}\n{first.replace('backlog_at_half_year_end', 'vibes')}\n", encoding="utf-8"
    )
    with pytest.raises(QuotaInputError, match="trigger"):
        read_supervision_ladders(bad)
    # A value with an unquoted comma shifts the columns: refused, not misread.
    bad.write_text(
        f"{header}\n{first.replace('Signaleren', 'Signaleren, eerst')}\n", encoding="utf-8"
    )
    with pytest.raises(QuotaInputError, match="columns"):
        read_supervision_ladders(bad)


def test_the_wrong_claim_is_gone_from_code_and_docs() -> None:
    # Regression: "Zuid-Holland, four half-years, upheld in ECLI:NL:RVS:2018:2647" was wrong on
    # both counts (the ruling is Groningen v. Delfzijl, a takeover after one half-year).
    for folder in ("src/onderdak", "docs"):
        for path in (REPO / folder).rglob("*"):
            if path.suffix not in {".py", ".md", ".html", ".csv"}:
                continue
            text = path.read_text(encoding="utf-8")
            assert "four half-years" not in text, path
            assert "QUOTA_SUPERVISION_WARNING_HALF_YEARS" not in text, path
            if "ECLI:NL:RVS:2018:2647" in text:
                assert "Delfzijl" in text, path


# --- properties ---------------------------------------------------------------------------

STREAKS = st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=12)


@given(realised=STREAKS, needs=st.one_of(st.none(), st.integers(min_value=1, max_value=6)))
def test_the_figures_never_reach_a_decision_rung(realised: list[int], needs: int | None) -> None:
    # Whatever the ledger: the rung reached is one whose trigger the figures decide, its number
    # of half-years is met, and the standing reports the ledger's own streak and backlog.
    talk = replace(TALK, trigger=TriggerKind.BACKLOG_AT_HALF_YEAR_END, half_years=needs)
    ladder = _ladder(SIGNAL, talk, WARN, TAKE)
    ledger = _ledger(*realised)
    standing = supervision_standing(ledger, ladder, province_code=UTRECHT)
    assert standing.half_years_behind == ledger.half_years_behind
    assert standing.backlog == ledger.closing_carry
    if ledger.half_years_behind == 0:
        assert standing.status is SupervisionStatus.NOT_BEHIND
        assert standing.step is None
    else:
        assert standing.status is SupervisionStatus.ON_LADDER
        assert standing.step is not None and standing.step.figures_decide
        assert standing.step.code in {"signalling", "consultation"}
        expected = talk if ledger.half_years_behind >= (needs or 1) else SIGNAL
        assert standing.step == expected
