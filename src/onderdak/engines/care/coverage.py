"""Roll-up of the coverage matrix: which service is arranged for which target group, and how.

The care and support module keeps a matrix of services x target groups. Each cell says
whether the service is arranged structurally (contracted, in the budget), temporarily
(a pilot, incidental money), not at all (missing) or does not apply to the group. The roll-up
gives the worst status per service and per target group (missing > temporary > structural >
not applicable, :data:`SEVERITY`), the counts and the structural share, the gaps to work on
and the yearly amounts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from onderdak.engines.care.model import CareInputError
from onderdak.engines.care.validate import code

_ZERO = Decimal(0)


class CoverageStatus(StrEnum):
    """How a service is arranged for a target group."""

    STRUCTURAL = "structural"
    TEMPORARY = "temporary"
    MISSING = "missing"
    NOT_APPLICABLE = "not_applicable"


#: Severity of a status: the roll-up reports the most severe status of the applicable cells.
SEVERITY: Mapping[CoverageStatus, int] = MappingProxyType(
    {
        CoverageStatus.MISSING: 3,
        CoverageStatus.TEMPORARY: 2,
        CoverageStatus.STRUCTURAL: 1,
        CoverageStatus.NOT_APPLICABLE: 0,
    }
)


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of the matrix: a service for a target group, its status and what it costs
    per year (euros, ``None``: unknown or nothing)."""

    service_code: str
    target_group: str
    status: CoverageStatus
    amount_per_year: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Coverage:
    """The roll-up of a coverage matrix (:func:`rollup`). Mappings are read-only.

    ``by_service`` / ``by_target_group``: the most severe status per service / target group
    (``NOT_APPLICABLE`` when all its cells are), in the order first seen; ``counts`` and
    ``amount_by_status``: per status, all four present; ``applicable``: cells that are not
    ``NOT_APPLICABLE``; ``structural_share``: structural / applicable (``None`` when nothing
    applies); ``gaps``: the missing cells, then the temporary ones, each in input order;
    ``amount_per_year``: the sum over the applicable cells (an unknown amount counts 0).
    """

    by_service: Mapping[str, CoverageStatus] = field(hash=False)
    by_target_group: Mapping[str, CoverageStatus] = field(hash=False)
    counts: Mapping[CoverageStatus, int] = field(hash=False)
    applicable: int
    structural_share: Fraction | None
    gaps: tuple[Cell, ...]
    amount_per_year: Decimal
    amount_by_status: Mapping[CoverageStatus, Decimal] = field(hash=False)


def _check(position: int, cell: Cell) -> tuple[CoverageStatus, Decimal]:
    service = code(cell.service_code, "cell", "service_code")
    group = code(cell.target_group, "cell", "target_group", id=service)
    status = cell.status
    if type(status) is not CoverageStatus:
        try:
            status = CoverageStatus(status)
        except ValueError:
            expected = ", ".join(s.value for s in CoverageStatus)
            raise CareInputError(
                f"unknown status {cell.status!r} (cell number {position + 1}); expected one "
                f"of {expected}",
                kind="cell",
                id=f"{service}/{group}",
                field="status",
            ) from None
    amount: object = cell.amount_per_year
    if amount is None:
        return status, _ZERO
    if type(amount) is not Decimal:
        if isinstance(amount, bool) or not isinstance(amount, (Decimal, int)):
            raise CareInputError(
                f"must be a Decimal amount in euros, not {amount!r}",
                kind="cell",
                id=f"{service}/{group}",
                field="amount_per_year",
            )
        amount = Decimal(amount)
    if not amount.is_finite() or amount < 0:
        raise CareInputError(
            f"must be a finite amount >= 0, not {amount}",
            kind="cell",
            id=f"{service}/{group}",
            field="amount_per_year",
        )
    return status, amount


def rollup(cells: Sequence[Cell]) -> Coverage:
    """Roll up a coverage matrix; see :class:`Coverage`.

    Cells need not form a full matrix (a missing combination is simply not counted). Raises
    :class:`CareInputError` for a duplicate (service, target group), an unknown status or a
    negative, non-finite or non-decimal amount.
    """
    seen: dict[tuple[str, str], int] = {}
    by_service: dict[str, CoverageStatus] = {}
    by_group: dict[str, CoverageStatus] = {}
    counts = dict.fromkeys(CoverageStatus, 0)
    amounts = dict.fromkeys(CoverageStatus, Decimal(0))
    missing: list[Cell] = []
    temporary: list[Cell] = []
    for position, cell in enumerate(cells):
        status, amount = _check(position, cell)
        key = (cell.service_code, cell.target_group)
        earlier = seen.setdefault(key, position)
        if earlier != position:
            raise CareInputError(
                f"duplicate service and target group (cells number {earlier + 1} and "
                f"{position + 1})",
                kind="cell",
                id=f"{key[0]}/{key[1]}",
                field="target_group",
            )
        for worst, name in ((by_service, key[0]), (by_group, key[1])):
            current = worst.get(name)
            if current is None or SEVERITY[status] > SEVERITY[current]:
                worst[name] = status
        counts[status] += 1
        amounts[status] += amount
        if status is CoverageStatus.MISSING:
            missing.append(cell)
        elif status is CoverageStatus.TEMPORARY:
            temporary.append(cell)
    applicable = len(seen) - counts[CoverageStatus.NOT_APPLICABLE]
    structural = counts[CoverageStatus.STRUCTURAL]
    return Coverage(
        by_service=MappingProxyType(by_service),
        by_target_group=MappingProxyType(by_group),
        counts=MappingProxyType(counts),
        applicable=applicable,
        structural_share=Fraction(structural, applicable) if applicable else None,
        gaps=(*missing, *temporary),
        amount_per_year=sum(
            (amounts[s] for s in CoverageStatus if s is not CoverageStatus.NOT_APPLICABLE),
            Decimal(0),
        ),
        amount_by_status=MappingProxyType(amounts),
    )
