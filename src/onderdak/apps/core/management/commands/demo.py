"""``onderdak demo``: a ready-to-use demo on SQLite: Diemen with its Duo+ partners.

Real: the CBS reference data and the college decision of Diemen of 4 April 2023 (the source
letter). Made up, and labelled so: the other decisions. One demo user per role; passwords are
generated at every run (or taken from ONDERDAK_DEMO_PASSWORD) and printed.
"""

from __future__ import annotations

import os
import secrets
from datetime import date
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from onderdak.apps.accounts.models import Role, User
from onderdak.apps.accounts.services import (
    organisation_for_municipality,
    organisation_for_region,
    user_set_membership,
)
from onderdak.apps.care.demo import demo_seed as care_demo_seed
from onderdak.apps.geo.models import Municipality, Region
from onderdak.apps.housing import services as housing_services
from onderdak.apps.programme.models import Decision, DecisionBody, Track
from onderdak.apps.quotas import services as quota_services
from onderdak.apps.quotas.models import QuotaRound, Realisation, Unit
from onderdak.apps.region import services as region_services
from onderdak.apps.region.models import Scenario
from onderdak.apps.sites import demo as sites_demo
from onderdak.common.vocabulary import TargetGroup

DEMO_USERS = (
    # username, role, organisation key, description
    ("demo-viewer", Role.VIEWER, "diemen", "kijker, Gemeente Diemen"),
    ("demo-editor", Role.EDITOR, "diemen", "bewerker, Gemeente Diemen"),
    ("demo-coordinator", Role.COORDINATOR, "duoplus", "regiocoördinator, Duo+"),
    ("demo-admin", Role.ADMINISTRATOR, "diemen", "beheerder, Gemeente Diemen"),
    ("demo-uithoorn", Role.EDITOR, "uithoorn", "bewerker, Gemeente Uithoorn"),
)

DEMO_LABEL = "(demo, verzonnen)"


