"""Backup and restore of the whole database as one JSON file, independent of the database
(SQLite or PostgreSQL): ``onderdak backup --out FILE`` and ``onderdak restore FILE``.

The file holds a header (format, Onderdak version, time, database vendor and the applied
migrations per app) and every row of every model table (Django's python serialisation, with
exact date-times). The through table Django creates for a many-to-many field without a through
model of its own is a table of the file like any other, so its rows keep their ids; the owner's
rows leave out such a field's list of related keys. A restore refuses a file whose migrations
differ from the database's (migrate first, or restore into a matching version), then replaces
every table's rows in one transaction: all or nothing, sequences reset after the restored ids.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import uuid
from collections import defaultdict
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string

FORMAT = "onderdak-backup"
FORMAT_VERSION = 2
# 1: auto-created many-to-many links as lists on the owner's rows (restored with new ids)
READABLE_VERSIONS = (1, 2)


class BackupError(Exception):
    """A backup file that cannot be restored here (message in Dutch, for the command line)."""


def _onderdak_version() -> str:
    try:
        return version("onderdak")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def _auto_through(model: type[models.Model]) -> list[tuple[str, type[models.Model]]]:
    """(field name, through model) of the model's own many-to-many fields whose through table
    Django creates."""
    result = []
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        if through is not None and through._meta.auto_created:
            result.append((field.name, through))
    return result


def backup_models() -> list[type[models.Model]]:
    """Every table of the backup: every concrete, managed model of every installed app, parents
    before children, then the auto-created through models of their many-to-many fields."""
    chosen = [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]
    app_list: dict[Any, list[type[models.Model]] | None] = defaultdict(list)
    for model in chosen:
        entry = app_list[model._meta.app_config]
        assert entry is not None
        entry.append(model)
    ordered: list[type[models.Model]] = serializers.sort_dependencies(app_list.items())
    through = [through for model in ordered for _, through in _auto_through(model)]
    return ordered + through


def applied_migrations() -> dict[str, list[str]]:
    """The migrations applied to the database, per app (sorted)."""
    result: dict[str, list[str]] = defaultdict(list)
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        result[app].append(name)
    return dict(result)


def _plain(value: Any) -> Any:
    """JSON for the values Django's python serialiser leaves as objects (exact, not rounded)."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"{type(value).__name__} cannot be written to a backup")


class _RowSerializer(PythonSerializer):
    """Django's python serialiser without the lists of related keys of many-to-many fields with
    an auto-created through table: that table is written as a table of its own, with its ids
    (the lists would re-create its rows with new ids)."""

    def handle_m2m_field(self, obj: Any, field: Any) -> None:
        return


def _rows(model: type[models.Model]) -> Iterator[dict[str, Any]]:
    queryset = model._default_manager.order_by("pk")
    rows: list[dict[str, Any]] = _RowSerializer().serialize(queryset.iterator(chunk_size=2000))
    yield from rows


def backup_write(stream: IO[str]) -> dict[str, int]:
    """Write the backup to ``stream``; returns the number of rows per model."""
    counts: dict[str, int] = {}
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "onderdak_version": _onderdak_version(),
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "migrations": applied_migrations(),
    }
    stream.write("{")
    for key, value in header.items():
        stream.write(f"{json.dumps(key)}: {json.dumps(value)},\n")
    stream.write('"tables": {')
    with transaction.atomic():  # one consistent snapshot
        for index, model in enumerate(backup_models()):
            label = model._meta.label_lower
            stream.write(("," if index else "") + f"\n{json.dumps(label)}: [")
            count = 0
            for row in _rows(model):
                stream.write(("," if count else "") + "\n")
                stream.write(json.dumps(row, default=_plain, ensure_ascii=False))
                count += 1
            stream.write("]")
            counts[label] = count
    stream.write("\n}}\n")
    return counts


def backup_read_header(path: Path) -> dict[str, Any]:
    data = _load(path)
    return {k: v for k, v in data.items() if k != "tables"}


def _load(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as stream:
            data = json.load(stream)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{path} is geen leesbare back-up: {error}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path} is geen Onderdak-back-up.")
    if data.get("format_version") not in READABLE_VERSIONS:
        readable = ", ".join(str(number) for number in READABLE_VERSIONS[:-1])
        raise BackupError(
            f"{path} heeft formaatversie {data.get('format_version')}; deze versie van "
            f"Onderdak leest de formaatversies {readable} en {READABLE_VERSIONS[-1]}. "
            "Herstel de back-up met de versie van Onderdak die hem maakte, of een nieuwere."
        )
    return data


def migration_differences(stored: dict[str, list[str]]) -> list[str]:
    """How the file's migrations differ from the database's (empty: they match)."""
    here = applied_migrations()
    differences = []
    for app in sorted(set(stored) | set(here)):
        only_file = sorted(set(stored.get(app, [])) - set(here.get(app, [])))
        only_db = sorted(set(here.get(app, [])) - set(stored.get(app, [])))
        if only_file:
            differences.append(f"{app}: alleen in de back-up: {', '.join(only_file)}")
        if only_db:
            differences.append(f"{app}: alleen in de database: {', '.join(only_db)}")
    return differences


def backup_restore(path: Path) -> dict[str, int]:
    """Replace every table's rows by the backup's, in one transaction. Raises
    :class:`BackupError` for a file from another migration state (nothing is changed)."""
    data = _load(path)
    differences = migration_differences(data.get("migrations", {}))
    if differences:
        raise BackupError(
            "De back-up hoort bij een andere stand van de database (migraties); er is niets "
            "hersteld.\n  " + "\n  ".join(differences)
        )
    tables: dict[str, list[dict[str, Any]]] = data["tables"]
    known = {model._meta.label_lower: model for model in backup_models()}
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise BackupError(f"De back-up bevat onbekende tabellen: {', '.join(unknown)}.")
    # A through table in the file holds the links with their ids; a list of related keys on the
    # owner's rows (format version 1 has no through tables) would add them a second time.
    left_out: dict[str, set[str]] = defaultdict(set)
    for model in known.values():
        for name, through in _auto_through(model):
            if through._meta.label_lower in tables:
                left_out[model._meta.label_lower].add(name)
    counts: dict[str, int] = {}
    with transaction.atomic():
        flush = connection.ops.sql_flush(
            no_style(),
            connection.introspection.django_table_names(only_existing=True),
            allow_cascade=True,
        )
        connection.ops.execute_sql_flush(flush)
        for label in known:
            rows = tables.get(label, [])
            if left_out[label]:
                rows = [
                    {
                        **row,
                        "fields": {
                            name: value
                            for name, value in row.get("fields", {}).items()
                            if name not in left_out[label]
                        },
                    }
                    for row in rows
                ]
            for item in serializers.deserialize("python", rows, ignorenonexistent=False):
                item.save()
            counts[label] = len(rows)
        reset = connection.ops.sequence_reset_sql(no_style(), list(known.values()))
        if reset:
            with connection.cursor() as cursor:
                for statement in reset:
                    cursor.execute(statement)
    return counts
