"""What moving flex homes to another site costs.

Flex homes are relocatable: moving one costs a share of new build, and preparing the new site a
share of that moving cost again (the programme's primer, DOMAIN.md section 5: relocating costs
about 30% of new build, preparing the new site about half of that again, so about 15% of new
build). Both shares are parameters: the application passes its settings
(``ONDERDAK_HOUSING_RELOCATION_SHARE``, ``ONDERDAK_HOUSING_SITE_PREPARATION_SHARE``).
Euros are :class:`~decimal.Decimal`, rounded to whole euros (half up).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from onderdak.engines.placement.model import PlacementInputError

#: The primer's shares: moving costs 30% of new build; preparing the site half of that.
RELOCATION_SHARE = Decimal("0.30")
SITE_PREPARATION_SHARE = Decimal("0.5")

_EURO = Decimal("1")


@dataclass(frozen=True, slots=True)
class RelocationCost:
    """The cost of moving ``units`` flex homes, next to building them new (whole euros)."""

    units: int
    cost_per_unit: Decimal
    move: Decimal
    site: Decimal
    total: Decimal
    new_build: Decimal


def relocation_cost(
    units: int,
    *,
    cost_per_unit: Decimal,
    relocation_share: Decimal = RELOCATION_SHARE,
    site_preparation_share: Decimal = SITE_PREPARATION_SHARE,
) -> RelocationCost:
    """Moving ``units`` units: ``move`` = units x cost per unit x relocation share; ``site`` =
    move x site-preparation share; ``total`` = move + site; ``new_build`` = units x cost per
    unit. Raises :class:`PlacementInputError` for a negative count, cost or share."""
    if isinstance(units, bool) or not isinstance(units, int) or units < 0:
        raise PlacementInputError(
            f"units must be a whole number >= 0, got {units!r}",
            kind="relocation",
            id=None,
            field="units",
        )
    for name, value in (
        ("cost_per_unit", cost_per_unit),
        ("relocation_share", relocation_share),
        ("site_preparation_share", site_preparation_share),
    ):
        if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
            raise PlacementInputError(
                f"{name} must be a finite Decimal >= 0, got {value!r}",
                kind="relocation",
                id=None,
                field=name,
            )
    move = (cost_per_unit * relocation_share * units).quantize(_EURO, ROUND_HALF_UP)
    site = (move * site_preparation_share).quantize(_EURO, ROUND_HALF_UP)
    return RelocationCost(
        units=units,
        cost_per_unit=cost_per_unit,
        move=move,
        site=site,
        total=move + site,
        new_build=(cost_per_unit * units).quantize(_EURO, ROUND_HALF_UP),
    )