class Command(BaseCommand):
    help = "Prepare the demo (database, reference data, Diemen and its Duo+ partners, demo users) and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-serve", action="store_true", help="prepare everything, do not start the server"
        )
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings
        from django.core.management.base import CommandError

        if getattr(settings, "SETTINGS_PROFILE", "production") == "production":
            raise CommandError(
                "De demo draait niet met productie-instellingen (ze maakt demo-accounts en "
                "schrijft demogegevens). Gebruik DJANGO_SETTINGS_MODULE=onderdak.conf.dev of "
                "laat DJANGO_SETTINGS_MODULE leeg."
            )
        self.stdout.write(self.style.MIGRATE_HEADING("1/4 Database bijwerken (migraties)"))
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(self.style.MIGRATE_HEADING("2/4 Referentiedata laden (CBS)"))
        call_command("load_reference", stdout=self.stdout)
        self.stdout.write(self.style.MIGRATE_HEADING("3/4 Demogemeente Diemen met Duo+-partners"))
        passwords = self._prepare()
        self.stdout.write(self.style.MIGRATE_HEADING("4/4 Klaar"))
        address = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(
            f"\nOnderdak demo: {address}\nDemo-accounts (wachtwoorden gelden tot de volgende 'onderdak demo'):"
        )
        for username, _role, _key, description in DEMO_USERS:
            self.stdout.write(f"  {username:<18} {passwords[username]:<24} {description}")
        self.stdout.write("")
        if not options["no_serve"]:
            call_command("serve", host=options["host"], port=options["port"])

    @transaction.atomic
    def _prepare(self) -> dict[str, str]:
        municipalities = {
            m.code: m for m in Municipality.objects.filter(code__in=["GM0384", "GM0437", "GM0451"])
        }
        organisations = {
            "diemen": organisation_for_municipality(municipality=municipalities["GM0384"]),
            "ouder-amstel": organisation_for_municipality(municipality=municipalities["GM0437"]),
            "uithoorn": organisation_for_municipality(municipality=municipalities["GM0451"]),
            "duoplus": organisation_for_region(
                region=Region.objects.get(code="DUOPLUS"), name="Duo+"
            ),
        }
        fixed = os.environ.get("ONDERDAK_DEMO_PASSWORD")
        passwords: dict[str, str] = {}
        for username, role, key, _description in DEMO_USERS:
            password = fixed or secrets.token_urlsafe(12)
            user_set_membership(
                username=username, organisation=organisations[key], role=role, password=password
            )
            passwords[username] = password
        self._decisions(organisations)
        admin = User.objects.get(username="demo-admin")
        admin.is_staff = True  # maintains the national quota rounds in the demo
        admin.save(update_fields=["is_staff"])
        self._quotas(admin, organisations)
        self._exchange(organisations)
        diemen = organisations["diemen"]
        boundary = municipalities["GM0384"].boundary
        sites_demo.demo_seed(
            actor=User.objects.get(username="demo-editor"), organisation=diemen, boundary=boundary
        )
        housing_services.demo_seed(
            actor=User.objects.get(username="demo-editor"), organisation=diemen
        )
        care_demo_seed(actor=User.objects.get(username="demo-editor"), organisation=diemen)
        return passwords

    def _decisions(self, organisations: dict[str, Any]) -> None:
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

    def _quotas(self, actor: Any, organisations: dict[str, Any]) -> None:
        """Status-holder rounds 2022-H1..2025-H2 from the national numbers (DOMAIN.md section 3),
        computed by Onderdak; the Spreidingswet 2024 round with Diemen's reported figure; and
        made-up realisations for Diemen, Ouder-Amstel and Uithoorn."""
        for spec in STATUS_HOLDER_ROUNDS:
            year, half, initial, final = spec
            start = date(year, 1, 1) if half == 1 else date(year, 7, 1)
            end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
            population_year = min(year, 2024)
            round = QuotaRound.objects.filter(
                target_group=TargetGroup.STATUS_HOLDER, period_start=start
            ).first()
            if round is None:
                round = quota_services.quota_round_create(
                    actor=actor,
                    target_group=TargetGroup.STATUS_HOLDER,
                    name=f"Huisvesting vergunninghouders {year}-H{half}",
                    period_start=start,
                    period_end=end,
                    unit=Unit.PERSONS,
                    national_total_initial=initial,
                    national_total_final=final,
                    method="hamilton",
                    level="municipality",
                    population_date=date(population_year, 1, 1),
                    source_title="Landelijke taakstelling (Onderdak DOMAIN.md, sectie 3); verdeling berekend door Onderdak",
                    notes=(
                        "Berekend door Onderdak: grootste overschot over het inwonertal op "
                        f"1 januari {population_year}. De officiële tabel kan afwijken (afronding en peildatum "
                        "worden niet gepubliceerd)."
                    ),
                )
            quota_services.quota_round_compute(actor=actor, round=round)
        asylum = QuotaRound.objects.filter(
            target_group=TargetGroup.ASYLUM_SEEKER, name=SPREIDING_NAME
        ).first()
        if asylum is None:
            asylum = quota_services.quota_round_create(
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
        quota_services.quota_round_compute(actor=actor, round=asylum)
        table = b"code;taakstelling\nGM0384;175\n"
        quota_services.quota_round_import_official(
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

    def _exchange(self, organisations: dict[str, Any]) -> None:
        """A Duo+ swap scenario with real 2024 populations and made-up capacities and costs,
        solved, and a draft agreement from its result."""
        coordinator = User.objects.get(username="demo-coordinator")
        region = Region.objects.get(code="DUOPLUS")
        if Scenario.objects.filter(region=region, name=DEMO_SCENARIO).exists():
            return
        rounds = [
            QuotaRound.objects.get(name=SPREIDING_NAME),
            QuotaRound.objects.get(
                target_group=TargetGroup.STATUS_HOLDER, period_start=date(2025, 7, 1)
            ),
        ]
        scenario = region_services.scenario_create_from_quotas(
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
        region_services.scenario_entries_update(
            actor=coordinator, scenario=scenario, changes=changes
        )
        result = region_services.scenario_solve(actor=coordinator, scenario=scenario)
        if result.status == "optimal" and result.solution.get("transfers"):
            region_services.agreement_create_from_result(
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
