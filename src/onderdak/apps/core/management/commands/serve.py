"""``onderdak serve``: the production web server (gunicorn, static files via WhiteNoise).

gunicorn with ``gthread`` workers: several processes, so every core serves requests (one Python
process is held by its interpreter lock), each with two threads for requests that wait on the
database or a slow client. More threads cost CPU instead of saving it: the requests are mostly
interpreter work, and threads of one process take turns on its lock (measured on 4 December
2026, 16 users without think time: 59-64 ms of server CPU per request with four threads, 41-56 ms
with one; docs/benchmarks.md). Two workers per core, so a worker busy drawing a chart
(vl-convert holds its interpreter) or computing a ranking does not hold up the requests queued
behind it. The application is loaded once in the master and the workers are forked from it, so
a worker starts in milliseconds. Settings come from options, then the environment, then defaults:

========================  ===============================  ==================================
option                    environment                      default
========================  ===============================  ==================================
``--workers``             ``ONDERDAK_WORKERS``             two per usable core
``--threads``             ``ONDERDAK_THREADS``             2
``--timeout``             ``ONDERDAK_TIMEOUT``             60 s (a worker silent longer is restarted)
``--graceful-timeout``    ``ONDERDAK_GRACEFUL_TIMEOUT``    30 s (to finish requests on stop)
(none)                    ``ONDERDAK_TRUSTED_PROXIES``     none: ``X-Forwarded-*`` is ignored
========================  ===============================  ==================================

Signals to the master (``--pidfile`` writes its process id): ``TERM`` stops gracefully (requests
in progress finish), ``HUP`` replaces the workers, ``USR2`` restarts with the new code without
downtime: a new master loads the application on the same socket while the old one keeps serving,
and its first worker stops the old master gracefully. ``--server waitress`` keeps the previous
single-process server for comparison (the load benchmark uses it as its reference).

Static files are collected only when they are out of date (a fingerprint of the sources'
names, sizes and times in ``STATIC_ROOT``), not on every start: ``make install`` collects them.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import logging
import os
import pkgutil
import signal
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]

#: Written into STATIC_ROOT by the last collection: the fingerprint of the sources it copied.
STATIC_STAMP = ".onderdak-static-fingerprint"
STATIC_IGNORE = ["CVS", ".*", "*~"]

logger = logging.getLogger(__name__)


def _env_int(environ: Mapping[str, str], name: str, default: int, *, minimum: int = 1) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise CommandError(f"{name} must be an integer, not {raw!r}.") from None
    if value < minimum:
        raise CommandError(f"{name} must be at least {minimum}, not {value}.")
    return value


def usable_cores() -> int:
    """The cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def gunicorn_options(options: Mapping[str, Any], environ: Mapping[str, str]) -> dict[str, Any]:
    """gunicorn's settings from the command's options, then the environment, then defaults."""

    def pick(option: str, variable: str, default: int) -> int:
        value = options.get(option)
        if value is not None:
            if int(value) < 1:
                raise CommandError(f"--{option.replace('_', '-')} must be at least 1.")
            return int(value)
        return _env_int(environ, variable, default)

    proxies = [p.strip() for p in environ.get("ONDERDAK_TRUSTED_PROXIES", "").split(",")]
    return {
        "bind": [f"{options['host']}:{options['port']}"],
        "worker_class": "gthread",
        "workers": pick("workers", "ONDERDAK_WORKERS", 2 * usable_cores()),
        "threads": pick("threads", "ONDERDAK_THREADS", 2),
        "timeout": pick("timeout", "ONDERDAK_TIMEOUT", 60),
        "graceful_timeout": pick("graceful_timeout", "ONDERDAK_GRACEFUL_TIMEOUT", 30),
        "keepalive": 5,
        # Only these addresses may set the scheme through X-Forwarded-Proto; none by default.
        "forwarded_allow_ips": ",".join(p for p in proxies if p),
        "preload_app": True,
        "proc_name": "onderdak",
        "accesslog": "-" if options.get("access_log") else None,
        "errorlog": "-",
        "pidfile": options.get("pidfile"),
        # No control socket: it would live in the user's home, shared by every instance.
        "control_socket_disable": True,
        "post_worker_init": _post_worker_init,
        "post_request": _post_request,
    }


def _post_worker_init(worker: Any) -> None:
    """In each new worker: after USR2 the first one stops the old master."""
    old_master = os.environ.get("GUNICORN_PID")
    if old_master and worker.age == 1:
        # The new master (this worker's parent) was started by USR2 from the old one, whose
        # process id gunicorn passes on; it is ready now that a worker accepts requests.
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(old_master), signal.SIGTERM)


def _post_request(worker: Any, request: Any, environ: Any, response: Any) -> None:
    """After a worker's first answer: warm its charts and engines (:func:`_warm_up_once`)."""
    _warm_up_once()


@functools.cache
def _warm_up_once() -> None:
    """Start vl-convert's engine and import Altair and the engines in this worker, in the
    background, once.

    Not at the worker's start: the warming holds the interpreter for 0.5-2 s, and four workers
    warming at once on two cores held up the first answers (``/healthz`` included) by seconds
    (issue 11: restart to healthy). After the first answer, the worker is serving; its first
    chart usually comes later, and is cached after that. The engines (with NumPy, HiGHS and
    OR-Tools) are not loaded in the master either: the apps import them where they are used,
    so the master reaches its first ``/healthz`` sooner; warming them here spares the first
    page that uses one the import.
    """
    from onderdak.common import charts

    charts.warm_up_in_background()
    threading.Thread(target=import_engines, name="engine-warm-up", daemon=True).start()


