"""``onderdak compile-translations``: .po -> .mo with polib, so no GNU gettext is needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

import polib


def catalogues() -> list[Path]:
    return sorted(
        p for locale in settings.LOCALE_PATHS for p in Path(locale).glob("*/LC_MESSAGES/*.po")
    )


class Command(BaseCommand):
    help = "Compile every translation catalogue (.po) into its binary form (.mo)."

    def handle(self, *args: Any, **options: Any) -> None:
        for path in catalogues():
            catalogue = polib.pofile(str(path))
            catalogue.save_as_mofile(str(path.with_suffix(".mo")))
            self.stdout.write(
                f"{path.parent.parent.name}: {len(catalogue.translated_entries())} vertalingen ({path.name})"
            )
