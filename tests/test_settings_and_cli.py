"""Production settings refuse unsafe configurations; the CLI lists and runs its commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ONDERDAK_"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=clean,
        cwd=ROOT,
        check=False,
        timeout=60,
    )


SETTINGS = (
    "import onderdak.conf.base as s; print(s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.DEBUG)"
)


def test_production_refuses_to_start_without_secret_key() -> None:
    result = _run(SETTINGS, DJANGO_ALLOWED_HOSTS="onderdak.example")
    assert result.returncode != 0 and "DJANGO_SECRET_KEY is required" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts() -> None:
    result = _run(SETTINGS, DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0 and "DJANGO_ALLOWED_HOSTS is required" in result.stderr


def test_production_is_secure_by_default() -> None:
    result = _run(SETTINGS, DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="onderdak.example")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "31536000", "False"]


def test_bad_boolean_is_refused_loudly() -> None:
    result = _run(
        SETTINGS, DJANGO_SECRET_KEY="x", DJANGO_ALLOWED_HOSTS="h", DJANGO_DEBUG="misschien"
    )
    assert result.returncode != 0 and "DJANGO_DEBUG must be true or false" in result.stderr


def test_help_lists_every_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "onderdak.cli", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0
    for command in ("demo", "serve", "load-reference", "migrate", "createsuperuser"):
        assert command in result.stdout


@pytest.mark.django_db
def test_load_reference_cli_exits_non_zero_on_damaged_data(tmp_path: Path) -> None:
    (tmp_path / "cbs").mkdir()
    (tmp_path / "cbs/gemeenten_bevolking_2022_2024.csv").write_text(
        "gm_code,gemeentenaam\nGM0384,Diemen\n"
    )
    env = dict(os.environ)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-m", "onderdak.cli", "load-reference", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=120,
    )
    assert result.returncode != 0
    assert (
        "cbs/gemeenten_bevolking_2022_2024.csv, rij 1, kolom 'provincie_code': kolom ontbreekt"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
