"""The ``onderdak`` command.

Two kinds of sub-commands:

* database-free engine commands (``onderdak quota ...``): stable, documented file contracts that
  run an engine on files and need no database or Django settings; each lives in
  ``onderdak.commands.<name>`` and exposes ``main(argv) -> int``;
* everything else is a Django management command (``demo``, ``serve``, ``load-reference``,
  ``migrate``, ``createsuperuser``, ...), run with the settings module from
  ``DJANGO_SETTINGS_MODULE`` and the database from ``DATABASE_URL`` (default: a SQLite file
  under ``var/``).

Settings are production-safe by default: without ``DJANGO_SETTINGS_MODULE`` every command runs
with the production settings ``onderdak.conf.base`` (no DEBUG; ``DJANGO_SECRET_KEY`` and
``DJANGO_ALLOWED_HOSTS`` required). Development is asked for explicitly with
``DJANGO_SETTINGS_MODULE=onderdak.conf.dev``; only the developer tools in
:data:`DEVELOPMENT_COMMANDS` (``demo``, the translation commands, ``--help``) choose it themselves
when nothing is set. ``onderdak demo`` refuses to run under production settings.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence

#: Database-free commands: name -> (module, one-line description).
ENGINE_COMMANDS: dict[str, tuple[str, str]] = {
    "quota": (
        "onderdak.commands.quota",
        "distribute a quota (apportionment) or compute the statutory status-holder quota",
    ),
    "exchange": (
        "onderdak.commands.exchange",
        "optimise a regional exchange of quotas (swap or compensation)",
    ),
    "sites": (
        "onderdak.commands.sites",
        "rank sites by multi-criteria analysis (wsm, topsis, promethee2) and SMAA",
    ),
    "placement": (
        "onderdak.commands.placement",
        "place households in free units (scoring and optimal assignment)",
    ),
    "plan": (
        "onderdak.commands.plan",
        "critical path method of a plan: 'plan cpm --tasks T.csv --links L.csv'",
    ),
}

#: Database-free sub-commands of a management command: (name, sub-command) -> (module,
#: description). ``onderdak care integration-term`` needs no database, ``onderdak care
#: coverage`` does; the module's ``main`` gets the arguments after the name.
ENGINE_SUBCOMMANDS: dict[tuple[str, str], tuple[str, str]] = {
    ("care", "integration-term"): (
        "onderdak.commands.care",
        "start and last day of the civic integration term (art. 11 Wet inburgering 2021)",
    ),
    ("finance", "cost"): (
        "onderdak.commands.finance",
        "price occupancy per month and scheme at the standard rates (normbedragen)",
    ),
}

#: Onderdak's own management commands, shown first in ``--help``: name -> description.
PROJECT_COMMANDS: dict[str, str] = {
    "demo": "prepare the demo (migrate, reference data, demo municipality and users) and serve it",
    "serve": "serve the web application (gunicorn on every core, static files included)",
    "load-reference": "load the CBS reference data shipped with Onderdak (idempotent)",
    "care": "care and support from the database: 'care coverage --organisation GM0384'",
    "backup": "write every table to one JSON file: 'backup --out FILE' (SQLite and PostgreSQL)",
    "restore": "replace the database's contents by a backup file: 'restore FILE [--yes]'",
    "check-translations": "fail when a translation catalogue has empty or fuzzy entries",
    "compile-translations": "compile the .po catalogues into .mo files (no GNU gettext needed)",
}

#: Without ``DJANGO_SETTINGS_MODULE``: production settings, ...
DEFAULT_SETTINGS = "onderdak.conf.base"
#: ... except for these developer tools, which choose the development settings.
DEVELOPMENT_SETTINGS = "onderdak.conf.dev"
DEVELOPMENT_COMMANDS = frozenset({"demo", "compile-translations", "check-translations"})


def settings_module_for(command: str | None) -> str:
    """The settings module a command runs with: ``DJANGO_SETTINGS_MODULE`` when set, else the
    development settings for :data:`DEVELOPMENT_COMMANDS` (``None``: the help) and the
    production settings for everything else."""
    chosen = os.environ.get("DJANGO_SETTINGS_MODULE")
    if chosen:
        return chosen
    if command is None or command in DEVELOPMENT_COMMANDS:
        return DEVELOPMENT_SETTINGS
    return DEFAULT_SETTINGS


def _django_name(name: str) -> str:
    """``load-reference`` -> ``load_reference``; Django command modules cannot hold hyphens."""
    return name.replace("-", "_") if name in PROJECT_COMMANDS else name


def _help() -> str:
    lines = [
        "usage: onderdak <command> [options]",
        "",
        "Onderdak: structural reception and temporary housing for Dutch municipalities.",
        "Every command honours DATABASE_URL (default: SQLite under var/) and DJANGO_SETTINGS_MODULE",
        f"(default {DEFAULT_SETTINGS}, production: set DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS;",
        f"development: DJANGO_SETTINGS_MODULE={DEVELOPMENT_SETTINGS}, chosen by 'demo' itself).",
        "'onderdak <command> --help' describes one command.",
        "",
        "Onderdak commands:",
    ]
    lines += [f"  {name:<22}{text}" for name, text in PROJECT_COMMANDS.items()]
    if ENGINE_COMMANDS:
        lines += ["", "Engine commands (no database needed; stable file contracts):"]
        lines += [f"  {name:<22}{text}" for name, (_, text) in ENGINE_COMMANDS.items()]
        lines += [
            f"  {f'{name} {sub}':<22}{text}"
            for (name, sub), (_, text) in ENGINE_SUBCOMMANDS.items()
        ]
    lines += ["", "Django management commands (onderdak migrate, onderdak createsuperuser, ...):"]
    try:
        _setup_django_env()
        from django.core.management import get_commands

        names = sorted(set(get_commands()) - {_django_name(n) for n in PROJECT_COMMANDS})
        for start in range(0, len(names), 6):
            lines.append("  " + ", ".join(names[start : start + 6]))
    except Exception as error:
        lines.append(f"  (not available: {error})")
    return "\n".join(lines)


def _setup_django_env() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module_for(None)
    import django

    django.setup()


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] in {"-h", "--help", "help"} and len(args) == 1):
        print(_help())
        return 0
    name = args[0]
    if name in ENGINE_COMMANDS:
        module = importlib.import_module(ENGINE_COMMANDS[name][0])
        result: int = module.main(args[1:])
        return result
    if len(args) > 1 and (name, args[1]) in ENGINE_SUBCOMMANDS:
        module = importlib.import_module(ENGINE_SUBCOMMANDS[name, args[1]][0])
        answer: int = module.main(args[1:])
        return answer
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module_for(name)
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["onderdak", _django_name(name), *args[1:]])
    except ImproperlyConfigured as error:
        print(
            f"onderdak: {error}\n(settings: {os.environ['DJANGO_SETTINGS_MODULE']}; for "
            f"development set DJANGO_SETTINGS_MODULE={DEVELOPMENT_SETTINGS})",
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
