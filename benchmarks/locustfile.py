"""Simulated users for ``bench_load.py``: the demo roles over a realistic mix of pages.

Run by ``benchmarks/bench_load.py`` (locust headless, loopback only). Each simulated user takes a
logged-in session of a demo account (from the file ``ONDERDAK_LOAD_SESSIONS``), then reads
pages: mostly the editor of Diemen, also the viewer and the regional coordinator. Think time between pages is 1-3 s, or none
with ``ONDERDAK_LOAD_THINK=0`` (the closed-loop run for the maximum throughput).

The users are locust's ``FastHttpUser`` (geventhttpclient), not ``HttpUser`` (requests): the
load generator runs on the same two cores as the server, and requests costs it about 3 ms of CPU
per request against 1.5 ms (measured: 2.8 s against 1.6 s of locust CPU for a 20 s closed loop).
"""

from __future__ import annotations

import itertools
import os
import random
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from locust import between, constant, task
from locust.contrib.fasthttp import FastHttpUser
from requests.cookies import create_cookie

THINK = os.environ.get("ONDERDAK_LOAD_THINK", "1") != "0"


def _sessions(path: str) -> dict[str, Iterator[tuple[str, str]]]:
    """ "cookie-name username key" lines -> per username an endless supply of sessions."""
    found: dict[str, list[tuple[str, str]]] = {}
    for line in Path(path).read_text().splitlines():
        cookie, username, key = line.split()
        found.setdefault(username, []).append((cookie, key))
    return {username: itertools.cycle(keys) for username, keys in found.items()}


_SESSIONS = _sessions(os.environ["ONDERDAK_LOAD_SESSIONS"])
#: Slider changes on the ranking page: each a different analysis (and chart).
RANKING_VARIANTS = (
    "",
    "?method=wsm",
    "?method=promethee2",
    "?normalization=minmax",
    "?method=wsm&normalization=minmax",
    "?k=3",
)


class _Demo(FastHttpUser):
    abstract = True
    username = "demo-editor"
    wait_time = between(1, 3) if THINK else constant(0)

    def on_start(self) -> None:
        """Use one of the logged-in sessions ``bench_load.py`` made for this demo account."""
        cookie, key = next(_SESSIONS[self.username])
        host = urlsplit(self.host).hostname or "127.0.0.1"
        self.client.cookiejar.set_cookie(create_cookie(cookie, key, domain=host))

    def page(self, path: str, name: str) -> None:
        """One page; an error status or a redirect to the login page counts as a failure."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "/accounts/inloggen/" in response.url:  # the session was not accepted
                response.failure("not logged in")
            else:
                response.success()


class Editor(_Demo):
    """The policy officer of Diemen: every module."""

    weight = 6
    username = "demo-editor"

    @task(4)
    def dashboard(self) -> None:
        self.page("/", "dashboard")

    @task(3)
    def quotas(self) -> None:
        self.page("/taakstellingen/", "quotas")

    @task(1)
    def region(self) -> None:
        self.page("/regio/DUOPLUS/", "region")

    @task(3)
    def sites(self) -> None:
        self.page("/locaties/", "sites list")

    @task(2)
    def ranking(self) -> None:
        self.page("/locaties/rangschikking/" + random.choice(RANKING_VARIANTS), "ranking")  # noqa: S311

    @task(3)
    def housing(self) -> None:
        self.page("/huisvesting/", "housing complexes")

    @task(1)
    def households(self) -> None:
        self.page("/huisvesting/huishoudens/", "housing households")

    @task(2)
    def care(self) -> None:
        self.page("/zorg/", "care")

    @task(1)
    def care_demand(self) -> None:
        self.page("/zorg/vraag-en-capaciteit/", "care demand")

    @task(2)
    def api(self) -> None:
        path, name = random.choice(  # noqa: S311 - a page mix, not a secret
            (
                ("/api/v1/sites", "api sites"),
                ("/api/v1/complexes", "api complexes"),
                ("/api/v1/quota-rounds", "api quota rounds"),
                ("/api/v1/care/services", "api care services"),
            )
        )
        self.page(path, name)


class Viewer(_Demo):
    """A reader in Diemen: dashboard, quotas, sites."""

    weight = 2
    username = "demo-viewer"

    @task(3)
    def dashboard(self) -> None:
        self.page("/", "dashboard")

    @task(2)
    def quotas(self) -> None:
        self.page("/taakstellingen/", "quotas")

    @task(1)
    def ranking(self) -> None:
        self.page("/locaties/rangschikking/", "ranking")

    @task(1)
    def care(self) -> None:
        self.page("/zorg/", "care")


class Coordinator(_Demo):
    """The regional coordinator of Duo+: the region's view."""

    weight = 1
    username = "demo-coordinator"

    @task(3)
    def region(self) -> None:
        self.page("/regio/", "region")

    @task(1)
    def dashboard(self) -> None:
        self.page("/", "dashboard")

    @task(1)
    def agreements(self) -> None:
        self.page("/regio/afspraken/", "region agreements")
