"""Dated legal data shipped with Onderdak, read into the engines' types (see README.md here).

* ``supervision_ladders.csv``: each province's supervision ladder (interventieladder) for the
  status-holder quota, one row per rung, with its validity and CVDR source;
* ``spreidingswet_cycle.csv``: the deadlines of the Spreidingswet cycle, per version of the law.

Pure: reads the files next to this module, no Django. A malformed file raises
:class:`onderdak.engines.quota.QuotaInputError` naming the row and column.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from functools import cache
from pathlib import Path

from onderdak.engines.quota.cycle import CycleRules
from onderdak.engines.quota.model import QuotaInputError
from onderdak.engines.quota.supervision import LadderStep, SupervisionLadder, TriggerKind

LAW_DIR = Path(__file__).resolve().parent

LADDER_COLUMNS = (
    "province_code",
    "province",
    "valid_from",
    "valid_to",
    "step_order",
    "step_code",
    "label",
    "trigger",
    "trigger_half_years",
    "trigger_weeks",
    "trigger_source",
    "source_id",
    "source_title",
    "source_url",
)
STEP_CODES = ("signalling", "consultation", "warning", "takeover")


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or ())]
        if missing:
            raise QuotaInputError(f"missing columns {missing}", unit=path.name)
        rows = list(enumerate(reader, start=2))
    for number, row in rows:
        if None in row or None in row.values():
            raise QuotaInputError(
                "wrong number of columns (quote a value with a comma)",
                unit=f"{path.name} row {number}",
            )
    return rows


def _date(value: str, where: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise QuotaInputError(f"not a date: {value!r}", unit=where, field=field) from None


def _optional_int(value: str, where: str, field: str) -> int | None:
    if not value.strip():
        return None
    if not value.strip().isdigit() or int(value) < 1:
        raise QuotaInputError(f"not a whole number >= 1: {value!r}", unit=where, field=field)
    return int(value)


def read_supervision_ladders(path: Path | None = None) -> tuple[SupervisionLadder, ...]:
    """All ladders in the file, grouped by (province, source, validity), steps in order."""
    path = path or LAW_DIR / "supervision_ladders.csv"
    groups: dict[tuple[str, str, str, str], list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for number, row in _rows(path, LADDER_COLUMNS):
        key = (row["province_code"], row["source_id"], row["valid_from"], row["valid_to"])
        groups[key].append((number, row))
    ladders = []
    for (province_code, source_id, valid_from, valid_to), rows in groups.items():
        steps = []
        for number, row in rows:
            where = f"{path.name} row {number}"
            if row["step_code"] not in STEP_CODES:
                raise QuotaInputError(
                    f"unknown step {row['step_code']!r}", unit=where, field="step_code"
                )
            try:
                trigger = TriggerKind(row["trigger"])
            except ValueError:
                raise QuotaInputError(
                    f"unknown trigger {row['trigger']!r}", unit=where, field="trigger"
                ) from None
            order = _optional_int(row["step_order"], where, "step_order")
            if order is None:
                raise QuotaInputError("required", unit=where, field="step_order")
            steps.append(
                LadderStep(
                    order=order,
                    code=row["step_code"],
                    label=row["label"].strip(),
                    trigger=trigger,
                    half_years=_optional_int(row["trigger_half_years"], where, "half_years"),
                    weeks=_optional_int(row["trigger_weeks"], where, "trigger_weeks"),
                    trigger_source=row["trigger_source"].strip() or None,
                )
            )
        first = rows[0][1]
        where = f"{path.name} row {rows[0][0]}"
        ladders.append(
            SupervisionLadder(
                province_code=province_code,
                province=first["province"],
                title=first["source_title"],
                source_id=source_id,
                url=first["source_url"],
                valid_from=_date(valid_from, where, "valid_from"),
                valid_to=_date(valid_to, where, "valid_to") if valid_to else None,
                steps=tuple(sorted(steps, key=lambda step: step.order)),
            )
        )
    return tuple(sorted(ladders, key=lambda ladder: (ladder.province_code, ladder.valid_from)))


def _month_day(value: str, where: str, field: str) -> tuple[int, int]:
    month, _, day = value.partition("-")
    if not (month.isdigit() and day.isdigit()):
        raise QuotaInputError(f"not MM-DD: {value!r}", unit=where, field=field)
    return int(month), int(day)


def read_cycle_rules(path: Path | None = None) -> tuple[CycleRules, ...]:
    """The Spreidingswet cycle's deadlines, one version a row."""
    path = path or LAW_DIR / "spreidingswet_cycle.csv"
    columns = (
        "valid_from",
        "proposals_by",
        "decision_by",
        "realise_within_months",
        "period_years",
        "source",
    )
    rules = []
    for number, row in _rows(path, columns):
        where = f"{path.name} row {number}"
        months = _optional_int(row["realise_within_months"], where, "realise_within_months")
        years = _optional_int(row["period_years"], where, "period_years")
        if months is None or years is None:
            raise QuotaInputError("required", unit=where, field="cycle")
        rules.append(
            CycleRules(
                valid_from=_date(row["valid_from"], where, "valid_from"),
                proposals_by=_month_day(row["proposals_by"], where, "proposals_by"),
                decision_by=_month_day(row["decision_by"], where, "decision_by"),
                realise_within_months=months,
                period_years=years,
                source=row["source"].strip(),
            )
        )
    return tuple(sorted(rules, key=lambda each: each.valid_from))


@cache
def supervision_ladders() -> tuple[SupervisionLadder, ...]:
    """The shipped ladders (read once)."""
    return read_supervision_ladders()


@cache
def cycle_rules() -> tuple[CycleRules, ...]:
    """The shipped Spreidingswet cycle rules (read once)."""
    return read_cycle_rules()
