"""Demo seed of the programme's decision log (``onderdak demo``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from .models import Decision, DecisionBody, Track

DEMO_LABEL = "(demo, verzonnen)"


def demo_seed(*, organisations: dict[str, Any]) -> None:
    """The decision log: Diemen's real college decision of 4 April 2023 and made-up ones,
    labelled so (some shared with the Duo+ partners)."""
    examples = [
        (
            organisations["diemen"],
            date(2023, 4, 4),
            DecisionBody.COLLEGE,
            Track.OVERALL,
            True,
            "Structurele inbedding opvang ontheemden, asielzoekers en statushouders",
            "Het college bedt de opvang structureel in als één programma met drie sporen: zorg en "
            "ondersteuning, flexwoningen voor ontheemden en structurele tijdelijke huisvesting. "
            "Bron: raadsinformatiebrief gemeente Diemen, collegebesluit 4 april 2023.",
        ),
        (
            organisations["diemen"],
            date(2023, 6, 20),
            DecisionBody.COLLEGE,
            Track.FLEX_HOMES,
            False,
            f"Beheer flexwoningen Bergwijkdreef naar externe beheerder {DEMO_LABEL}",
            "Verzonnen voorbeeld voor de demo.",
        ),
        (
            organisations["ouder-amstel"],
            date(2023, 9, 12),
            DecisionBody.COLLEGE,
            Track.CARE,
            True,
            f"Regionale inkoop taalaanbod inburgering via Duo+ {DEMO_LABEL}",
            "Verzonnen voorbeeld voor de demo; gedeeld met de Duo+-partners.",
        ),
        (
            organisations["uithoorn"],
            date(2023, 10, 3),
            DecisionBody.COUNCIL,
            Track.TEMPORARY_HOUSING,
            False,
            f"Longlist locaties tijdelijke huisvesting vastgesteld {DEMO_LABEL}",
            "Verzonnen voorbeeld voor de demo; niet gedeeld, dus alleen zichtbaar voor Uithoorn.",
        ),
    ]
    for organisation, decided_on, body, track, shared, title, summary in examples:
        Decision.objects.update_or_create(
            organisation=organisation,
            title=title,
            defaults={
                "decided_on": decided_on,
                "body": body,
                "track": track,
                "shared": shared,
                "summary": summary,
            },
        )
