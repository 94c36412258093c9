"""``onderdak serve``: serve the web application with waitress (static files via WhiteNoise)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Onderdak over HTTP with waitress (a production-grade pure-Python WSGI server)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
        )
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
        parser.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.core.management import call_command

        from waitress import serve

        if settings.STATIC_ROOT:
            call_command("collectstatic", interactive=False, verbosity=0)

        from onderdak.wsgi import application

        host, port = options["host"], options["port"]
        self.stdout.write(
            self.style.SUCCESS(f"Onderdak draait op http://{host}:{port}/ (stoppen: Ctrl+C)")
        )
        self.stdout.flush()
        serve(application, host=host, port=port, threads=options["threads"], ident="Onderdak")
