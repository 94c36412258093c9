"""Starting the server imports no engine (issue 11, restart to healthy): the engines load NumPy,
HiGHS and OR-Tools, which only the pages that compute need, on first use."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("numpy", "scipy", "shapely", "pyproj", "highspy", "ortools", "openpyxl", "docx")


@pytest.mark.filterwarnings("ignore")
def test_loading_the_url_configuration_imports_no_engine_and_no_heavy_library() -> None:
    script = (
        "import json, sys, django; django.setup();"
        "from django.core.handlers.wsgi import WSGIHandler; WSGIHandler();"
        "from django.urls import get_resolver; get_resolver().resolve('/healthz');"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}"
        " or m.startswith('onderdak.engines.'))))"
    )
    environ = dict(os.environ, DJANGO_SETTINGS_MODULE="onderdak.conf.test")
    done = subprocess.run(
        [sys.executable, "-c", script], env=environ, capture_output=True, text=True, check=True
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    engines = [m for m in loaded if m.startswith("onderdak.engines.")]
    # the engines' error codes are plain Python and may load; no engine that computes
    assert [m for m in loaded if not m.startswith("onderdak.engines.")] == []
    assert all(m in ("onderdak.engines.errors",) for m in engines), engines


def test_the_deadline_states_written_out_for_the_api_match_the_engine() -> None:
    from onderdak.apps.care.api.views import DEADLINE_STATES
    from onderdak.engines.care import DeadlineState

    assert list(DEADLINE_STATES) == [state.value for state in DeadlineState]
