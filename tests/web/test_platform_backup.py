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

from onderdak.apps.accounts.models import Organisation
from onderdak.apps.audit.models import AuditEntry
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


def through_rows() -> list[tuple[int, int, int]]:
    """(id, audit entry, organisation) of every row of AuditEntry.organisations' auto-created
    through table, in id order."""
    through = AuditEntry.organisations.through
    return sorted(through.objects.values_list("id", "auditentry_id", "organisation_id"))


def test_round_trip_keeps_the_ids_of_auto_created_many_to_many_rows(
    organisations: dict[str, Organisation], tmp_path: Path
) -> None:
    """An auto-created through table (no through model of its own) is a table of the backup
    like any other: its rows come back with their ids, not re-created from the owner's lists
    (which would number them anew, in another order), and its sequence continues after them."""
    entries = [
        AuditEntry.objects.create(
            action="update", object_type="test.thing", object_id=str(n), object_repr=f"ding {n}"
        )
        for n in range(3)
    ]
    first, second, third = entries
    # links added newest entry first, some removed: ids with gaps, out of the owners' order
    third.organisations.add(organisations["diemen"], organisations["amsterdam"])
    first.organisations.add(organisations["uithoorn"], organisations["duoplus"])
    second.organisations.add(organisations["ouder-amstel"])
    first.organisations.remove(organisations["duoplus"])
    third.organisations.remove(organisations["diemen"])
    first.organisations.add(organisations["diemen"])
    links = through_rows()
    assert len(links) == 4 and [row[0] for row in links] != list(range(1, 5))
    before = table_dump()

    target = tmp_path / "backup.json"
    call_command("backup", out=target, stdout=io.StringIO())
    data = json.loads(target.read_text())
    table = data["tables"]["audit.auditentry_organisations"]
    assert [
        (row["pk"], row["fields"]["auditentry"], row["fields"]["organisation"]) for row in table
    ] == links
    assert all("organisations" not in row["fields"] for row in data["tables"]["audit.auditentry"])

    # restore into a database in use (its sequences are past the backup's ids)
    second.organisations.add(organisations["amsterdam"])
    call_command("restore", str(target), yes=True, stdout=io.StringIO())
    assert through_rows() == links
    assert table_dump() == before

    # and into an emptied one (sequences back at 1): the restore sets them past its ids
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(target), yes=True, stdout=io.StringIO())
    assert through_rows() == links
    second.organisations.add(organisations["uithoorn"])
    added = AuditEntry.organisations.through.objects.get(
        auditentry=second, organisation=organisations["uithoorn"]
    )
    assert added.pk > max(row[0] for row in links)


def test_restore_reads_a_version_1_file(
    organisations: dict[str, Organisation], tmp_path: Path
) -> None:
    """A file of format version 1 holds the auto-created many-to-many links as lists on the
    owner's rows and no through tables: it is still restored, links and all (ids anew)."""
    entry = AuditEntry.objects.create(
        action="create", object_type="test.thing", object_id="1", object_repr="ding"
    )
    entry.organisations.add(organisations["diemen"], organisations["uithoorn"])
    target = tmp_path / "backup.json"
    call_command("backup", out=target, stdout=io.StringIO())
    data = json.loads(target.read_text())
    data["format_version"] = 1
    links = data["tables"].pop("audit.auditentry_organisations")
    for row in data["tables"]["audit.auditentry"]:
        row["fields"]["organisations"] = [
            link["fields"]["organisation"]
            for link in links
            if link["fields"]["auditentry"] == row["pk"]
        ]
    for label in [label for label in data["tables"] if label.endswith(("_groups", "_permissions"))]:
        assert data["tables"].pop(label) == [], label
    old = tmp_path / "version-1.json"
    old.write_text(json.dumps(data))

    entry.organisations.clear()
    call_command("restore", str(old), yes=True, stdout=io.StringIO())
    assert set(AuditEntry.objects.get(pk=entry.pk).organisations.all()) == {
        organisations["diemen"],
        organisations["uithoorn"],
    }


def test_a_newer_format_is_refused_in_dutch(tmp_path: Path) -> None:
    target = tmp_path / "future.json"
    target.write_text(json.dumps({"format": "onderdak-backup", "format_version": 99}))
    with pytest.raises(CommandError, match="formaatversie 99; deze versie van Onderdak leest"):
        call_command("restore", str(target), yes=True)
