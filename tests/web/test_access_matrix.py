"""The access matrix (issue 11), generated from the URL configuration and the API schema: every
page and API operation with an object id, tried by each demo role and by the editor of an
unrelated municipality (Amsterdam, not a Duo+ member), against the demo data.

Which objects: the pages each user reaches by following links (``support.crawl``) and the ids
the API lists show each user. The rules checked:

* reads: a user reads an object (200) only when it is shown to them (linked on their pages,
  listed by the API) or, for the partner municipality, when the region's coordinator is shown
  it (it is shared with the region, ADR 0002); otherwise 403 or 404, and always 404 for the
  unrelated user; an id that
  does not exist answers 404 (or 403/405 where the page is not for the user or not for GET);
* changes: every form an editor is shown, posted empty by a viewer, is refused (403/404); by a
  user who is not shown the object, 403/404 (404 for the unrelated user); every API write on an
  object that ``accounts.selectors.can_change`` forbids (its organisation and ``shared``; for
  money ``may_manage_finance``: controllers and administrators) is
  403/404 (404 for the unrelated user). Writes the rules allow are not sent (they would change
  the demo).

A URL pattern with more objects than the crawl visits (reference data: every municipality) is
judged only for the users who saw all of its objects. A new URL pattern or API operation with
an id is covered without editing this file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

import pytest

from onderdak.apps.accounts.models import User
from onderdak.apps.accounts.selectors import can_change, may_manage_finance
from tests.fuzz.support import UNRELATED, USERS, Crawl, client_for, crawl, prepare_demo, route_of

VIEWER = "demo-viewer"
#: the region's coordinator sees exactly what the members share with the region (ADR 0002) ...
COORDINATOR = "demo-coordinator"
#: ... which a partner municipality's user may read too, even where no page of theirs links it
PARTNER = "demo-uithoorn"
MISSING_ID = "987654321"
WRITE_METHODS = ("post", "put", "patch", "delete")
#: pages that are no object of the demo (password-reset links carry a token, not an id)
NOT_OBJECTS = ("beheer/", "api/", "accounts/")


def patterns_with_parameters(
    entries: list[URLPattern | URLResolver] | None = None, prefix: str = ""
) -> list[str]:
    """Every route of the URL configuration that names an object (has a parameter)."""
    routes = []
    for entry in get_resolver().url_patterns if entries is None else entries:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += patterns_with_parameters(entry.url_patterns, route)
        elif "<" in route and not route.startswith(NOT_OBJECTS):
            routes.append(route)
    return routes


def _missing(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?\w+>", MISSING_ID, route)


@dataclass
class Matrix:
    users: dict[str, User]
    crawls: dict[str, Crawl]
    failures: list[str] = field(default_factory=list)
    #: (user, route or API template) -> the status for an id that does not exist
    missing: dict[tuple[str, str], int] = field(default_factory=dict)

    def shown(self, name: str) -> set[str]:
        return {url for url, code in self.crawls[name].status.items() if code == 200}

    def expect(self, name: str, what: str, status: int, expected: set[int]) -> None:
        if status not in expected:
            self.failures.append(f"{name}: {what} is {status}, not one of {sorted(expected)}")

    def refused(self, name: str, *, route: str, shown: bool = False) -> set[int]:
        """How a user is refused an object: 403 or 404; the unrelated user cannot tell another
        municipality's object from one that does not exist (404, or what a missing id gets)."""
        if name == UNRELATED and not shown:
            return {404, self.missing.get((name, route), 404)} & {403, 404}
        return {403, 404}


# --- HTML -----------------------------------------------------------------------------------


def check_pages(matrix: Matrix, routes: list[str]) -> dict[str, set[str]]:
    objects: dict[str, set[str]] = defaultdict(set)
    for name in USERS:
        for url in matrix.shown(name):
            route = route_of(url)
            if route in routes and "?" not in url:
                objects[route].add(url)
    for name in USERS:
        client = client_for(matrix.users[name])
        shown = matrix.shown(name)
        for route in routes:
            missing = _missing(route)
            status = client.get(missing).status_code
            matrix.missing[(name, route)] = status
            matrix.expect(name, f"GET {missing} (no such id)", status, {403, 404, 405})
        if name == PARTNER:
            # shared with the region: its record pages (not its edit pages) are readable
            shown = shown | {url for url in matrix.shown(COORDINATOR) if re.search(r"/\d+/$", url)}
        for route, urls in objects.items():
            if route in matrix.crawls[name].truncated:
                continue  # not every object of this pattern was visited: cannot judge
            for url in sorted(urls - shown):
                status = client.get(url).status_code
                expected = matrix.refused(name, route=route)
                matrix.expect(name, f"GET {url} (not shown to them)", status, expected)
    return objects


def check_forms(matrix: Matrix, routes: list[str]) -> set[str | None]:
    forms = matrix.crawls["demo-editor"].forms
    for name in USERS:
        client = client_for(matrix.users[name])
        shown, truncated = matrix.shown(name), matrix.crawls[name].truncated
        for target, pages in sorted(forms.items()):
            route = route_of(target)
            if name == VIEWER:
                expected = {403, 404}
            elif (
                route in routes
                and not pages & shown
                and not {route_of(page) for page in pages} & truncated
            ):
                expected = matrix.refused(name, route=route or "")
            else:
                continue  # the form is shown to them: they may change it, not sent
            status = client.post(target, {}).status_code
            matrix.expect(name, f"POST {target} (empty form)", status, expected)
    return {route_of(target) for target in forms}


