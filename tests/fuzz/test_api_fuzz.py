"""Schema-driven API fuzzing (schemathesis) against a running server with the demo data.

The live server serves the demo (``support.prepare_demo``); ``schemathesis run`` reads the
server's own schema and sends generated valid and invalid requests to every operation as the
demo editor (token). The run is bounded (``ONDERDAK_FUZZ_MAX_EXAMPLES`` per operation and phase,
``ONDERDAK_FUZZ_MAX_TIME`` seconds in all) and must find nothing: no server error, no status,
content type or body the schema does not document, no invalid request accepted, no valid one
rejected (a valid one may be refused only by a business rule the schema cannot express:
a 400 of problem type ``urn:onderdak:problem:rule``, see ``hooks.py``). Run alone: ``.venv/bin/pytest tests/fuzz -q``; the report (JUnit, with every failing
request as a curl command) is written to ``var/fuzz/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from rest_framework.authtoken.models import Token

import pytest

from tests.fuzz.support import prepare_demo

ROOT = Path(__file__).resolve().parents[2]
REPORT_DIR = ROOT / "var" / "fuzz"
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    # positive_data_acceptance, except a 400 that a business rule decided (tests/fuzz/hooks.py)
    "positive_data_acceptance_or_rule",
)

pytestmark = pytest.mark.fuzz


def _failures(junit: Path) -> list[str]:
    failures = []
    for case in ET.parse(junit).getroot().iter("testcase"):  # noqa: S314 (our own report)
        for problem in [*case.findall("failure"), *case.findall("error")]:
            text = (problem.get("message") or "") + "\n" + (problem.text or "")
            failures.append(f"{case.get('name')}:\n{text.strip()}")
    return failures


def test_api_fuzzing_finds_no_failure(
    live_server: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    users = prepare_demo(monkeypatch)
    token, _ = Token.objects.get_or_create(user=users["demo-editor"])
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    junit = REPORT_DIR / "junit.xml"
    junit.unlink(missing_ok=True)
    schemathesis = Path(sys.executable).with_name("schemathesis")
    command = [
        str(schemathesis),
        "run",
        f"{live_server.url}/api/v1/schema",
        "--header",
        f"Authorization: Token {token.key}",
        "--header",
        "Accept-Language: nl",
        "--checks",
        ",".join(CHECKS),
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        os.environ.get("ONDERDAK_FUZZ_MAX_EXAMPLES", "10"),
        "--max-time",
        os.environ.get("ONDERDAK_FUZZ_MAX_TIME", "180"),
        "--seed",
        os.environ.get("ONDERDAK_FUZZ_SEED", "11"),
        "--workers",
        "1",  # one request at a time: the test database is SQLite in memory
        "--request-timeout",
        "30",
        # text with NUL is refused by every text field, as the API description says (a rule the
        # schema states once, not per field); test_api_errors checks it
        "--generation-allow-x00",
        "false",
        "--generation-database",
        "none",
        "--no-color",
        "--report",
        "junit",
        "--report-junit-path",
        str(junit),
    ]
    environment = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.fuzz.hooks",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    }
    run = subprocess.run(
        command, capture_output=True, text=True, check=False, cwd=tmp_path, env=environment
    )
    (REPORT_DIR / "output.txt").write_text(run.stdout + run.stderr)
    assert junit.exists(), run.stdout[-3000:] + run.stderr[-3000:]
    failures = _failures(junit)
    assert not failures, (
        f"{len(failures)} operations fail (var/fuzz/output.txt):\n\n"
        + "\n\n".join(failures)[:20000]
    )
    assert run.returncode == 0, run.stdout[-5000:]
