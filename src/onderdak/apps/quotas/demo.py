"""Demo seed of the quotas (``onderdak demo``): the status-holder rounds 2022-2025 (from 2023
by Huisvestingswet 2014 art. 29) and the Spreidingswet round, computed by Onderdak, Diemen's reported figure, made-up realisations."""

from __future__ import annotations

from datetime import date
from typing import Any

from onderdak.common.vocabulary import TargetGroup

from . import services
from .models import QuotaRound, Realisation, Unit

DEMO_LABEL = "(demo, verzonnen)"


def demo_seed(*, actor: Any, organisations: dict[str, Any]) -> None:
    """Status-holder rounds 2022-H1..2025-H2 from the national numbers (DOMAIN.md section 3),
    computed by Onderdak (from 2023 by the statutory rule of Huisvestingswet 2014 art. 29);
    the Spreidingswet 2024 round with Diemen's reported figure; and made-up realisations for
    Diemen, Ouder-Amstel and Uithoorn."""
    for spec in STATUS_HOLDER_ROUNDS:
        year, half, initial, final = spec
        start = date(year, 1, 1) if half == 1 else date(year, 7, 1)
        end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
        fields = _status_holder_fields(year)
        round = QuotaRound.objects.filter(
            target_group=TargetGroup.STATUS_HOLDER, period_start=start
        ).first()
        if round is None:
            round = services.quota_round_create(
                actor=actor,
                target_group=TargetGroup.STATUS_HOLDER,
                name=f"Huisvesting vergunninghouders {year}-H{half}",
                period_start=start,
                period_end=end,
                unit=Unit.PERSONS,
                national_total_initial=initial,
                national_total_final=final,
                level="municipality",
                **fields,
            )
        elif round.method != fields["method"]:
            # a demo database of before the statutory rule: switch the round over
            services.quota_round_update(actor=actor, round=round, **fields)
        services.quota_round_compute(actor=actor, round=round)
    asylum = QuotaRound.objects.filter(
        target_group=TargetGroup.ASYLUM_SEEKER, name=SPREIDING_NAME
    ).first()
    if asylum is None:
        asylum = services.quota_round_create(
            actor=actor,
            target_group=TargetGroup.ASYLUM_SEEKER,
            name=SPREIDING_NAME,
            period_start=date(2024, 2, 1),
            period_end=date(2025, 6, 30),
            unit=Unit.PLACES,
            national_total_initial=96_000,
            method="hamilton",
            level="municipality",
            population_date=date(2024, 1, 1),
            source_title="Spreidingswet, capaciteitsraming 1 januari 2025 (96.000 plaatsen incl. amv)",
            notes="Berekend door Onderdak naar inwonertal (zonder SES-WOA-correctie); het officiële cijfer van Diemen (175) is het gerapporteerde indicatieve cijfer.",
        )
    services.quota_round_compute(actor=actor, round=asylum)
    table = b"code;taakstelling\nGM0384;175\n"
    services.quota_round_import_official(
        actor=actor,
        round=asylum,
        content=table,
        filename="spreidingswet-diemen.csv",
        source="Indicatief cijfer Spreidingswet 2024 zoals gerapporteerd (DOMAIN.md)",
    )
    for key, entries in DEMO_REALISATIONS.items():
        organisation = organisations[key]
        for day, amount in entries:
            Realisation.objects.get_or_create(
                organisation=organisation,
                target_group=TargetGroup.STATUS_HOLDER,
                date=day,
                reference=f"demo-{key}-{day.isoformat()}",
                defaults={"amount": amount, "unit": Unit.PERSONS, "note": DEMO_LABEL},
            )


def _status_holder_fields(year: int) -> dict[str, Any]:
    """Huisvestingswet 2014 art. 29(1) where the population of 1 January of the year before is
    shipped (2023 onwards); 2022 needs 1 January 2021, which is not, so those two rounds stay an
    apportionment over 1 January 2022, labelled as such."""
    if year - 1 >= FIRST_SHIPPED_POPULATION_YEAR:
        return {
            "method": "statutory",
            "population_date": date(year - 1, 1, 1),
            "source_title": (
                "Landelijke taakstelling (Onderdak DOMAIN.md, sectie 3); taakstelling per gemeente "
                "volgens art. 29 lid 1 Huisvestingswet 2014 (BWBR0035303)"
            ),
            "notes": (
                "Berekend door Onderdak volgens art. 29 lid 1 Huisvestingswet 2014: landelijk "
                "aantal x inwoners van de gemeente / inwoners van Nederland, naar boven afgerond, "
                f"met de CBS-inwonertallen op 1 januari {year - 1}."
            ),
        }
    return {
        "method": "hamilton",
        "population_date": date(year, 1, 1),
        "source_title": (
            "Landelijke taakstelling (Onderdak DOMAIN.md, sectie 3); benadering berekend door "
            "Onderdak"
        ),
        "notes": (
            "Benadering: art. 29 Huisvestingswet 2014 rekent met de inwonertallen op 1 januari "
            f"{year - 1}, die Onderdak niet meelevert. Daarom verdeeld met grootste overschot "
            f"over het inwonertal op 1 januari {year}; de officiële tabel kan afwijken."
        ),
    }


#: The first 1 January whose CBS population is shipped (``onderdak.data``).
FIRST_SHIPPED_POPULATION_YEAR = 2022

#: (year, half, national number, national number after a change during the period); 2024-H2 is
#: not in our sources, so the ledger restarts in 2025 (see DOMAIN.md section 3).
STATUS_HOLDER_ROUNDS = (
    (2022, 1, 10_000, None),
    (2022, 2, 13_500, None),
    (2023, 1, 21_200, None),
    (2023, 2, 27_300, 17_600),
    (2024, 1, 18_750, None),
    (2025, 1, 17_700, 15_000),
    (2025, 2, 13_000, None),
)
SPREIDING_NAME = "Spreidingswet 2024-2025"

#: Made-up realisations (persons housed), labelled as demo data.
DEMO_REALISATIONS = {
    "diemen": [
        (date(2022, 3, 15), 8),
        (date(2022, 5, 20), 6),
        (date(2022, 9, 12), 10),
        (date(2022, 11, 28), 11),
        (date(2023, 2, 14), 12),
        (date(2023, 5, 30), 14),
        (date(2023, 8, 21), 9),
        (date(2023, 11, 6), 10),
        (date(2024, 2, 19), 12),
        (date(2024, 5, 27), 11),
        (date(2025, 2, 10), 9),
        (date(2025, 4, 22), 8),
        (date(2025, 8, 18), 7),
        (date(2025, 10, 13), 6),
    ],
    "ouder-amstel": [
        (date(2025, 3, 3), 5),
        (date(2025, 5, 12), 6),
        (date(2025, 9, 1), 4),
        (date(2025, 11, 17), 3),
    ],
    "uithoorn": [
        (date(2025, 2, 24), 10),
        (date(2025, 6, 2), 9),
        (date(2025, 9, 22), 8),
        (date(2025, 12, 1), 7),
    ],
}
