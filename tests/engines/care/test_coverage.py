"""Coverage roll-up: a worked example, edge cases, properties, validation."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onderdak.engines.care import SEVERITY, CareInputError, Cell, CoverageStatus, rollup

C = CoverageStatus
SH, DU = "status_holder", "displaced_ukrainian"

# The worked example of docs/engines/care.md.
CELLS = (
    Cell("primary_school", SH, C.STRUCTURAL, Decimal("12000.00")),
    Cell("primary_school", DU, C.STRUCTURAL, Decimal("8000.00")),
    Cell("child_care", SH, C.TEMPORARY, Decimal("5000.00")),
    Cell("child_care", DU, C.MISSING),
    Cell("integration", SH, C.STRUCTURAL, Decimal("30000.00")),
    Cell("integration", DU, C.NOT_APPLICABLE, Decimal("999.00")),
    Cell("living_allowance", SH, C.NOT_APPLICABLE),
    Cell("living_allowance", DU, C.TEMPORARY, Decimal("15000.50")),
    Cell("interpreters", SH, C.TEMPORARY, Decimal("2500.25")),
    Cell("interpreters", DU, C.MISSING),
    Cell("guardianship", SH, C.NOT_APPLICABLE),
    Cell("guardianship", DU, C.NOT_APPLICABLE),
)


def test_worked_example() -> None:
    coverage = rollup(CELLS)
    assert list(coverage.by_service.items()) == [
        ("primary_school", C.STRUCTURAL),
        ("child_care", C.MISSING),
        ("integration", C.STRUCTURAL),
        ("living_allowance", C.TEMPORARY),
        ("interpreters", C.MISSING),
        ("guardianship", C.NOT_APPLICABLE),  # every cell n/a
    ]
    assert list(coverage.by_target_group.items()) == [(SH, C.TEMPORARY), (DU, C.MISSING)]
    assert dict(coverage.counts) == {
        C.STRUCTURAL: 3,
        C.TEMPORARY: 3,
        C.MISSING: 2,
        C.NOT_APPLICABLE: 4,
    }
    assert coverage.applicable == 8
    assert coverage.structural_share == Fraction(3, 8)
    assert coverage.gaps == (CELLS[3], CELLS[9], CELLS[2], CELLS[7], CELLS[8])
    assert coverage.amount_per_year == Decimal("72500.75")  # n/a cells do not count
    assert dict(coverage.amount_by_status) == {
        C.STRUCTURAL: Decimal("50000.00"),
        C.TEMPORARY: Decimal("22500.75"),
        C.MISSING: Decimal(0),
        C.NOT_APPLICABLE: Decimal("999.00"),
    }


def test_empty_and_all_not_applicable() -> None:
    empty = rollup([])
    assert (empty.applicable, empty.structural_share, empty.gaps) == (0, None, ())
    assert dict(empty.counts) == dict.fromkeys(C, 0)
    assert empty.amount_per_year == Decimal(0)
    nothing = rollup([Cell("guardianship", SH, C.NOT_APPLICABLE, Decimal(10))])
    assert dict(nothing.by_service) == {"guardianship": C.NOT_APPLICABLE}
    assert nothing.structural_share is None
    assert nothing.amount_per_year == Decimal(0)


def test_severity_and_statuses_given_as_text() -> None:
    assert sorted(C, key=SEVERITY.__getitem__) == [
        C.NOT_APPLICABLE,
        C.STRUCTURAL,
        C.TEMPORARY,
        C.MISSING,
    ]
    coverage = rollup([Cell("school", SH, "temporary", 100)])  # type: ignore[arg-type]
    assert coverage.by_service["school"] is C.TEMPORARY
    assert coverage.amount_per_year == Decimal(100)


def test_result_is_read_only() -> None:
    coverage = rollup(CELLS)
    with pytest.raises(TypeError):
        coverage.counts[C.MISSING] = 0  # type: ignore[index]
    assert hash(coverage) == hash(rollup(CELLS))


@st.composite
def matrices(draw: st.DrawFn) -> list[Cell]:
    services = draw(st.integers(1, 8))
    groups = draw(st.integers(1, 5))
    keys = draw(
        st.lists(st.tuples(st.integers(0, services - 1), st.integers(0, groups - 1)), unique=True)
    )
    amounts = st.none() | st.decimals(0, 10**6, places=2)
    return [Cell(f"S{s}", f"G{g}", draw(st.sampled_from(tuple(C))), draw(amounts)) for s, g in keys]


@given(cells=matrices())
def test_properties(cells: list[Cell]) -> None:
    coverage = rollup(cells)
    assert sum(coverage.counts.values()) == len(cells)
    assert coverage.applicable == len(cells) - coverage.counts[C.NOT_APPLICABLE]
    assert len(coverage.gaps) == coverage.counts[C.MISSING] + coverage.counts[C.TEMPORARY]
    ranks = [SEVERITY[cell.status] for cell in coverage.gaps]
    assert ranks == sorted(ranks, reverse=True)
    for service, status in coverage.by_service.items():
        mine = [cell.status for cell in cells if cell.service_code == service]
        assert status is max(mine, key=SEVERITY.__getitem__)
    total = sum(
        (cell.amount_per_year or Decimal(0) for cell in cells if cell.status != C.NOT_APPLICABLE),
        Decimal(0),
    )
    assert coverage.amount_per_year == total
    assert sum(coverage.amount_by_status.values(), Decimal(0)) == sum(
        (cell.amount_per_year or Decimal(0) for cell in cells), Decimal(0)
    )


@pytest.mark.parametrize(
    ("cells", "id", "field", "message"),
    [
        (
            [Cell("school", SH, C.MISSING), Cell("school", SH, C.STRUCTURAL)],
            "school/status_holder",
            "target_group",
            "duplicate service and target group (cells number 1 and 2)",
        ),
        (
            [Cell("school", SH, C.TEMPORARY, Decimal("-0.01"))],
            "school/status_holder",
            "amount_per_year",
            ">= 0",
        ),
        (
            [Cell("school", SH, C.TEMPORARY, Decimal("NaN"))],
            "school/status_holder",
            "amount_per_year",
            "finite",
        ),
        (
            [Cell("school", SH, C.TEMPORARY, 12.5)],  # type: ignore[arg-type]
            "school/status_holder",
            "amount_per_year",
            "Decimal",
        ),
        (
            [Cell("school", SH, "unknown")],  # type: ignore[arg-type]
            "school/status_holder",
            "status",
            "unknown status 'unknown'",
        ),
        ([Cell("", SH, C.MISSING)], None, "service_code", "non-empty"),
        ([Cell("school", "", C.MISSING)], "school", "target_group", "non-empty"),
    ],
)
def test_errors(cells: list[Cell], id: str | None, field: str, message: str) -> None:
    with pytest.raises(CareInputError) as caught:
        rollup(cells)
    assert (caught.value.kind, caught.value.id, caught.value.field) == ("cell", id, field)
    assert message in caught.value.message
