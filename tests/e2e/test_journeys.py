"""A new user's first journey: log in with a demo account, see Diemen, switch language."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "e2e-demo-wachtwoord"


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch, reference: None) -> str:
    monkeypatch.setenv("ONDERDAK_DEMO_PASSWORD", DEMO_PASSWORD)
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "demo-editor" in out.getvalue()
    return out.getvalue()


def test_demo_editor_logs_in_sees_diemen_and_switches_language(
    live_server: Any, page: Any, demo: str, screenshot_dir: Path
) -> None:
    page.goto(f"{live_server.url}/")
    assert "/accounts/inloggen/" in page.url
    page.get_by_label("Gebruikersnaam").fill("demo-editor")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    page.wait_for_selector("h1:has-text('Gemeente Diemen')")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert (
        page.get_by_role("navigation", name="Hoofdmenu")
        .get_by_role("link", name="Taakstellingen")
        .is_visible()
    )

    # Diemen's boundary from the reference data is drawn, with or without background tiles
    page.wait_for_selector("#map[data-map-ready='1']")
    assert page.locator("#map .leaflet-overlay-pane path").count() == 1
    page.locator("#map .leaflet-overlay-pane path").hover()
    page.wait_for_selector(".leaflet-tooltip:has-text('Diemen (GM0384)')")
    page.screenshot(path=str(screenshot_dir / "dashboard-nl.png"), full_page=True)

    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang='en']")
    assert (
        page.get_by_role("navigation", name="Main navigation")
        .get_by_role("link", name="Quotas")
        .is_visible()
    )
    page.screenshot(path=str(screenshot_dir / "dashboard-en.png"), full_page=True)

    page.get_by_role("button", name="Nederlands").click()
    page.wait_for_selector("html[lang='nl']")
    assert (
        page.get_by_role("navigation", name="Hoofdmenu")
        .get_by_role("link", name="Taakstellingen")
        .is_visible()
    )

    # the quotas: obligations per target group, the ledger chart and table
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Taakstellingen"
    ).click()
    page.wait_for_selector("h1:has-text('Taakstellingen: Diemen')")
    assert page.locator("figure.od-chart svg[role='img']").count() == 1
    assert page.get_by_role("row", name="Statushouders").count() == 1
    assert page.get_by_role("rowheader", name="2025-H2").count() == 1
    page.screenshot(path=str(screenshot_dir / "quotas-nl.png"), full_page=True)

    # skip link and keyboard focus: the first Tab lands on the skip link
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Naar de inhoud"


def test_project_alderman_sees_coverage_closes_a_gap_and_exports_it(
    live_server: Any, page: Any, demo: str, screenshot_dir: Path
) -> None:
    from onderdak.apps.care.models import Ownership, Service

    interpreters = Service.objects.get(code="interpreters")
    missing_before = Ownership.objects.filter(service=interpreters, status="missing").count()
    assert missing_before > 0
    page.goto(f"{live_server.url}/accounts/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("demo-editor")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Zorg en ondersteuning"
    ).click()
    page.wait_for_selector("table.od-matrix")
    assert page.locator("table.od-matrix a.od-light--red").count() >= missing_before
    assert page.locator("svg[role='img']").count() >= 1
    page.screenshot(path=str(screenshot_dir / "care-coverage-nl.png"), full_page=True)

    # click through from a red cell of the interpreters to its owner, and arrange it
    page.locator("table.od-matrix tr", has_text=interpreters.name).locator(
        "a.od-light--red"
    ).first.click()
    page.wait_for_selector(f"h1:has-text('{interpreters.name}')")
    page.locator("a[href*='/zorg/eigenaarschap/']").first.click()
    page.locator("#id_status").select_option("structural")
    page.locator("#id_team").fill("Team Publiekszaken (tolkenbudget)")
    page.locator("#id_alderman").fill("Wethouder Zorg en welzijn")
    page.locator("#id_amount_per_year").fill("12000")
    page.locator("form.utrecht-form button[type='submit']").click()
    page.wait_for_selector(f"h1:has-text('{interpreters.name}')")
    assert (
        Ownership.objects.filter(service=interpreters, status="missing").count()
        == missing_before - 1
    )

    # the export for the college
    page.goto(f"{live_server.url}/zorg/")
    with page.expect_download() as download:
        page.locator("a[href*='export=docx']").click()
    assert download.value.suggested_filename.endswith(".docx")
