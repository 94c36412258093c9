"""Every internal link, for every demo role, starting at ``/`` (issue 11): no server error, and
every link a page shows resolves (no 404) and is allowed (no 403: a user is not shown links to
what they may not do). Bounded per URL pattern and per path (``support.crawl``)."""

from __future__ import annotations

import pytest

from tests.fuzz.support import USERS, client_for, crawl, prepare_demo


def test_every_link_for_every_role_works(monkeypatch: pytest.MonkeyPatch, db: None) -> None:
    users = prepare_demo(monkeypatch)
    report: list[str] = []
    pages = 0
    for name in USERS:
        result = crawl(client_for(users[name]))
        pages += len(result.status)
        report += [f"{name}: {line}" for line in result.failures(statuses={403, 404})]
    assert pages > 100  # the crawl reached the pages (not only a login page)
    assert not report, f"{len(report)} broken links or server errors:\n" + "\n".join(report)
