"""``onderdak serve``: gunicorn on every core, settings from options and environment, static
files collected only when out of date, a restart without downtime (issue 11, "Load")."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

import pytest

from onderdak.apps.core.management.commands import serve

ROOT = Path(__file__).resolve().parents[2]
OPTIONS: dict[str, Any] = {"host": "127.0.0.1", "port": 8123}


def test_defaults_use_gthread_workers_on_every_core() -> None:
    config = serve.gunicorn_options(OPTIONS, {})
    assert config["worker_class"] == "gthread"
    assert config["workers"] == 2 * serve.usable_cores()
    assert config["threads"] == 2
    assert config["bind"] == ["127.0.0.1:8123"]
    assert config["forwarded_allow_ips"] == ""  # no proxy trusted unless configured
    assert config["control_socket_disable"] is True


def test_environment_then_options_set_workers_threads_and_timeouts() -> None:
    environ = {
        "ONDERDAK_WORKERS": "3",
        "ONDERDAK_THREADS": "6",
        "ONDERDAK_TIMEOUT": "90",
        "ONDERDAK_GRACEFUL_TIMEOUT": "10",
    }
    config = serve.gunicorn_options(OPTIONS, environ)
    assert (config["workers"], config["threads"], config["timeout"]) == (3, 6, 90)
    assert config["graceful_timeout"] == 10
    config = serve.gunicorn_options({**OPTIONS, "workers": 5, "threads": 2}, environ)
    assert (config["workers"], config["threads"]) == (5, 2)


def test_trusted_proxies_become_gunicorns_forwarded_allow_ips() -> None:
    environ = {"ONDERDAK_TRUSTED_PROXIES": " 10.0.0.1, 10.0.0.2 ,"}
    assert serve.gunicorn_options(OPTIONS, environ)["forwarded_allow_ips"] == "10.0.0.1,10.0.0.2"


@pytest.mark.parametrize("value", ["veel", "0", "-2"])
def test_a_bad_value_is_refused_loudly(value: str) -> None:
    with pytest.raises(CommandError, match="ONDERDAK_WORKERS"):
        serve.gunicorn_options(OPTIONS, {"ONDERDAK_WORKERS": value})


def test_static_files_are_collected_only_when_out_of_date(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "app.css").write_text("body { color: black; }")
    settings.STATICFILES_DIRS = [source]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "static"

    assert not serve.static_up_to_date()
    assert serve.collect_static_if_needed() is True
    assert (tmp_path / "static/app.css").read_text() == "body { color: black; }"
    assert serve.static_up_to_date()
    assert serve.collect_static_if_needed() is False  # a restart does not collect again

    (source / "app.css").write_text("body { color: navy; }")
    os.utime(source / "app.css", ns=(time.time_ns(), time.time_ns() + 10**9))
    assert not serve.static_up_to_date()
    assert serve.collect_static_if_needed() is True
    assert (tmp_path / "static/app.css").read_text() == "body { color: navy; }"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _probe(port: int) -> int | None:
    """The HTTP status of /healthz (503 without migrations is an answer too), None if refused."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/healthz")
        status: int = connection.getresponse().status
        return status
    except OSError:
        return None
    finally:
        connection.close()


def _wait(condition: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_serve_runs_workers_and_restarts_without_downtime(tmp_path: Path) -> None:
    port = _free_port()
    pidfile = tmp_path / "onderdak.pid"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ONDERDAK_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="onderdak.conf.test",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    command = [sys.executable, "-m", "onderdak.cli", "serve", "--port", str(port)]
    command += ["--workers", "2", "--threads", "2", "--pidfile", str(pidfile)]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        assert _wait(lambda: _probe(port) is not None, 90), "the server did not answer"
        master = int(pidfile.read_text())
        assert master == process.pid
        children = Path(f"/proc/{master}/task/{master}/children")
        # the workers (the first may answer before the second is forked)
        assert _wait(lambda: len(children.read_text().split()) == 2, 30)

        os.kill(master, signal.SIGUSR2)  # new code: a new master on the same socket
        answers: list[int | None] = []

        def replaced() -> bool:
            answers.append(_probe(port))
            return process.poll() is not None

        assert _wait(replaced, 90), "the old master did not stop"
        assert None not in answers, "a request was refused during the restart"
        assert process.returncode == 0  # the old master stopped gracefully
        assert _wait(lambda: pidfile.exists() and int(pidfile.read_text()) != master, 30)
        successor = int(pidfile.read_text())
        assert _probe(port) is not None
        os.kill(successor, signal.SIGTERM)
        assert _wait(lambda: not _alive(successor), 60)
    finally:
        if process.poll() is None:
            process.kill()
        if pidfile.exists():
            pid = int(pidfile.read_text())
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_templates_are_compiled_before_the_workers_are_forked() -> None:
    from django.template import engines

    loader = engines["django"].engine.template_loaders[0]  # type: ignore[attr-defined]
    loader.reset()
    assert serve.compile_templates() > 20
    assert "core/dashboard.html" in {key.split(":")[0] for key in loader.get_template_cache}
