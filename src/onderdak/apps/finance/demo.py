"""Demo data for finance (``onderdak demo``): Diemen adopts the national rates, with a made-up
budget for 2025 (and a small one for 2024), a ledger mapping, actuals for the first three
quarters of 2025 (one import per quarter) one budget amendment and the draft quarterly letter of Q3 2025, all labelled as made up."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .letter import seed_letters
from .models import BudgetLine
from .services import (
    actuals_import,
    adopt_national_rates,
    amendment_create,
    budget_line_create,
    mapping_create,
)

if TYPE_CHECKING:
    from onderdak.apps.accounts.models import Organisation

DEMO_LABEL = "Demo: verzonnen"

BudgetRow = tuple[str, str, str, str, str, str]

#: (task field, track, target group, direction, description, amount 2025)
DEMO_BUDGET: tuple[BudgetRow, ...] = (
    (
        "6.1",
        "flex_homes",
        "displaced_ukrainian",
        "income",
        "Rijksbijdrage GOO Oekraïners",
        "1650000",
    ),
    (
        "6.1",
        "flex_homes",
        "displaced_ukrainian",
        "expenditure",
        "Opvangkosten Oekraïners",
        "1400000",
    ),
    ("6.1", "care", "status_holder", "expenditure", "Inburgering en begeleiding", "420000"),
    ("8.3", "flex_homes", "", "expenditure", "Flexwoningen: kapitaallasten en beheer", "610000"),
    ("8.3", "flex_homes", "", "income", "Huurinkomsten flexwoningen", "180000"),
    ("6.3", "overall", "status_holder", "expenditure", "Uitkeringen statushouders", "350000"),
    ("1.1", "overall", "", "expenditure", "Crisisbeheersing noodopvang", "75000"),
    (
        "0.10",
        "flex_homes",
        "displaced_ukrainian",
        "expenditure",
        "Storting reserve Oekraïne",
        "150000",
    ),
)

#: Care and support (track 1) per task field, for every target group: the services of the care
#: demo with an owner and an amount fall under these lines (made up, like the rest).
DEMO_CARE_BUDGET = {
    "0.2": "20000",
    "4.3": "35000",
    "6.1": "20000",
    "6.3": "20000",
    "6.5": "10000",
    "6.72": "20000",
    "6.82": "5000",
    "7.1": "35000",
}
DEMO_BUDGET += tuple(
    (field, "care", "", "expenditure", f"Zorg en ondersteuning, taakveld {field}", amount)
    for field, amount in DEMO_CARE_BUDGET.items()
)

#: (account, task field, track, target group, direction, description)
DEMO_MAPPING = (
    ("8101", "6.1", "flex_homes", "displaced_ukrainian", "income", "Bijdrage GOO"),
    ("4301", "6.1", "flex_homes", "displaced_ukrainian", "expenditure", "Leefgeld"),
    ("4302", "6.1", "flex_homes", "displaced_ukrainian", "expenditure", "Opvanglocatie"),
    ("4401", "6.1", "care", "status_holder", "expenditure", "Inburgering"),
    ("4501", "8.3", "flex_homes", "", "expenditure", "Flexwoningen beheer"),
    ("8501", "8.3", "flex_homes", "", "income", "Huur flexwoningen"),
    ("4601", "6.3", "overall", "status_holder", "expenditure", "Uitkeringen"),
    ("4701", "1.1", "overall", "", "expenditure", "Crisisbeheersing"),
    *(
        (f"48{number:02d}", field, "care", "", "expenditure", f"Zorg en ondersteuning {field}")
        for number, field in enumerate(DEMO_CARE_BUDGET, start=1)
    ),
)

#: Made-up monthly bookings per account (euros), the same in every month of Q1-Q3.
DEMO_MONTHLY = {
    "8101": "131250.00",
    "4301": "62500.40",
    "4302": "48000.00",
    "4401": "33100.25",
    "4501": "49800.00",
    "8501": "14950.00",
    "4601": "27250.75",
    "4701": "5100.00",
} | {
    f"48{number:02d}": str((Decimal(amount) / 12).quantize(Decimal("0.01")))
    for number, amount in enumerate(DEMO_CARE_BUDGET.values(), start=1)
}

QUARTERS = (
    (date(2025, 1, 1), date(2025, 3, 31)),
    (date(2025, 4, 1), date(2025, 6, 30)),
    (date(2025, 7, 1), date(2025, 9, 30)),
)


def _quarter_file(start: date, end: date) -> bytes:
    lines = ["boekdatum;grootboekrekening;taakveld;bedrag;omschrijving;kostenplaats"]
    task = {account: field for account, field, *_rest in DEMO_MAPPING}
    day = start
    while day <= end:
        if day.day == 15:
            for account, amount in DEMO_MONTHLY.items():
                lines.append(
                    f"{day:%d-%m-%Y};{account};{task[account]};{amount.replace('.', ',')};"
                    f"{DEMO_LABEL} {day:%m-%Y};KP{account[:2]}"
                )
        day += timedelta(days=1)
    return ("\n".join(lines) + "\n").encode()


def demo_seed(*, actor: Any, organisation: Organisation) -> int:
    """Seed Diemen's finance demo; returns the number of budget lines made (0 when seeded)."""
    if BudgetLine.objects.filter(organisation=organisation).exists():
        return 0
    adopt_national_rates(actor=actor, organisation=organisation)
    lines = {}
    for task_field, track, group, direction, description, amount in DEMO_BUDGET:
        lines[(task_field, track, group, direction)] = budget_line_create(
            actor=actor,
            organisation=organisation,
            year=2025,
            task_field=task_field,
            track=track,
            target_group=group,
            direction=direction,
            description=f"{description} ({DEMO_LABEL})",
            amount=Decimal(amount),
        )
        budget_line_create(
            actor=actor,
            organisation=organisation,
            year=2024,
            task_field=task_field,
            track=track,
            target_group=group,
            direction=direction,
            description=f"{description} ({DEMO_LABEL})",
            amount=(Decimal(amount) * Decimal("0.9")).quantize(Decimal("0.01")),
        )
    amendment_create(
        actor=actor,
        line=lines[("6.1", "flex_homes", "displaced_ukrainian", "expenditure")],
        decided_on=date(2025, 7, 3),
        amount=Decimal("250000.00"),
        reference="Raadsbesluit 3 juli 2025 (voorjaarsnota)",
        description=f"Hogere opvangkosten door extra plaatsen ({DEMO_LABEL})",
    )
    for account, task_field, track, group, direction, description in DEMO_MAPPING:
        mapping_create(
            actor=actor,
            organisation=organisation,
            account=account,
            task_field=task_field,
            track=track,
            target_group=group,
            direction=direction,
            description=f"{description} ({DEMO_LABEL})",
        )
    for number, (start, end) in enumerate(QUARTERS, start=1):
        actuals_import(
            actor=actor,
            organisation=organisation,
            content=_quarter_file(start, end),
            filename=f"demo-realisatie-2025-q{number}.csv",
            period_start=start,
            period_end=end,
        )
    seed_letters(actor=actor, organisation=organisation)  # the Q3 2025 letter, ready to open
    return len(DEMO_BUDGET)
