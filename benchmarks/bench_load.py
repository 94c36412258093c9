"""Load benchmark: the web application under simulated users, against the old configuration.

    .venv/bin/python benchmarks/bench_load.py            # full run (about 9 minutes)
    .venv/bin/python benchmarks/bench_load.py --quick    # smoke run (about 4 minutes)
    .venv/bin/python benchmarks/bench_load.py --pages    # per-page times of one user only

Self-contained and bounded, loopback only:

1. (Re)creates the PostgreSQL database ``onderdak_load`` on 127.0.0.1:5432 (user postgres),
   migrates it and loads the demo (``onderdak demo --no-serve``, development settings: the demo
   refuses production settings). Skipped with a message, exit code 0, when PostgreSQL does not
   answer. Then the interpreter time of each page of the mix for one user (``--pages``: only
   that).
2. For each server, started on a free port with production settings (``onderdak.conf.base``,
   DEBUG off): the time from start to a healthy ``/healthz`` (200), then locust headless with
   50 simulated users (1-3 s think time) over the demo roles' mix of pages (``locustfile.py``:
   dashboard, quotas, region, sites list, ranking with slider changes, housing, care, API lists)
   for a fixed duration, then a closed-loop run (no think time) for the maximum throughput.
   A warm-up of 30 s (16 users, no think time; not measured) precedes the measured runs, so
   both servers are compared in their steady state. Every simulated user has a logged-in
   session of its demo account, made beforehand: logging in 50 users at once would measure
   password hashing, not the pages. Statistics are reset once every user has started.
3. Servers: ``onderdak serve`` (gunicorn, gthread workers on every core, persistent database
   connections) and the reference, the old configuration measured in the same run: ``onderdak
   serve --server waitress`` (one process, 8 threads), DEBUG on, a new database connection per
   request. The chart cache is code, so the reference has it too; issue 11's figures for the
   old code are printed next to the results.
4. The zero-downtime restart of the production server (``USR2``): probes of ``/healthz`` every
   50 ms until the old master has stopped; every probe must be answered.

Prints sizes, p50/p95/p99, errors, requests/s, the ratio to the reference and the restart times.
Exits 1 only when a server does not start or the benchmark itself fails: the machines are
shared, so the targets (p95 < 300 ms and 0 errors at 50 users, closed loop >= 5x the old
11-14 requests/s, restart to healthy < 2 s) are reported, not enforced.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from timing import out

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "onderdak_load"
#: One secret key for the whole run: the sessions made beforehand are signed with it.
SECRET_KEY = secrets.token_urlsafe(50)
#: Issue 11, measured on the old code (waitress, DEBUG, no persistent connections).
OLD = "old code (issue 11): 50 users p50 1.8 s / p95 3.9 s; closed loop 11-14 req/s"


@dataclass
class Result:
    users: int
    seconds: int
    requests: int
    failures: int
    p50: float
    p95: float
    p99: float
    rps: float
    pages: list[tuple[str, int, float, float]]  # name, requests, p50, p95


def postgres_reachable() -> bool:
    import psycopg

    try:
        psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")


def environment(**extra: str) -> dict[str, str]:
    """Production settings on loopback HTTP; nothing inherited from the caller's Django setup."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "ONDERDAK_", "DATABASE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="onderdak.conf.base",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_DEBUG="false",
        ONDERDAK_HTTPS="false",
        DATABASE_URL=f"{PG_SERVER}/{DATABASE}",
    )
    env.update(extra)
    return env


#: Run with the benchmark's settings: one logged-in session per simulated user and demo role,
#: written as "cookie-name username session-key" lines. Logging in 50 users at once would
#: measure password hashing (PBKDF2, about half a second of CPU each), not page views.
SESSIONS = """
import importlib, sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
store = importlib.import_module(settings.SESSION_ENGINE).SessionStore
backends = settings.AUTHENTICATION_BACKENDS
backend = next((b for b in backends if b.endswith("ModelBackend")), backends[-1])
for name in ("demo-editor", "demo-viewer", "demo-coordinator"):
    user = get_user_model().objects.get(username=name)
    for _ in range(int(sys.argv[1])):
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        print(settings.SESSION_COOKIE_NAME, name, session.session_key)
"""