# --- API ------------------------------------------------------------------------------------


def api_operations() -> list[tuple[str, str]]:
    """(method, path template) of every API operation with a path parameter."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method, path)
        for path, item in schema["paths"].items()
        if "{" in path
        for method in item
        if method in {"get", *WRITE_METHODS}
    ]


def _list_of(template: str) -> tuple[str, str]:
    """The list an operation's object comes from, and its id: ``/a/{id}/b`` -> ``/a``, ``id``."""
    found = re.match(r"(.*?)/\{(\w+)\}", template)
    assert found is not None, template
    return found.group(1), found.group(2)


def _at(template: str, value: str) -> str:
    return re.sub(r"\{\w+\}", value, template, count=1)


def _rows(client: APIClient, path: str) -> list[dict[str, Any]]:
    response = client.get(path, {"page_size": 500})
    if response.status_code != 200:
        return []
    body = response.json()
    rows = body.get("results") if isinstance(body, dict) else body
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def api_listed(client: APIClient, template: str, templates: set[str]) -> dict[str, dict[str, Any]]:
    """The records the list of ``template`` shows the user, by their id. Records without a list
    of their own (``/care/contracts/{id}``) come from the lists nested in a parent
    (``/care/partners/{id}/contracts``), for every parent the user is shown."""
    path, parameter = _list_of(template)
    rows = _rows(client, path)
    if not rows:
        kind = path.rsplit("/", 1)[-1]
        for nested in sorted(t for t in templates if t.endswith("}/" + kind)):
            parent = nested.rsplit("/", 1)[0]
            parent_path, parent_parameter = _list_of(parent)
            for row in _rows(client, parent_path):
                if parent_parameter in row:
                    rows += _rows(client, _at(nested, str(row[parent_parameter])))
    return {str(row[parameter]): row for row in rows if parameter in row}


def may_change(user: User, row: dict[str, Any], template: str = "") -> bool | None:
    """What the access rules say about changing a listed record (``None``: no organisation):
    money (``/finance/``) by :func:`may_manage_finance` (controllers and administrators),
    the rest by :func:`can_change`."""
    if not isinstance(row.get("organisation"), int):
        return None
    if "/finance/" in template:
        return may_manage_finance(user, row["organisation"])
    record = SimpleNamespace(organisation_id=row["organisation"], shared=bool(row.get("shared")))
    return can_change(user, record)


def check_api(matrix: Matrix) -> list[str]:
    operations = api_operations()
    clients = {}
    listed: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    every: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    templates = {template for _method, template in operations}
    for name in USERS:
        clients[name] = APIClient(HTTP_ACCEPT_LANGUAGE="nl")
        clients[name].force_authenticate(matrix.users[name])
        for template in {template for _method, template in operations}:
            listed[(name, template)] = api_listed(clients[name], template, templates)
            every[template].update(listed[(name, template)])
    for name in USERS:
        client, user = clients[name], matrix.users[name]
        for method, template in operations:
            own = listed[(name, template)]
            if method == "get":
                status = client.get(_at(template, MISSING_ID)).status_code
                matrix.expect(name, f"GET {template} (no such id)", status, {404})
                for value in sorted(set(every[template]) - set(own)):
                    status = client.get(_at(template, value)).status_code
                    matrix.expect(
                        name,
                        f"GET {_at(template, value)} (not listed)",
                        status,
                        matrix.refused(name, route=template),
                    )
                continue
            for value, row in sorted(every[template].items()):
                allowed = may_change(user, row, template) if value in own else False
                if allowed is None and name == VIEWER:
                    allowed = False  # a viewer changes nothing, whatever the record
                if allowed is not False:
                    continue
                status = getattr(client, method)(
                    _at(template, value), {}, format="json"
                ).status_code
                matrix.expect(
                    name,
                    f"{method.upper()} {_at(template, value)} (may not change)",
                    status,
                    matrix.refused(name, route=template, shown=value in own),
                )
    return sorted({template for _method, template in operations if not every[template]})


def test_access_matrix(monkeypatch: pytest.MonkeyPatch, db: None) -> None:
    users = prepare_demo(monkeypatch)
    crawls = {name: crawl(client_for(users[name]), per_route=40, per_path=3) for name in USERS}
    matrix = Matrix(users=users, crawls=crawls)
    routes = patterns_with_parameters()
    objects = check_pages(matrix, routes)
    posted = check_forms(matrix, routes)
    unlisted = check_api(matrix)
    assert len(objects) > 10  # the matrix reached the demo's objects
    assert not matrix.failures, (
        f"{len(matrix.failures)} access failures:\n"
        + "\n".join(matrix.failures)
        + f"\n\nURL patterns no crawl reached: {sorted(set(routes) - set(objects) - posted)}"
        + f"\nAPI operations whose list shows no ids: {unlisted}"
    )
