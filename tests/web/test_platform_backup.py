"""Backup and restore (issue 11): demo data -> backup -> flush -> restore leaves every table
identical; a file from another migration state is refused and changes nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

import pytest

from onderdak.apps.core.backup import backup_models

pytestmark = pytest.mark.django_db(transaction=True)


def table_dump() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, as the database returns it, in primary-key order."""
    dump: dict[str, list[tuple[Any, ...]]] = {}
    tables = connection.introspection.django_table_names(only_existing=True)
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            dump[table] = sorted(cursor.fetchall(), key=repr)
    return dump


@pytest.fixture
def demo(reference: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONDERDAK_DEMO_PASSWORD", "demo-wachtwoord-123")
    call_command("demo", no_serve=True, stdout=io.StringIO())


def test_round_trip_leaves_every_table_identical(demo: None, tmp_path: Path) -> None:
    before = table_dump()
    assert len(before["programme_decision"]) > 0 and len(before["housing_household"]) > 0
    target = tmp_path / "backup.json"
    call_command("backup", out=target, stdout=io.StringIO())
    header = json.loads(target.read_text())
    assert header["format"] == "onderdak-backup" and "accounts" in header["migrations"]
    assert set(header["tables"]) == {m._meta.label_lower for m in backup_models()}

    call_command("flush", interactive=False, verbosity=0)
    assert table_dump()["programme_decision"] == []

    call_command("restore", str(target), yes=True, stdout=io.StringIO())
    after = table_dump()
    assert after.keys() == before.keys()
    for table, rows in before.items():
        assert after[table] == rows, table


def test_restore_refuses_and_changes_nothing(demo: None, tmp_path: Path) -> None:
    good = tmp_path / "backup.json"
    call_command("backup", out=good, stdout=io.StringIO())
    data = json.loads(good.read_text())
    before = table_dump()

    # without --yes and without a terminal to ask on
    with pytest.raises(CommandError, match="bevestig met --yes"):
        call_command("restore", str(good), stdout=io.StringIO())

    # a file from another migration state
    future = json.loads(json.dumps(data))
    future["migrations"]["programme"].append("9999_from_the_future")
    future["tables"]["programme.decision"] = []
    (tmp_path / "future.json").write_text(json.dumps(future))
    with pytest.raises(CommandError, match="andere stand van de database"):
        call_command("restore", str(tmp_path / "future.json"), yes=True)
    assert table_dump() == before

    # a row that breaks a foreign key: the whole restore (and its flush) is rolled back
    broken = json.loads(json.dumps(data))
    row = dict(broken["tables"]["programme.decision"][0])
    row["fields"] = {**row["fields"], "organisation": 987654}  # no such organisation
    broken["tables"]["programme.decision"].append({**row, "pk": 987654})
    (tmp_path / "broken.json").write_text(json.dumps(broken))
    with pytest.raises(Exception):  # noqa: B017, PT011 - the database's integrity error
        call_command("restore", str(tmp_path / "broken.json"), yes=True, stdout=io.StringIO())
    assert table_dump() == before


def test_not_a_backup_is_a_clear_message(tmp_path: Path) -> None:
    target = tmp_path / "other.json"
    target.write_text('{"hello": 1}')
    with pytest.raises(CommandError, match="geen Onderdak-back-up"):
        call_command("restore", str(target), yes=True)
