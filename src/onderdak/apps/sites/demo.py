"""Demo data for sites: a made-up longlist inside the municipality's real boundary (the demo
command in core calls :func:`demo_seed`). Everything is labelled as demo data."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from . import services
from .models import Amenity, Site

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation

DEMO_LABEL = "(demo, verzonnen)"
_DEMO_USES = (
    "sportpark",
    "braakliggend bedrijfsterrein",
    "parkeerterrein",
    "voormalig schoolgebouw",
    "kantoorpand",
    "groenstrook",
    "volkstuinen",
    "evenemententerrein",
    "bedrijfshal",
    "weiland",
)


@transaction.atomic
def demo_seed(
    *, actor: Any, organisation: Organisation, boundary: Mapping[str, Any], seed: int = 384
) -> int:
    """Made-up longlist (28 sites) and amenities inside the municipality's real boundary, and
    two weight sets. Everything is labelled as demo data. Idempotent: skipped when present."""
    import numpy as np
    from shapely.geometry import Point, shape

    if Site.objects.filter(organisation=organisation, name__endswith=DEMO_LABEL).exists():
        return 0
    area = shape(boundary)
    rng = np.random.default_rng(seed)
    min_x, min_y, max_x, max_y = area.bounds

    def points(count: int) -> list[tuple[float, float]]:
        found: list[tuple[float, float]] = []
        while len(found) < count:
            x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
            if area.contains(Point(x, y)):
                found.append((round(float(x), 6), round(float(y), 6)))
        return found

    neighbourhoods = ("Centrum", "Noord", "Zuid", "Oost", "West")
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for index, (x, y) in enumerate(points(28)):
        use = _DEMO_USES[index % len(_DEMO_USES)]
        places = int(rng.integers(4, 30)) * 10
        start = date(2026, int(rng.integers(1, 13)), 1)
        services.site_create(
            actor=actor,
            organisation=organisation,
            name=f"Locatie {letters[index % 26]}{index // 26 or ''} - {use} {DEMO_LABEL}",
            geometry={"type": "Point", "coordinates": [x, y]},
            owner=(
                "municipality",
                "municipality",
                "housing_corporation",
                "private",
                "other_government",
            )[index % 5],
            plot_area_m2=int(rng.integers(4, 60)) * 250,
            current_use=use,
            available_from=start,
            available_until=date(start.year + int(rng.integers(4, 16)), start.month, 1),
            capacity_places=places,
            capacity_units=places // 3,
            target_groups=["status_holder", "displaced_ukrainian"]
            if index % 2
            else ["asylum_seeker"],
            cost_one_off=Decimal(int(places * rng.integers(40, 140)) * 1000),
            cost_yearly=Decimal(int(places * rng.integers(2, 9)) * 1000),
            neighbourhood=neighbourhoods[index % len(neighbourhoods)],
            local_support=int(rng.integers(1, 6)),
            flood_risk=bool(index in (3, 17)),
            noise_contour=bool(index in (8,)),
            natura2000=bool(index in (21,)),
            zoning_conflict=bool(index in (12,)),
            soil_contamination=bool(index in (25,)),
            # every third site is shared with the region, so the regional coordinator sees it
            shared=index % 3 == 0,
        )
    kinds = (("primary_school", 6), ("gp", 4), ("supermarket", 5), ("public_transport", 10))
    amenities = [
        Amenity(
            organisation=organisation,
            kind=kind,
            name=f"{kind} {number + 1} {DEMO_LABEL}",
            longitude=x,
            latitude=y,
        )
        for kind, count in kinds
        for number, (x, y) in enumerate(points(count))
    ]
    Amenity.objects.bulk_create(amenities)
    services.criteria_ensure(organisation=organisation)
    services.weight_set_save(
        actor=actor,
        organisation=organisation,
        name="College",
        description=f"Nadruk op kosten, beschikbaarheid en voorzieningen {DEMO_LABEL}",
        weights={
            "dist_primary_school": 2,
            "dist_gp": 1,
            "dist_supermarket": 1,
            "dist_public_transport": 2,
            "size": 1,
            "years_available": 3,
            "cost_per_place": 3,
            "municipal_ownership": 2,
            "concentration": 2,
            "local_support": 1,
        },
        ranges={"cost_per_place": (2, 4), "years_available": (2, 4), "local_support": (0.5, 2)},
    )
    services.weight_set_save(
        actor=actor,
        organisation=organisation,
        name="Bewoners",
        description=f"Nadruk op spreiding en draagvlak {DEMO_LABEL}",
        weights={
            "dist_primary_school": 2,
            "dist_gp": 2,
            "dist_supermarket": 2,
            "dist_public_transport": 1,
            "size": 1,
            "years_available": 1,
            "cost_per_place": 1,
            "municipal_ownership": 1,
            "concentration": 4,
            "local_support": 4,
        },
    )
    return 28
