"""Demo seed of regional cooperation (``onderdak demo``): a Duo+ swap scenario, solved, and a
draft agreement from its result (binding it needs every party's approval)."""

from __future__ import annotations

from datetime import date
from typing import Any

from onderdak.apps.quotas.models import QuotaRound
from onderdak.common.vocabulary import TargetGroup

from . import services
from .models import Scenario

DEMO_LABEL = "(demo, verzonnen)"
#: The quota round the scenario takes asylum obligations from (see ``quotas.demo``).
SPREIDING_NAME = "Spreidingswet 2024-2025"


def demo_seed(*, coordinator: Any, region: Any) -> None:
    """A Duo+ swap scenario with real 2024 populations and made-up capacities and costs,
    solved, and a draft agreement from its result."""
    if Scenario.objects.filter(region=region, name=DEMO_SCENARIO).exists():
        return
    rounds = [
        QuotaRound.objects.get(name=SPREIDING_NAME),
        QuotaRound.objects.get(
            target_group=TargetGroup.STATUS_HOLDER, period_start=date(2025, 7, 1)
        ),
    ]
    scenario = services.scenario_create_from_quotas(
        actor=coordinator,
        region=region,
        name=DEMO_SCENARIO,
        mode="swap",
        rounds=rounds,
    )
    changes = {}
    for entry in scenario.entries.select_related("municipality"):
        capacity, cost = DEMO_CAPACITIES[(entry.municipality.code, entry.target_group)]
        changes[entry.pk] = {"capacity": capacity, "cost_per_place": cost}
    services.scenario_entries_update(actor=coordinator, scenario=scenario, changes=changes)
    result = services.scenario_solve(actor=coordinator, scenario=scenario)
    if result.status == "optimal" and result.solution.get("transfers"):
        services.agreement_create_from_result(
            actor=coordinator,
            result=result,
            title=f"Ruil asielplaatsen en statushouders Duo+ {DEMO_LABEL}",
        )


DEMO_SCENARIO = "Duo+ ruil asiel en statushouders (demo, verzonnen capaciteiten en kosten)"

#: Made-up capacities (places) and costs per place (euro) for the Duo+ demo scenario.
DEMO_CAPACITIES: dict[tuple[str, str], tuple[int, int]] = {
    ("GM0384", TargetGroup.ASYLUM_SEEKER): (150, 30_000),
    ("GM0384", TargetGroup.STATUS_HOLDER): (60, 20_000),
    ("GM0437", TargetGroup.ASYLUM_SEEKER): (120, 26_000),
    ("GM0437", TargetGroup.STATUS_HOLDER): (20, 24_000),
    ("GM0451", TargetGroup.ASYLUM_SEEKER): (260, 24_000),
    ("GM0451", TargetGroup.STATUS_HOLDER): (60, 22_000),
}
