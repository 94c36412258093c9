"""``onderdak check-translations``: the Dutch catalogue has no empty or fuzzy entries."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

import polib

from .compile_translations import catalogues


class Command(BaseCommand):
    help = "Fail when a required catalogue (default: nl) has untranslated or fuzzy entries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--locale", action="append", default=None, help="locale to check (default: nl)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        locales = options["locale"] or ["nl"]
        problems: list[str] = []
        checked = 0
        for path in catalogues():
            if path.parent.parent.name not in locales:
                continue
            checked += 1
            catalogue = polib.pofile(str(path))
            for entry in catalogue:
                if entry.obsolete:
                    continue
                if "fuzzy" in entry.flags:
                    problems.append(f"{path}: fuzzy: {entry.msgid!r}")
                elif not entry.translated():
                    problems.append(f"{path}: leeg: {entry.msgid!r}")
        if not checked:
            raise CommandError(f"geen catalogus gevonden voor {', '.join(locales)}")
        if problems:
            raise CommandError(
                f"{len(problems)} onvertaalde of fuzzy regels:\n" + "\n".join(problems)
            )
        self.stdout.write(self.style.SUCCESS(f"Vertalingen compleet ({', '.join(locales)})."))
