"""The shell on a phone (390 px) and a laptop (1366 px): no page is wider than the screen, the
navigation folds into a "Menu" disclosure that works without script, tables scroll by
themselves. In headless Chromium (marker ``e2e``)."""

from __future__ import annotations

import os
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.test import Client

import pytest

from onderdak.apps.accounts.models import User
from onderdak.apps.region.models import Scenario

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
PAGES = ("/", "/taakstellingen/", "/zorg/", "/locaties/", "/huisvesting/", "/regio/")


@pytest.fixture
def chromium(browser: Any) -> Any:
    """The session's browser (tests/e2e/conftest.py): one Playwright per test session."""
    return browser


@pytest.fixture
def editor(monkeypatch: pytest.MonkeyPatch, reference: None) -> User:
    """The demo's editor of Diemen, with the demo's data on every page."""
    monkeypatch.setenv("ONDERDAK_DEMO_PASSWORD", "layout-demo-wachtwoord")
    call_command("demo", "--no-serve", stdout=StringIO())
    return User.objects.get(username="demo-editor")


def signed_in(chromium: Any, live_server: Any, user: User, width: int) -> Any:
    client = Client()
    client.force_login(user)
    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_no_page_is_wider_than_a_phone_and_the_menu_folds(
    chromium: Any, live_server: Any, editor: User
) -> None:
    page = signed_in(chromium, live_server, editor, 390)
    for path in PAGES:
        page.goto(live_server.url + path)
        assert overflow(page) <= 0, path
    navigation = page.get_by_role("navigation", name="Hoofdmenu")
    link = navigation.get_by_role("link", name="Taakstellingen")
    assert not link.is_visible()
    page.locator("summary.od-nav__toggle").click()  # a <details> disclosure: no script
    assert link.is_visible()
    link.click()
    page.wait_for_url("**/taakstellingen/")
    # a wide table scrolls inside its own container, not the page
    page.set_content(
        page.content().replace(
            "</main>",
            '<div class="utrecht-table-container"><table class="utrecht-table">'
            + "<tr>"
            + "<td>kolom-met-een-lange-inhoud</td>" * 30
            + "</tr></table></div></main>",
        )
    )
    assert overflow(page) <= 0
    page.context.close()


def test_on_a_laptop_the_navigation_is_a_list_and_nothing_sticks_out(
    chromium: Any, live_server: Any, editor: User
) -> None:
    page = signed_in(chromium, live_server, editor, 1366)
    for path in PAGES:
        page.goto(live_server.url + path)
        assert overflow(page) <= 0, path
        sticking_out = page.evaluate(
            """() => [...document.querySelectorAll('.od-card :is(svg, img):not(.leaflet-container *)')]
                 .filter(el => el.getBoundingClientRect().right
                               > el.closest('.od-card').getBoundingClientRect().right + 1).length"""
        )
        assert sticking_out == 0, path
    navigation = page.get_by_role("navigation", name="Hoofdmenu")
    assert navigation.get_by_role("link", name="Taakstellingen").is_visible()
    assert not page.locator("summary.od-nav__toggle").is_visible()
    page.context.close()


def test_tables_of_inputs_with_hidden_labels_do_not_widen_a_phone_page(
    chromium: Any, live_server: Any, editor: User
) -> None:
    """Regression: a visually hidden label (``position: absolute``) in a cell of a scrolling table
    escaped the table's container and made the exchange scenario 335 px wider than the phone."""
    scenario = Scenario.objects.order_by("pk").first()
    assert scenario is not None
    page = signed_in(chromium, live_server, editor, 390)
    for path in (f"/regio/scenarios/{scenario.pk}/", "/locaties/criteria/"):
        page.goto(live_server.url + path)
        assert page.locator(".utrecht-table-container .od-visually-hidden").count() > 0, path
        assert overflow(page) <= 0, path
    page.context.close()


def test_on_a_short_page_the_header_is_only_as_high_as_its_content(
    chromium: Any, live_server: Any, editor: User
) -> None:
    """Regression: the body is a grid; a page shorter than the screen (no placement proposals
    yet) stretched the header row, an empty blue band of 70 px under the navigation."""
    for width in (1366, 390):
        page = signed_in(chromium, live_server, editor, width)
        page.goto(live_server.url + "/huisvesting/voorstellen/")
        gap = page.evaluate(
            """() => { const header = document.querySelector('header.od-header');
                 const last = header.querySelector('nav.od-nav');
                 return header.getBoundingClientRect().bottom - last.getBoundingClientRect().bottom; }"""
        )
        assert abs(gap) <= 1, (width, gap)
        page.context.close()
