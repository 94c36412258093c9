"""The programme's areas, in the order of the main navigation."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onderdak.common.urls import reverse


@dataclass(frozen=True)
class Area:
    slug: str
    label: str | Promise
    url_name: str
    description: str | Promise
    built: bool = False

    @property
    def url(self) -> str:
        if self.url_name == "core:area":
            return reverse(self.url_name, args=[self.slug])
        return reverse(self.url_name)


AREAS: tuple[Area, ...] = (
    Area(
        "dashboard",
        _("Dashboard"),
        "core:dashboard",
        _("Your municipality at a glance."),
        built=True,
    ),
    Area(
        "quotas",
        _("Quotas"),
        "quotas:overview",
        _(
            "Legal quotas per target group (status holders, asylum reception, displaced persons), "
            "what has been realised, the backlog or surplus and the pace."
        ),
        built=True,
    ),
    Area(
        "region",
        _("Region"),
        "region:index",
        _(
            "Regional cooperation: exchanging and taking over quotas with partner municipalities, "
            "and the agreements that record it."
        ),
        built=True,
    ),
    Area(
        "sites",
        _("Sites"),
        "sites:list",
        _(
            "From longlist to shortlist: sites and buildings for temporary housing, compared on "
            "hard exclusions and weighted criteria, on a map."
        ),
        built=True,
    ),
    Area(
        "housing",
        _("Flex homes and placement"),
        "housing:complex_list",
        _(
            "Complexes, units and their management, and a fair, explainable placement of "
            "households in free units."
        ),
        built=True,
    ),
    Area(
        "care",
        _("Care and support"),
        "care:overview",
        _(
            "Every service that displaced persons, asylum seekers and status holders need, who "
            "owns it structurally, what it costs and where the gaps are."
        ),
        built=True,
    ),
    Area(
        "finance",
        _("Finance"),
        "finance:index",
        _(
            "Money flows in the planning and control cycle: standard rates, budgets per task "
            "field and the quarterly report."
        ),
        built=True,
    ),
    Area(
        "planning",
        _("Planning"),
        "programme:overview",
        _("The plan per track merged into one programme plan, with the decisions taken."),
        built=True,
    ),
    Area(
        "communication",
        _("Communication"),
        "communication:overview",
        _(
            "Stakeholders, a communication and participation plan per track, and the moments "
            "tied to the sites, complexes and milestones they are about."
        ),
        built=True,
    ),
)

AREAS_BY_SLUG = {area.slug: area for area in AREAS}
