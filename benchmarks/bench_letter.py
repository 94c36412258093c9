"""Benchmark of the quarterly letter (issue 13: "the quarterly letter for Diemen generated in
under 2 s"), on the demo data in a scratch SQLite database.

    .venv/bin/python benchmarks/bench_letter.py            # about 30 seconds
    .venv/bin/python benchmarks/bench_letter.py --quick    # the same (the demo is the size)

What is timed, in a fresh process after ``django.setup()``: Diemen's Q3 2025 letter as the
demo controller, i.e. the figures (the year-end forecast: actuals, budget, costs derived from
housing, care, region and sites; the traffic lights of the policy goals) and both documents
(Word with the chart as an image, Excel). "first" is the first letter of the process (it pays
for starting the chart renderer; loading the URL configuration, which a server does once at
start, is timed on its own line), "warm" the median of
``--repeat`` letters after it. Exit 1 when a document is empty.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import fail, out

ROOT = Path(__file__).resolve().parent.parent
ONDERDAK = Path(sys.executable).with_name("onderdak")

CHILD = """
import statistics, sys, time
import django
django.setup()
from onderdak.apps.accounts.models import User
from onderdak.apps.finance import letter, letter_docx, letter_xlsx
started = time.perf_counter()
from django.urls import get_resolver
get_resolver().url_patterns  # what the server loads when it starts (its first request)
urls = time.perf_counter() - started
user = User.objects.get(username="demo-controller")
organisation = user.memberships.get().organisation

def one():
    started = time.perf_counter()
    item = letter.letter_get(user=user, organisation_id=organisation.pk, year=2025, quarter=3)
    view = letter.letter_view(user=user, letter=item)
    word, excel = letter_docx.letter_docx(view), letter_xlsx.letter_xlsx(view)
    if not word or not excel:
        sys.exit(1)
    return time.perf_counter() - started, len(view.sections), len(word), len(excel)

first, sections, word, excel = one()
warm = [one()[0] for _ in range(int(sys.argv[1]))]
print(urls, first, statistics.median(warm), sections, word, excel)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="same as the full run")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "onderdak.conf.dev",
            "DATABASE_URL": f"sqlite:///{scratch}/db.sqlite3",
            "ONDERDAK_VAR_DIR": scratch,
        }
        started = time.perf_counter()
        subprocess.run(  # noqa: S603 - our own command
            [str(ONDERDAK), "demo", "--no-serve"], env=env, check=True, capture_output=True
        )
        seeded = time.perf_counter() - started
        result = subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, "-c", CHILD, str(arguments.repeat)],
            env=env,
            check=False,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if result.returncode != 0:
            fail(result.stderr[-2000:])
        urls, first, warm, sections, word, excel = result.stdout.split()[-6:]
    out(f"Quarterly letter Q3 2025, Gemeente Diemen (demo data, seeded in {seeded:.1f} s)")
    out(f"  sections (tracks): {sections}; Word {int(word):,} bytes; Excel {int(excel):,} bytes")
    out(f"  loading the URL configuration (once per server process, at start): {float(urls):.2f} s")
    out(f"  first letter of a process after that: {float(first):.2f} s")
    out(f"  warm, median of {arguments.repeat}: {float(warm):.2f} s")
    aim = "met" if float(warm) < 2 and float(first) < 2 else "NOT met"
    out(f"  aim (< 2 s): {aim}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
