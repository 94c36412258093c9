"""``onderdak backup --out FILE``: every table in one JSON file (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onderdak.apps.core.backup import backup_write


class Command(BaseCommand):
    help = "Write every table of the database to one JSON file (restore with 'onderdak restore')."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="the backup file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["out"]
        partial = target.with_name(target.name + ".partial")
        with partial.open("w", encoding="utf-8") as stream:
            counts = backup_write(stream)
        os.replace(partial, target)  # never a half-written file under the final name
        self.stdout.write(
            self.style.SUCCESS(
                f"Back-up geschreven: {target} ({sum(counts.values())} rijen in "
                f"{len(counts)} tabellen)"
            )
        )
