"""``onderdak restore FILE [--yes]``: replace the database's contents by a backup."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from onderdak.apps.core.backup import BackupError, backup_read_header, backup_restore


class Command(BaseCommand):
    help = (
        "Replace every table's rows by those of a backup file from 'onderdak backup', in one "
        "transaction. Refuses a file from another migration state."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the backup file")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            header = backup_read_header(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        if not options["yes"]:
            self.stdout.write(
                f"Back-up van {header.get('created_at')} (Onderdak "
                f"{header.get('onderdak_version')}, {header.get('database')}).\n"
                f"ALLE gegevens in de database ({connection.vendor}, "
                f"{connection.settings_dict.get('NAME')}) worden vervangen."
            )
            if not sys.stdin.isatty():
                raise CommandError("Niet hersteld: bevestig met --yes (geen invoer mogelijk).")
            answer = input("Typ 'ja' om door te gaan: ")
            if answer.strip().lower() != "ja":
                raise CommandError("Niet hersteld.")
        try:
            counts = backup_restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Hersteld uit {path}: {sum(counts.values())} rijen in {len(counts)} tabellen"
            )
        )
