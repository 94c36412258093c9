"""``onderdak demo``: a ready-to-use demo on SQLite: Diemen with its Duo+ partners.

Real: the CBS reference data and the college decision of Diemen of 4 April 2023 (the source
letter). Made up, and labelled so: the other decisions. One demo user per role; passwords are
generated at every run (or taken from ONDERDAK_DEMO_PASSWORD) and printed.

The command only orchestrates: every app seeds its own demo data in ``apps/<app>/demo.py``
(``demo_seed``), found by name like Django's autodiscovery, so that the core app imports no
other app's internals (the import contract).
"""

from __future__ import annotations

import os
import secrets
from importlib import import_module
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from onderdak.apps.accounts.services import (
    organisation_for_municipality,
    organisation_for_region,
    user_set_membership,
)
from onderdak.apps.geo import selectors as geo_selectors

DEMO_USERS = (
    # username, role, organisation key, description
    # (roles are ``accounts.Role`` values)
    ("demo-viewer", "viewer", "diemen", "kijker, Gemeente Diemen"),
    ("demo-editor", "editor", "diemen", "bewerker, Gemeente Diemen"),
    ("demo-coordinator", "coordinator", "duoplus", "regiocoördinator, Duo+"),
    ("demo-admin", "administrator", "diemen", "beheerder, Gemeente Diemen"),
    ("demo-controller", "controller", "diemen", "controller, Gemeente Diemen"),
    ("demo-uithoorn", "editor", "uithoorn", "bewerker, Gemeente Uithoorn"),
)


def seed(app: str, **arguments: Any) -> Any:
    """Run ``onderdak.apps.<app>.demo.demo_seed(**arguments)``."""
    return import_module(f"onderdak.apps.{app}.demo").demo_seed(**arguments)


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
            code: geo_selectors.municipality_get(code=code)
            for code in ("GM0384", "GM0437", "GM0451")
        }
        region = geo_selectors.region_get(code="DUOPLUS")
        organisations = {
            "diemen": organisation_for_municipality(municipality=municipalities["GM0384"]),
            "ouder-amstel": organisation_for_municipality(municipality=municipalities["GM0437"]),
            "uithoorn": organisation_for_municipality(municipality=municipalities["GM0451"]),
            "duoplus": organisation_for_region(region=region, name="Duo+"),
        }
        fixed = os.environ.get("ONDERDAK_DEMO_PASSWORD")
        passwords: dict[str, str] = {}
        users: dict[str, Any] = {}
        for username, role, key, _description in DEMO_USERS:
            password = fixed or secrets.token_urlsafe(12)
            users[username] = user_set_membership(
                username=username, organisation=organisations[key], role=role, password=password
            )
            passwords[username] = password
        admin = users["demo-admin"]
        admin.is_staff = True  # maintains the national quota rounds in the demo
        admin.save(update_fields=["is_staff"])
        seed("quotas", actor=admin, organisations=organisations)
        seed("region", coordinator=users["demo-coordinator"], region=region)
        editor, diemen = users["demo-editor"], organisations["diemen"]
        seed("sites", actor=editor, organisation=diemen, boundary=municipalities["GM0384"].boundary)
        seed("housing", actor=editor, organisation=diemen)
        seed("care", actor=editor, organisation=diemen)
        seed("finance", actor=users["demo-controller"], organisation=diemen)
        seed("programme", actor=editor, organisations=organisations)
        seed(
            "communication",
            actor=editor,
            organisation=diemen,
            boundary=municipalities["GM0384"].boundary,
        )
        return passwords
