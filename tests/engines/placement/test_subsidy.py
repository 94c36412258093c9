"""The SFT flex-home subsidy's 30% on the municipality's total (BWBR0048657 art. 2; DOMAIN.md
section 4b: the share may be met elsewhere in the municipality, so a complex below 30% is not
by itself a breach)."""

from __future__ import annotations

import pytest

from onderdak.engines.placement import PlacementInputError, SubsidisedComplex, subsidy_share


def test_a_complex_below_the_share_is_allowed_when_the_total_holds() -> None:
    # Diemerdreef 42 units, 20 for the groups; Maalderij 18 units, 0: 20 of 60 = 33% >= 30%
    # (required 0.3 x 42 + 0.3 x 18 = 18).
    share = subsidy_share(
        [
            SubsidisedComplex("Diemerdreef", units=42, housed=20, min_share=0.3),
            SubsidisedComplex("Maalderij", units=18, housed=0, min_share=0.3),
        ]
    )
    assert share.met
    assert (share.units, share.housed) == (60, 20)
    assert share.required == pytest.approx(18)
    assert share.complexes_below == ("Maalderij",)


def test_a_total_below_the_share_is_not_met() -> None:
    # 17 of 60 < 18 required
    share = subsidy_share(
        [
            SubsidisedComplex("Diemerdreef", units=42, housed=17, min_share=0.3),
            SubsidisedComplex("Maalderij", units=18, housed=0, min_share=0.3),
        ]
    )
    assert not share.met
    assert share.share == pytest.approx(17 / 60)
    assert share.required_share == pytest.approx(0.3)


def test_exactly_thirty_percent_is_met_despite_floating_point() -> None:
    # 0.3 x 10 is 3.0000000000000004 in binary floating point
    assert subsidy_share([SubsidisedComplex("A", units=10, housed=3, min_share=0.3)]).met
    assert not subsidy_share([SubsidisedComplex("A", units=10, housed=2, min_share=0.3)]).met


def test_no_complexes_is_met_with_no_units() -> None:
    share = subsidy_share([])
    assert share.met and share.units == 0 and share.share == 0.0


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (SubsidisedComplex("A", units=-1, housed=0, min_share=0.3), "units"),
        (SubsidisedComplex("A", units=2, housed=3, min_share=0.3), "housed"),
        (SubsidisedComplex("A", units=2, housed=1, min_share=1.5), "min_share"),
    ],
)
def test_invalid_input_names_the_complex_and_field(row: SubsidisedComplex, field: str) -> None:
    with pytest.raises(PlacementInputError, match=f"complex 'A', field '{field}'"):
        subsidy_share([row])
