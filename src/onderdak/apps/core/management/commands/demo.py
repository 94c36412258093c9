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

from onderdak.apps.accounts.models import Role
from onderdak.apps.accounts.services import (
    organisation_for_municipality,
    organisation_for_region,
    user_set_membership,
)
from onderdak.apps.geo.models import Municipality, Region
from onderdak.apps.programme.models import Decision, DecisionBody, Track

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
