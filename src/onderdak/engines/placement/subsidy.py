"""The SFT flex-home subsidy's share for the target groups, on the municipality's total.

The Regeling specifieke uitkering flexwoningen (SFT, BWBR0048657, art. 2) pays 7,800 euro per
flex home (at least ten years available, at most 5 million per municipality) on the condition
that 30% of the homes go to displaced persons from Ukraine or status holders. That share may
also be met elsewhere in the municipality's housing stock (DOMAIN.md section 4b), so a complex
below 30% is not by itself a breach: the condition is checked on the municipality's total over
its subsidised complexes. Homes outside those complexes are not counted here (Onderdak does not
know the rest of the stock), so a total below the share is a warning to check, not a finding.

Each complex brings its units, the units housing its subsidy's target groups and its minimum
share; the municipality's requirement is the sum of each complex's share of its units (with
the same 30% everywhere: 30% of the total).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from onderdak.engines.placement.model import PlacementInputError


@dataclass(frozen=True, slots=True)
class SubsidisedComplex:
    """One complex under the subsidy condition: ``housed`` of its ``units`` house the target
    groups, at least ``min_share`` (0-1) of them should."""

    id: str
    units: int
    housed: int
    min_share: float


@dataclass(frozen=True, slots=True)
class SubsidyShare:
    """The municipality's total over its subsidised complexes.

    ``required`` is the sum of ``min_share x units`` (not rounded); ``met`` whether
    ``housed >= required``; ``complexes_below`` the ids of complexes below their own share,
    which is allowed as long as the total holds.
    """

    complexes: int
    units: int
    housed: int
    required: float
    met: bool
    complexes_below: tuple[str, ...]

    @property
    def share(self) -> float:
        """The share of the units housing the target groups (0 when there are no units)."""
        return self.housed / self.units if self.units else 0.0

    @property
    def required_share(self) -> float:
        """The required share of the total (the minimum share when all complexes share it)."""
        return self.required / self.units if self.units else 0.0


def subsidy_share(complexes: Iterable[SubsidisedComplex]) -> SubsidyShare:
    """The municipality's share of subsidised units housing the target groups against the
    requirement, summed over its complexes (SFT, BWBR0048657 art. 2: the 30% may be met
    elsewhere in the municipality, so one complex below it is not a breach).

    Raises :class:`PlacementInputError` when a count is negative, ``housed`` exceeds
    ``units`` or a share is outside 0-1.
    """
    rows = list(complexes)
    for row in rows:
        for name in ("units", "housed"):
            value = getattr(row, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise PlacementInputError(
                    f"must be a whole number >= 0, not {value!r}",
                    kind="complex",
                    id=row.id,
                    field=name,
                )
        if row.housed > row.units:
            raise PlacementInputError(
                f"must not exceed units ({row.units}), not {row.housed}",
                kind="complex",
                id=row.id,
                field="housed",
            )
        if not 0.0 <= row.min_share <= 1.0:
            raise PlacementInputError(
                f"must be between 0 and 1, not {row.min_share!r}",
                kind="complex",
                id=row.id,
                field="min_share",
            )
    units = sum(row.units for row in rows)
    housed = sum(row.housed for row in rows)
    required = sum(row.min_share * row.units for row in rows)
    # a small tolerance: 0.3 x 10 is 3.0000000000000004 in binary floating point
    return SubsidyShare(
        complexes=len(rows),
        units=units,
        housed=housed,
        required=required,
        met=housed >= required - 1e-9,
        complexes_below=tuple(
            row.id for row in rows if row.housed < row.min_share * row.units - 1e-9
        ),
    )
