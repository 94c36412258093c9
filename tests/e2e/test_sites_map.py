"""Sites maps in the browser (issue 11): the ranking map survives an htmx swap under the CSP,
tooltips show names as text, and a click on the form's map sets the point."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.sites import services
from tests.fixtures import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EVIL = "<img src=x onerror=window.__xss=1>"


@pytest.fixture
def ranked(users: dict[str, User], organisations: dict[str, Organisation]) -> None:
    editor, diemen = users["diemen-editor"], organisations["diemen"]
    points = {EVIL: (4.960, 52.339), "Noord": (4.965, 52.346), "Oost": (4.995, 52.343)}
    for index, (name, point) in enumerate(points.items()):
        services.site_create(
            actor=editor,
            organisation=diemen,
            name=name,
            geometry={"type": "Point", "coordinates": list(point)},
            plot_area_m2=10_000,
            available_from=date(2026, 1, 1),
            available_until=date(2040, 1, 1),
            capacity_places=100,
            cost_one_off=Decimal(8_000_000 + index * 1_000_000),
            local_support=3 + index % 3,
        )
    amenities = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": list(point)},
                "properties": {"kind": kind},
            }
            for kind in ("primary_school", "gp", "supermarket", "public_transport")
            for point in points.values()
        ],
    }
    services.amenities_import(
        actor=editor, organisation=diemen, content=json.dumps(amenities).encode()
    )
    services.weight_set_save(
        actor=editor,
        organisation=diemen,
        name="College",
        weights={"cost_per_place": 3, "local_support": 2, "size": 1},
    )


def _login(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_ranking_map_redraws_after_a_swap_and_tooltips_are_text(
    live_server: Any, page: Any, ranked: None, screenshot_dir: Path
) -> None:
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    _login(page, live_server, "diemen-editor")
    page.goto(f"{live_server.url}/locaties/rangschikking/")
    page.wait_for_selector("#map[data-map-ready='3']")
    for marker in page.locator("#map path.leaflet-interactive").all():
        marker.hover()
    tooltips = page.locator(".leaflet-tooltip")
    assert EVIL in " ".join(tooltips.all_inner_texts())  # shown as text...
    assert page.locator(".leaflet-tooltip img").count() == 0  # ...never as an element
    assert page.evaluate("window.__xss") is None
    # move a slider: htmx swaps the results (the map with them); the new map is drawn
    for change in (
        lambda: page.locator("#w_size").fill("8"),
        lambda: page.locator("#id_method").select_option("wsm"),
    ):
        page.evaluate("document.querySelector('#map').setAttribute('data-old', '')")
        change()
        page.wait_for_selector("#map[data-map-ready='3']:not([data-old])")
        assert page.locator("#map.leaflet-container path.leaflet-interactive").count() == 3
    assert not blocked, blocked
    page.screenshot(path=str(screenshot_dir / "sites-ranking-after-swap.png"), full_page=True)


def test_a_click_on_the_map_sets_the_point(
    live_server: Any, page: Any, users: dict[str, User]
) -> None:
    _login(page, live_server, "diemen-editor")
    page.goto(f"{live_server.url}/locaties/nieuw/")
    page.wait_for_selector("#map[data-map-pick='true']")
    page.locator("#map").click()  # the middle of the Netherlands
    longitude = float(page.locator("#id_longitude").input_value())
    latitude = float(page.locator("#id_latitude").input_value())
    assert 3.0 <= longitude <= 7.5
    assert 50.5 <= latitude <= 53.8
    page.locator("#id_name").fill("Geklikt")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/locaties/*/")
    assert "Geklikt" in page.content()


def test_a_typed_point_far_outside_the_world_does_not_hang_the_form(
    live_server: Any, page: Any, users: dict[str, User]
) -> None:
    """Regression (issue 11 walk): 10^25 as longitude and latitude came back in the form with its
    error, and the map's picker centred on it: Leaflet looped over tiles and the page never
    loaded. Now the picker ignores a point outside WGS84 and the Dutch errors show."""
    _login(page, live_server, "diemen-editor")
    page.goto(f"{live_server.url}/locaties/nieuw/")
    page.locator("#id_name").fill("Ver weg")
    for field in ("#id_longitude", "#id_latitude"):
        page.locator(field).evaluate("(el) => { el.type = 'text'; el.value = '1e25'; }")
    page.evaluate("document.querySelector('#id_name').form.noValidate = true")
    page.set_default_timeout(10_000)
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_selector("#map[data-map-pick='true']")
    assert page.locator(".utrecht-form-field-error-message").count() >= 1
    assert page.evaluate("1 + 1") == 2  # the page still answers
