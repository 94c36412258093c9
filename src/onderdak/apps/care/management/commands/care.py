"""``onderdak care coverage --organisation GM0384 [--out FILE.csv]``: the coverage matrix of an
organisation's service catalogue, from the database, as CSV (stdout or a file).

Columns: ``service_code``, ``service``, ``status`` (the roll-up over the target groups), one
column per target group that any active service is entitled to (in the order of the target
groups; the cell's status, empty when the group is not entitled), then ``owner``,
``alderman``, ``amount_per_year`` (sum over the cells that apply, euro, two decimals) and
``task_field``. Statuses are the codes ``structural``, ``temporary``, ``missing``,
``not_applicable``. Text that a spreadsheet would read as a formula is neutralised (a leading
apostrophe, ``onderdak.common.exports``). Exit codes: 0 done, 2 wrong arguments or unknown organisation.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from onderdak.apps.accounts.selectors import OPERATOR
from onderdak.apps.care import selectors
from onderdak.common.exports import neutralise


def matrix_rows(overview: Any) -> list[list[str]]:
    header = ["service_code", "service", "status"]
    header += [code for code, _label in overview.groups]
    header += ["owner", "alderman", "amount_per_year", "task_field"]
    rows = [header]
    for row in overview.rows:
        cells = [row.cells[code].status if row.cells[code] else "" for code, _l in overview.groups]
        rows.append(
            [
                row.service.code,
                neutralise(row.service.name),
                row.status,
                *cells,
                neutralise("; ".join(row.owners)),
                neutralise("; ".join(row.aldermen)),
                f"{row.amount_per_year:.2f}",
                row.service.task_field,
            ]
        )
    return rows


class Command(BaseCommand):
    help = (
        "Care and support from the database: 'coverage' prints the coverage matrix as CSV. "
        "'onderdak care integration-term' (no database) is onderdak.commands.care."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="coverage")
        coverage = commands.add_parser(
            "coverage", help="the services x target groups matrix with statuses, owners and cost"
        )
        coverage.add_argument(
            "--organisation",
            required=True,
            help="CBS code of the municipality (GM0384) or the organisation's id",
        )
        coverage.add_argument("--out", help="write the CSV to this file instead of stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        key = str(options["organisation"]).strip()
        organisation = selectors.organisation_by_key(key)
        if organisation is None:
            raise CommandError(f"onbekende organisatie: {key}", returncode=2)
        overview = selectors.coverage(
            user=OPERATOR, organisation=organisation, today=timezone.localdate(), with_demand=False
        )
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(matrix_rows(overview))
        if options.get("out"):
            Path(options["out"]).write_text(buffer.getvalue(), encoding="utf-8")
            self.stdout.write(
                f"{len(overview.rows)} diensten x {len(overview.groups)} doelgroepen geschreven naar {options['out']}"
            )
        else:
            self.stdout.write(buffer.getvalue(), ending="")
        if overview.empty:
            self.stderr.write(f"{organisation.name} heeft nog geen dienstencatalogus.")