#: Run with the benchmark's settings: the interpreter time of each page of the mix for one user
#: (after one unmeasured request: caches warm, as in the steady state), median of ``argv[1]``.
PAGES = """
import statistics, sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
PAGES = [
    ("demo-editor", "/", "dashboard"),
    ("demo-editor", "/taakstellingen/", "quotas"),
    ("demo-editor", "/regio/DUOPLUS/", "region"),
    ("demo-editor", "/locaties/", "sites list"),
    ("demo-editor", "/locaties/rangschikking/", "ranking"),
    ("demo-editor", "/locaties/rangschikking/?method=promethee2", "ranking promethee2"),
    ("demo-editor", "/huisvesting/", "housing complexes"),
    ("demo-editor", "/huisvesting/huishoudens/", "housing households"),
    ("demo-editor", "/zorg/", "care"),
    ("demo-editor", "/zorg/vraag-en-capaciteit/", "care demand"),
    ("demo-editor", "/api/v1/sites", "api sites"),
    ("demo-editor", "/api/v1/complexes", "api complexes"),
    ("demo-editor", "/api/v1/quota-rounds", "api quota rounds"),
    ("demo-editor", "/api/v1/care/services", "api care services"),
    ("demo-coordinator", "/regio/afspraken/", "region agreements"),
]
clients = {}
for name in {user for user, _path, _label in PAGES}:
    clients[name] = Client(HTTP_HOST="127.0.0.1")
    clients[name].force_login(get_user_model().objects.get(username=name))
for user, path, label in PAGES:
    client = clients[user]
    assert client.get(path).status_code == 200, path
    times = []
    for _ in range(int(sys.argv[1])):
        with CaptureQueriesContext(connection) as queries:
            started = time.thread_time()
            response = client.get(path)
            times.append((time.thread_time() - started) * 1000)
        assert response.status_code == 200, path
    print(f"  {label:<22} {statistics.median(times):6.1f} ms  {len(queries):>3} queries")
"""


def page_times(repeat: int) -> str:
    """:data:`PAGES` in a subprocess with the production settings; its report."""
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-c", PAGES, str(repeat)],
        cwd=ROOT,
        env=environment(),
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return result.stdout.rstrip()


def create_sessions(count: int, path: Path) -> None:
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-c", SESSIONS, str(count)],
        cwd=ROOT,
        env=environment(),
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    path.write_text(result.stdout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def probe(port: int, timeout: float = 5.0) -> int | None:
    """The status of /healthz, None when the connection is refused or times out."""
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/healthz", timeout=timeout
        ) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


