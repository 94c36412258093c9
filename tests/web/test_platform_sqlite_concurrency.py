"""SQLite under concurrent writes (issue 11): 20 threads writing audited records through a real
service into a file database give no "database is locked" (WAL, busy timeout, BEGIN IMMEDIATE)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import sys, threading, traceback
from datetime import date

import django
import onderdak.conf.test as conf
if sys.argv[1] == "plain":  # the options before the fix, to show the test can fail
    conf.DATABASES["default"]["OPTIONS"] = {}
django.setup()

from django.core.management import call_command
from django.db import connection

call_command("migrate", verbosity=0)

from onderdak.apps.accounts.models import Role
from onderdak.apps.accounts.services import organisation_for_municipality, user_set_membership
from onderdak.apps.geo.models import Municipality, Province
from onderdak.apps.programme import services
from onderdak.apps.programme.models import Decision

province = Province.objects.create(code="PV27", name="Noord-Holland")
municipality = Municipality.objects.create(code="GM0384", name="Diemen", province=province)
organisation = organisation_for_municipality(municipality=municipality)
editor = user_set_membership(
    username="editor", organisation=organisation, role=Role.EDITOR, password="x-wachtwoord-123"
)
connection.close()

THREADS, WRITES = 20, 3
barrier = threading.Barrier(THREADS)
errors = []

def write(n):
    from django.db import connection
    try:
        barrier.wait()
        for i in range(WRITES):
            services.decision_create(
                actor=editor, organisation=organisation, decided_on=date(2026, 1, 1),
                body="college", title=f"Besluit {n}-{i}",
            )
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=write, args=(n,)) for n in range(THREADS)]
for t in threads: t.start()
for t in threads: t.join()
print("errors", len(errors), "rows", Decision.objects.count())
with connection.cursor() as cursor:
    print("journal", cursor.execute("PRAGMA journal_mode").fetchone()[0])
print("\n".join(sorted(set(errors))[:3]))
"""


def run_writers(tmp_path: Path, mode: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ONDERDAK_"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'concurrent.sqlite3'}"
    env["DJANGO_SETTINGS_MODULE"] = "onderdak.conf.test"
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_twenty_parallel_writers_on_a_sqlite_file_all_succeed(tmp_path: Path) -> None:
    output = run_writers(tmp_path, "configured")
    lines = output.splitlines()
    assert lines[0] == "errors 0 rows 60", output
    assert lines[1] == "journal wal"
