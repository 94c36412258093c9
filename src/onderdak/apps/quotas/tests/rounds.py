"""A quota round for the tests: the status-holder round 2024-H1 of 18,750 persons."""

from __future__ import annotations

from datetime import date
from typing import Any

from onderdak.apps.accounts.models import User
from onderdak.apps.quotas import services
from onderdak.apps.quotas.models import QuotaRound


def make_round(actor: User, **overrides: Any) -> QuotaRound:
    """Create the round (Hamilton on the 2024 populations unless ``overrides`` say otherwise)."""
    fields: dict[str, Any] = {
        "target_group": "status_holder",
        "name": "Vergunninghouders 2024-H1",
        "period_start": date(2024, 1, 1),
        "period_end": date(2024, 6, 30),
        "unit": "persons",
        "national_total_initial": 18_750,
        "method": "hamilton",
        "level": "municipality",
        "population_date": date(2024, 1, 1),
    }
    fields.update(overrides)
    return services.quota_round_create(actor=actor, **fields)