class Server:
    """``onderdak serve`` in a subprocess; ``healthy_after`` is the start-to-healthy time."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log: Path) -> None:
        self.name = name
        self.port = free_port()
        self.pidfile = log.with_suffix(".pid")
        self.log = log
        command = [str(BIN / "onderdak"), "serve", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), *args]
        started = time.monotonic()
        self.process = subprocess.Popen(  # noqa: S603 - our own command
            command,
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = started + 180
        while probe(self.port) != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{name} did not become healthy; see {log}")
            time.sleep(0.05)
        self.healthy_after = time.monotonic() - started

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        pids = {self.process.pid}
        if self.pidfile.exists():
            pids.add(int(self.pidfile.read_text()))
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def zero_downtime_restart(server: Server) -> tuple[float, int, int, float]:
    """USR2 the master; probe until the old one stopped: (seconds, probes, refused, slowest)."""
    master = int(server.pidfile.read_text())
    started = time.monotonic()
    os.kill(master, signal.SIGUSR2)
    probes = refused = 0
    slowest = 0.0
    while server.process.poll() is None and time.monotonic() - started < 120:
        before = time.monotonic()
        status = probe(server.port)
        slowest = max(slowest, time.monotonic() - before)
        probes += 1
        refused += status is None
        time.sleep(0.05)
    seconds = time.monotonic() - started
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the successor renames its pidfile when promoted
        if server.pidfile.exists() and int(server.pidfile.read_text()) != master:
            break
        time.sleep(0.1)
    return seconds, probes, refused, slowest


def run_locust(
    server: Server, *, users: int, seconds: int, think: bool, workdir: Path, label: str
) -> Result:
    prefix = workdir / label
    command = [str(BIN / "locust"), "-f", str(ROOT / "benchmarks/locustfile.py"), "--headless"]
    command += ["--users", str(users), "--spawn-rate", str(max(1, users // 2))]
    command += ["--run-time", f"{seconds}s", "--host", server.url, "--csv", str(prefix)]
    command += ["--only-summary", "--reset-stats", "--stop-timeout", "10", "--loglevel", "ERROR"]
    env = dict(
        os.environ,
        ONDERDAK_LOAD_SESSIONS=str(workdir / "sessions.txt"),
        ONDERDAK_LOAD_THINK="1" if think else "0",
    )
    subprocess.run(  # noqa: S603 - our own command
        command,
        cwd=ROOT,
        env=env,
        stdout=(workdir / f"{label}.log").open("w"),
        stderr=subprocess.STDOUT,
        check=False,
        timeout=seconds + 180,
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    pages = [
        (r["Name"], int(r["Request Count"]), float(r["50%"]), float(r["95%"]))
        for r in rows
        if r["Name"] != "Aggregated" and int(r["Request Count"]) > 0  # "N/A" percentiles
    ]
    return Result(
        users=users,
        seconds=seconds,
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        p50=float(total["50%"]),
        p95=float(total["95%"]),
        p99=float(total["99%"]),
        rps=float(total["Requests/s"]),
        pages=sorted(pages),
    )


def line(name: str, result: Result) -> str:
    return (
        f"| {name} | {result.users} | {result.seconds} s | {result.requests:,} | "
        f"{result.failures} | {result.p50:.0f} ms | {result.p95:.0f} ms | {result.p99:.0f} ms | "
        f"{result.rps:.1f} |"
    )


def report(
    results: dict[str, tuple[float, Result, Result]],
    names: list[str],
    restart: tuple[float, int, int, float] | None,
    *,
    users: int,
) -> None:
    out("\n| server | users | duration | requests | errors | p50 | p95 | p99 | req/s |")
    out("|---|---|---|---|---|---|---|---|---|")
    for name, (_healthy, think, closed) in results.items():
        out(line(f"{name}, 1-3 s think", think))
        out(line(f"{name}, closed loop", closed))
    production = results[names[0]]
    out("\nPer page, gunicorn, 1-3 s think time (requests, p50, p95):")
    for page, count, p50, p95 in production[1].pages:
        out(f"  {page:<22} {count:>6,}  {p50:>6.0f} ms  {p95:>6.0f} ms")
    if len(results) == 2:
        reference = results[names[1]]
        out(
            f"\nRatio to the reference: p95 at {users} users "
            f"{reference[1].p95 / max(production[1].p95, 1):.1f}x lower; closed-loop throughput "
            f"{production[2].rps / max(reference[2].rps, 0.1):.1f}x higher"
        )
    out(OLD)
    if restart is not None:
        seconds_, probes, refused, slowest = restart
        out(
            f"Restart to healthy: cold start {production[0]:.2f} s; zero-downtime restart (USR2) "
            f"{seconds_:.1f} s until the old master stopped, {probes} probes, {refused} refused, "
            f"slowest {slowest * 1000:.0f} ms"
        )
    think = production[1]
    met = [
        ("p95 < 300 ms at 50 users", think.p95 < 300),
        ("0 errors", think.failures == 0 and production[2].failures == 0),
        ("closed loop >= 5 x 11-14 req/s (>= 70)", production[2].rps >= 70),
        ("cold start to healthy < 2 s", production[0] < 2),
        ("restart without downtime (USR2)", restart is not None and restart[2] == 0),
    ]
    out("Targets: " + "; ".join(f"{name}: {'met' if ok else 'NOT met'}" for name, ok in met))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short runs (about 2 minutes)")
    parser.add_argument("--users", type=int, default=50, help="simulated users (default 50)")
    parser.add_argument("--seconds", type=int, help="seconds of the think-time run (default 60)")
    parser.add_argument("--no-reference", action="store_true", help="skip the old configuration")
    parser.add_argument(
        "--pages", action="store_true", help="only the per-page times of one user (no servers)"
    )
    args = parser.parse_args(argv)
    seconds = args.seconds or (20 if args.quick else 60)
    closed_seconds = 10 if args.quick else 30
    closed_users = 16

    if not postgres_reachable():
        out(f"SKIPPED: PostgreSQL does not answer at {PG_SERVER} (the load benchmark needs it).")
        return 0
    out(
        f"Load benchmark on {platform.machine()} ({os.cpu_count()} cores, shared), Python "
        f"{platform.python_version()}; PostgreSQL database {DATABASE} on 127.0.0.1"
    )
    recreate_database()
    started = time.monotonic()
    subprocess.run(  # noqa: S603 - our own command
        [str(BIN / "onderdak"), "demo", "--no-serve"],
        cwd=ROOT,
        # the demo refuses the production settings (it makes demo accounts); same database
        env=environment(DJANGO_SETTINGS_MODULE="onderdak.conf.dev"),
        check=True,
        capture_output=True,
        timeout=600,
    )
    out(
        f"Demo loaded (migrations, reference data, Diemen and Duo+) in {time.monotonic() - started:.0f} s"
    )

    out(
        "\nPer page, one user, interpreter time of the request (median of 7; production "
        "settings, caches warm):\n" + page_times(7)
    )
    if args.pages:
        return 0

    servers = [("gunicorn (onderdak serve)", [], environment())]
    if not args.no_reference:
        servers.append(
            (
                "reference: waitress, DEBUG, no persistent connections",
                ["--server", "waitress", "--threads", "8"],
                environment(DJANGO_DEBUG="true", ONDERDAK_DB_CONN_MAX_AGE="0"),
            )
        )
    results: dict[str, tuple[float, Result, Result]] = {}
    restart: tuple[float, int, int, float] | None = None
    with tempfile.TemporaryDirectory(prefix="onderdak-load-") as tmp:
        workdir = Path(tmp)
        for index, (name, serve_args, env) in enumerate(servers):
            extra = ["--pidfile", str(workdir / f"server{index}.pid")] if index == 0 else []
            if index == 0:
                create_sessions(max(args.users, closed_users), workdir / "sessions.txt")
            server = Server(name, [*serve_args, *extra], env, workdir / f"server{index}.log")
            try:
                out(f"\n{name}: healthy {server.healthy_after:.2f} s after start")
                # Warm-up, not measured: every worker renders its charts and fills its caches
                # once, as after any start; the measured runs then see the steady state.
                run_locust(
                    server, users=16, seconds=30, think=False, workdir=workdir, label=f"warm{index}"
                )
                think = run_locust(
                    server,
                    users=args.users,
                    seconds=seconds,
                    think=True,
                    workdir=workdir,
                    label=f"think{index}",
                )
                out(line("1-3 s think time", think))
                closed = run_locust(
                    server,
                    users=closed_users,
                    seconds=closed_seconds,
                    think=False,
                    workdir=workdir,
                    label=f"closed{index}",
                )
                out(line("closed loop", closed))
                results[name] = (server.healthy_after, think, closed)
                if index == 0:
                    restart = zero_downtime_restart(server)
            finally:
                server.stop()

    report(results, [name for name, _a, _e in servers], restart, users=args.users)
    return 0


if __name__ == "__main__":
    sys.exit(main())
