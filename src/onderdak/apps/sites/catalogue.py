"""The standard criteria every organisation starts with (PBL 2020 framework, Kadaster
Locatiescan, UNHCR site planning; COA property norms in DOMAIN.md section 5). Organisations edit,
deactivate and weigh them; ``key`` names what Onderdak computes for a site."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CriterionSpec:
    key: str
    label: object
    kind: str  # "hard" | "weighted"
    direction: str = "benefit"
    threshold: float | None = None


HARD = (
    CriterionSpec("flood_risk", _("Flood risk zone"), "hard"),
    CriterionSpec("noise_contour", _("Noise contour"), "hard"),
    CriterionSpec("natura2000", _("Natura 2000"), "hard"),
    CriterionSpec("zoning_conflict", _("Zoning conflict"), "hard"),
    CriterionSpec("soil_contamination", _("Soil contamination"), "hard"),
    CriterionSpec("min_size", _("Minimum plot area (m²)"), "hard", threshold=1000),
    CriterionSpec("min_years", _("Minimum years available"), "hard", threshold=5),
)

WEIGHTED = (
    CriterionSpec("dist_primary_school", _("Distance to a primary school (m)"), "weighted", "cost"),
    CriterionSpec("dist_gp", _("Distance to a GP (m)"), "weighted", "cost"),
    CriterionSpec("dist_supermarket", _("Distance to a supermarket (m)"), "weighted", "cost"),
    CriterionSpec(
        "dist_public_transport", _("Distance to public transport (m)"), "weighted", "cost"
    ),
    CriterionSpec("size", _("Plot area (m²)"), "weighted", "benefit"),
    CriterionSpec("years_available", _("Years available"), "weighted", "benefit"),
    CriterionSpec("cost_per_place", _("One-off cost per place (euro)"), "weighted", "cost"),
    CriterionSpec("municipal_ownership", _("Municipal land (1) or not (0)"), "weighted", "benefit"),
    CriterionSpec("concentration", _("Reception places already within 1 km"), "weighted", "cost"),
    CriterionSpec("local_support", _("Local support (1-5)"), "weighted", "benefit"),
)

ALL = HARD + WEIGHTED
KEYS = {spec.key for spec in ALL}

#: Hard criteria that are site flags (the others compare a value with the threshold).
FLAGS = ("flood_risk", "noise_contour", "natura2000", "zoning_conflict", "soil_contamination")

#: Amenity kind for each distance criterion.
DISTANCES = {
    "dist_primary_school": "primary_school",
    "dist_gp": "gp",
    "dist_supermarket": "supermarket",
    "dist_public_transport": "public_transport",
}