def import_engines() -> None:
    """Import every engine package (``onderdak.engines.*``); a failure is logged, not raised."""
    import onderdak.engines

    for engine in pkgutil.iter_modules(onderdak.engines.__path__, "onderdak.engines."):
        try:
            importlib.import_module(engine.name)
        except Exception:  # pragma: no cover - warming is an optimisation, never a failure
            logger.warning("Importing %s in advance failed", engine.name, exc_info=True)


def compile_templates() -> int:
    """Compile Onderdak's own templates into the cached template loader; the number compiled.

    Called in the master before the workers are forked, so no worker compiles them again on
    its first requests. (Charts are not warmed here: vl-convert's engine does not survive a
    fork, so each worker starts its own, see :func:`_warm_up_once`.)
    """
    from django.template import TemplateSyntaxError, engines

    import onderdak

    package = Path(onderdak.__file__).resolve().parent
    compiled = 0
    for engine in engines.all():
        for directory in map(Path, getattr(engine, "template_dirs", ())):
            if not directory.resolve().is_relative_to(package):
                continue
            for path in sorted(directory.rglob("*.html")):
                try:
                    engine.get_template(path.relative_to(directory).as_posix())
                except TemplateSyntaxError:  # pragma: no cover - a page reports it when used
                    continue
                compiled += 1
    return compiled


def static_fingerprint() -> str:
    """A hash of every static source file's name, size and modification time (all finders)."""
    from django.contrib.staticfiles.finders import get_finders

    entries: list[str] = []
    for finder in get_finders():
        for path, storage in finder.list(STATIC_IGNORE):
            prefix = getattr(storage, "prefix", None) or ""
            stat = os.stat(storage.path(path))
            entries.append(f"{prefix}/{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


def static_up_to_date() -> bool:
    """True when STATIC_ROOT holds the files of the current sources (or there is no STATIC_ROOT)."""
    if not settings.STATIC_ROOT:
        return True
    stamp = Path(settings.STATIC_ROOT) / STATIC_STAMP
    try:
        return stamp.read_text().strip() == static_fingerprint()
    except FileNotFoundError:
        return False


def collect_static_if_needed() -> bool:
    """Collect the static files when they are out of date; True when it collected."""
    from django.core.management import call_command

    if static_up_to_date():
        return False
    fingerprint = static_fingerprint()
    call_command("collectstatic", interactive=False, verbosity=0)
    (Path(settings.STATIC_ROOT) / STATIC_STAMP).write_text(fingerprint + "\n")
    return True


class Command(BaseCommand):
    # Like gunicorn itself, no system checks on start: they belong in CI (``onderdak check
    # --deploy``) and cost a restart time.
    requires_system_checks: list[str] = []
    help = (
        "Serve Onderdak over HTTP with gunicorn (gthread workers on every core; static files "
        "via WhiteNoise). Static files are collected only when they are out of date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
        )
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
        parser.add_argument(
            "--server",
            choices=["gunicorn", "waitress"],
            default="gunicorn",
            help="gunicorn (default) or waitress (one process, for comparison)",
        )
        parser.add_argument(
            "--workers", type=int, help="worker processes (ONDERDAK_WORKERS; default: two per core)"
        )
        parser.add_argument(
            "--threads", type=int, help="threads per worker (ONDERDAK_THREADS; default 2)"
        )
        parser.add_argument(
            "--timeout", type=int, help="seconds before a silent worker is restarted (default 60)"
        )
        parser.add_argument(
            "--graceful-timeout",
            type=int,
            help="seconds for requests in progress to finish on stop (default 30)",
        )
        parser.add_argument("--pidfile", help="write the master's process id to this file")
        parser.add_argument(
            "--access-log", action="store_true", help="log every request to standard output"
        )
        parser.add_argument(
            "--collect-static",
            action="store_true",
            help="collect the static files when they are out of date, then exit (make install)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        collected = collect_static_if_needed()
        if options["collect_static"]:
            self.stdout.write(
                "Statische bestanden verzameld."
                if collected
                else "Statische bestanden zijn actueel."
            )
            return

        from django.db import connections
        from django.db.migrations.loader import MigrationLoader
        from django.urls import get_resolver

        from onderdak.wsgi import application

        # Import the URL configuration (and with it every view) once, in the master: the
        # workers are forked with it loaded and answer their first request at full speed.
        # The migration graph too: /healthz compares it with the database on every probe.
        get_resolver().url_patterns  # noqa: B018
        MigrationLoader(None, ignore_no_migrations=True)
        compile_templates()
        connections.close_all()  # no database connection may be shared with forked workers

        host, port = options["host"], options["port"]
        self.stdout.write(
            self.style.SUCCESS(f"Onderdak draait op http://{host}:{port}/ (stoppen: Ctrl+C)")
        )
        self.stdout.flush()
        if options["server"] == "waitress":
            from waitress import serve

            serve(
                application,
                host=host,
                port=port,
                threads=options["threads"] or 8,
                ident="Onderdak",
            )
            return
        _Gunicorn(application, gunicorn_options(options, os.environ)).run()


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """gunicorn with the settings given here (no configuration file, no command line)."""

    def __init__(self, application: Any, config: dict[str, Any]) -> None:
        self.application = application
        self.config = config
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.config.items():
            if value is not None:
                self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application
