"""``onderdak load-reference``: load the CBS reference data shipped with Onderdak."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onderdak.apps.geo.services import reference_load
from onderdak.data.reference import DATA_DIR, ReferenceDataError, read_reference_data


class Command(BaseCommand):
    help = (
        "Load provinces, municipalities, population (1 Jan 2022-2024), boundaries and regions "
        "from the CBS reference data shipped with Onderdak. Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DATA_DIR,
            help="folder with the reference files (default: the data shipped in the package)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir: Path = options["data_dir"]
        self.stdout.write(f"Referentiedata lezen uit {data_dir} ...")
        try:
            data = read_reference_data(data_dir)
        except ReferenceDataError as error:
            raise CommandError(
                f"Referentiedata afgekeurd, er is niets gewijzigd. {error}"
            ) from None
        self.stdout.write(
            f"Gecontroleerd: {len(data.municipalities)} gemeenten, {len(data.provinces)} provincies, "
            f"{len(data.regions)} regio's."
        )
        report = reference_load(data=data, progress=lambda step: self.stdout.write(f"  - {step}"))
        if not report.changed:
            self.stdout.write(self.style.SUCCESS("Referentiedata is al actueel: niets gewijzigd."))
            return
        for kind, actions in report.counts.items():
            if any(actions.values()):
                parts = ", ".join(f"{n} {action}" for action, n in actions.items() if n)
                self.stdout.write(f"  {kind}: {parts}")
        self.stdout.write(self.style.SUCCESS("Referentiedata geladen. Bron: CBS (CC BY 4.0)."))
