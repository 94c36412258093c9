"""The demo as every role sees it: shared by the API fuzzing, the crawl and the access matrix.

``onderdak demo`` prepares Diemen with its Duo+ partners and one user per role; a user of an
unrelated municipality (Amsterdam, not a Duo+ member) is added, who must see none of it.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urljoin, urlsplit

from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

import pytest

from onderdak.apps.accounts.models import Role, User
from onderdak.apps.accounts.services import organisation_for_municipality, user_set_membership
from onderdak.apps.geo.models import Municipality

DEMO_PASSWORD = "ci-demo-wachtwoord-123"
UNRELATED = "amsterdam-editor"
#: every demo role, then the unrelated municipality's editor
USERS = (
    "demo-viewer",
    "demo-editor",
    "demo-coordinator",
    "demo-admin",
    "demo-controller",
    "demo-uithoorn",
    UNRELATED,
)


def prepare_demo(monkeypatch: pytest.MonkeyPatch) -> dict[str, User]:
    """The demo data with known passwords, and the unrelated user; the users by name."""
    monkeypatch.setenv("ONDERDAK_DEMO_PASSWORD", DEMO_PASSWORD)
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    amsterdam = organisation_for_municipality(municipality=Municipality.objects.get(code="GM0363"))
    user_set_membership(
        username=UNRELATED, organisation=amsterdam, role=Role.EDITOR, password=DEMO_PASSWORD
    )
    return {user.username: user for user in User.objects.filter(username__in=USERS)}


# --- the crawl: every internal link a user is shown, bounded --------------------------------

#: links that are not pages to look at: signing out, the admin's own site (Django's), assets
SKIPPED_PREFIXES = ("/accounts/uitloggen", "/static/", "/media/", "/i18n/", "/jsi18n/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.post_actions: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        elif tag == "form" and (values.get("method") or "").lower() == "post":
            self.post_actions.append(values.get("action") or "")


def post_forms(html: str, base: str) -> list[str]:
    """The paths the POST forms of a page at ``base`` send to (signing out, language left out)."""
    parser = _Links()
    parser.feed(html)
    targets = [urlsplit(urljoin(base, action or base)).path for action in parser.post_actions]
    return [target for target in targets if not target.startswith(("/i18n/", "/accounts/"))]


def internal_links(html: str, base: str) -> list[str]:
    """The internal links (path and query, no fragment) of a page at ``base``."""
    parser = _Links()
    parser.feed(html)
    links = []
    for href in parser.hrefs:
        if href.startswith(("mailto:", "tel:", "javascript:", "#")):
            continue
        url = urlsplit(urljoin(base, href))
        if url.scheme not in {"", "http"} or url.netloc not in {"", "testserver"}:
            continue
        if url.path.startswith(SKIPPED_PREFIXES):
            continue
        links.append(url.path + (f"?{url.query}" if url.query else ""))
    return links


def route_of(url: str) -> str | None:
    """The URL pattern a path resolves to (``None``: it resolves to none)."""
    try:
        return resolve(urlsplit(url).path).route
    except Resolver404:
        return None


@dataclass
class Crawl:
    """What one user reached: the status of every URL and the pages that link to it."""

    status: dict[str, int] = field(default_factory=dict)
    linked_from: dict[str, set[str]] = field(default_factory=dict)
    left_out: int = 0
    #: URL patterns with more objects than the bound: not every one of them was visited
    truncated: set[str | None] = field(default_factory=set)
    #: the paths POST forms send to, with the pages that show each form
    forms: dict[str, set[str]] = field(default_factory=dict)

    def failures(self, *, statuses: set[int] | None = None) -> list[str]:
        """URLs answering a server error or, for links on pages, one of ``statuses``."""
        problems = []
        for url, code in sorted(self.status.items()):
            if code >= 500 or (statuses and code in statuses and self.linked_from.get(url)):
                sources = ", ".join(sorted(self.linked_from.get(url, set()))[:3])
                problems.append(f"{code} {url} (linked from {sources or '-'})")
        return problems


def crawl(
    client: Client,
    *,
    start: str = "/",
    per_route: int = 12,
    per_path: int = 3,
    limit: int = 1500,
) -> Crawl:
    """Follow every internal link from ``start`` (GET only), breadth first.

    Bounded: at most ``per_route`` URLs of one URL pattern (objects of one kind), ``per_path``
    query variants of one path (sorting, filters, pages), ``limit`` requests in all; what is
    left out is counted in ``left_out``.
    """
    result = Crawl()
    queue: deque[str] = deque([start])
    seen = {start}
    per_route_count: Counter[str | None] = Counter()
    per_path_count: Counter[str] = Counter()
    while queue:
        url = queue.popleft()
        if len(result.status) >= limit:
            result.left_out += 1
            continue
        response = client.get(url)
        result.status[url] = response.status_code
        targets: list[str] = []
        if response.status_code in {301, 302, 303, 307, 308}:
            targets = [urlsplit(urljoin(url, response["Location"])).geturl()]
        elif response.status_code == 200 and response.get("Content-Type", "").startswith(
            "text/html"
        ):
            html = response.content.decode()
            targets = internal_links(html, url)
            for target in post_forms(html, url):
                result.forms.setdefault(target, set()).add(url)
        for target in targets:
            result.linked_from.setdefault(target, set()).add(url)
            if target in seen:
                continue
            seen.add(target)
            path = urlsplit(target).path
            route = route_of(target)
            if per_path_count[path] == 0:  # a new path: another object of its pattern
                if per_route_count[route] >= per_route:
                    result.left_out += 1
                    result.truncated.add(route)
                    continue
                per_route_count[route] += 1
            elif per_path_count[path] >= per_path:  # another query on a path seen
                result.left_out += 1
                continue
            per_path_count[path] += 1
            queue.append(target)
    return result


def client_for(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="nl", raise_request_exception=False)
    client.force_login(user)
    return client
