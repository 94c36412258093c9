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


# --- production-safe by default (issue 11) -------------------------------------------------

PRODUCTION = {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "onderdak.example"}


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ONDERDAK_"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "onderdak.cli", *args],
        capture_output=True,
        text=True,
        env=clean,
        cwd=ROOT,
        check=False,
        timeout=120,
    )


def test_commands_run_with_production_settings_unless_told_otherwise() -> None:
    from onderdak.cli import settings_module_for

    saved = os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    try:
        assert settings_module_for("serve") == "onderdak.conf.base"
        assert settings_module_for("migrate") == "onderdak.conf.base"
        assert settings_module_for("demo") == "onderdak.conf.dev"
        assert settings_module_for("compile-translations") == "onderdak.conf.dev"
        os.environ["DJANGO_SETTINGS_MODULE"] = "onderdak.conf.base"
        assert settings_module_for("demo") == "onderdak.conf.base"
    finally:
        os.environ.pop("DJANGO_SETTINGS_MODULE", None)
        if saved is not None:
            os.environ["DJANGO_SETTINGS_MODULE"] = saved


def test_serve_without_settings_refuses_instead_of_running_in_debug() -> None:
    result = _cli("serve", "--help")
    assert result.returncode == 2
    assert "DJANGO_SECRET_KEY is required" in result.stderr
    assert "DJANGO_SETTINGS_MODULE=onderdak.conf.dev" in result.stderr
    assert "Traceback" not in result.stderr


def test_wsgi_defaults_to_production_settings() -> None:
    code = "import os, onderdak.wsgi; print(os.environ['DJANGO_SETTINGS_MODULE'])"
    result = _run(code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "onderdak.conf.base"


def test_anonymous_users_get_no_debug_page_under_default_settings(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client(HTTP_HOST='onderdak.example').get('/does-not-exist/'); "
        "print(r.status_code, b'URLconf' in r.content, b'Traceback' in r.content)"
    )
    result = _run(
        code,
        DJANGO_SETTINGS_MODULE="onderdak.conf.base",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["404", "False", "False"]


def test_demo_refuses_production_settings(tmp_path: Path) -> None:
    result = _cli(
        "demo",
        "--no-serve",
        DJANGO_SETTINGS_MODULE="onderdak.conf.base",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **PRODUCTION,
    )
    assert result.returncode != 0
    assert "De demo draait niet met productie-instellingen" in result.stderr
    assert not (tmp_path / "db.sqlite3").exists() or (tmp_path / "db.sqlite3").stat().st_size == 0


def test_proxy_header_is_trusted_only_with_trusted_proxies() -> None:
    code = "import onderdak.conf.base as s; print(s.SECURE_PROXY_SSL_HEADER, s.TRUSTED_PROXIES)"
    without = _run(code, **PRODUCTION)
    assert without.stdout.strip() == "None []"
    proxied = _run(code, ONDERDAK_TRUSTED_PROXIES="10.0.0.2, 10.0.0.3", **PRODUCTION)
    assert proxied.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https') ['10.0.0.2', '10.0.0.3']"


def test_sqlite_waits_for_the_lock_and_begins_immediately(tmp_path: Path) -> None:
    code = "import onderdak.conf.base as s; o = s.DATABASES['default']['OPTIONS']; print(o)"
    result = _run(code, DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "'transaction_mode': 'IMMEDIATE'" in result.stdout
    assert "journal_mode=WAL" in result.stdout and "'timeout': 30" in result.stdout


def test_login_lockout_limits_come_from_the_environment() -> None:
    code = "import onderdak.conf.base as s; print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME)"
    result = _run(
        code,
        ONDERDAK_LOGIN_FAILURE_LIMIT="7",
        ONDERDAK_LOGIN_COOLOFF_MINUTES="30",
        **PRODUCTION,
    )
    assert result.stdout.strip() == "7 0:30:00"


#: Libraries that only some pages need, imported on first use (start-up time, issue 11): the
#: workbook and document writers, the projections and the geometry library.
LAZY_LIBRARIES = ("openpyxl", "docx", "pyproj", "shapely", "altair")


def test_start_up_leaves_page_specific_libraries_unimported(tmp_path: Path) -> None:
    code = (
        "import sys, django; django.setup(); "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        "from django.core.wsgi import get_wsgi_application; get_wsgi_application(); "
        f"print(sorted(m for m in {LAZY_LIBRARIES!r} if m in sys.modules))"
    )
    result = _run(
        code,
        DJANGO_SETTINGS_MODULE="onderdak.conf.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        ONDERDAK_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
