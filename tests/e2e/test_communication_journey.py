"""Communication and participation in the browser (issue 15): a Diemen editor adds the
residents near a shortlisted site as a stakeholder, follows the overview's warning to plan an
information evening for them, logs what was heard with a follow-up action, draws up the
track's plan and downloads it as Word, and finds the evening in the month calendar. The forms
are reached by their Dutch labels (so they are labelled), the pages pass axe-core (WCAG 2.1 AA)
at 1280 and 390 px, and nothing is blocked by the page's Content Security Policy."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import formats, timezone, translation

import pytest
from docx import Document

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.communication.models import (
    CommunicationPlan,
    FollowUp,
    LogEntry,
    Moment,
    PlanAudience,
    Stakeholder,
)
from onderdak.apps.sites.models import Site
from tests.e2e.test_accessibility import _violations
from tests.fixtures import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

POINT = {"type": "Point", "coordinates": [4.96, 52.34]}
SITE = "Sportpark Verzetswijk"
STAKEHOLDER = "Bewoners Verzetswijk"
TRACK = "Spoor 3: structurele tijdelijke huisvestingsbehoefte"
FORM_ERRORS = (
    "Het formulier bevat fouten; er is niets opgeslagen. "
    "Verbeter de velden die hieronder zijn gemarkeerd."
)


@pytest.fixture
def shortlisted(users: dict[str, User], organisations: dict[str, Organisation]) -> Site:
    """One site of Diemen on the shortlist, with no moment for its neighbours yet."""
    return Site.objects.create(
        organisation=organisations["diemen"], name=SITE, geometry=POINT, stage="shortlist"
    )


def _login(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_selector("html[lang='nl'] nav[aria-label='Hoofdmenu']")


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    texts = [paragraph.text for paragraph in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def test_editor_plans_a_moment_for_a_shortlisted_site_logs_it_and_exports_the_plan(
    live_server: Any,
    browser: Any,
    page: Any,
    shortlisted: Site,
    screenshot_dir: Path,
    tmp_path: Path,
) -> None:
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    today = timezone.localdate()
    evening, due = today + timedelta(days=14), today + timedelta(days=21)
    url = live_server.url
    _login(page, live_server, "diemen-editor")

    # -- the stakeholder form submitted empty: a Dutch error, an alert, nothing saved --------
    page.goto(f"{url}/communicatie/belanghebbenden/nieuw/")
    page.wait_for_selector("h1:has-text('Een belanghebbende toevoegen')")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_selector("[role='alert']")
    assert page.get_by_role("alert").inner_text().strip() == FORM_ERRORS
    name = page.get_by_label("Naam", exact=True)
    assert name.get_attribute("aria-invalid") == "true"
    error = page.locator(f"#{name.get_attribute('aria-describedby')}")
    assert error.inner_text().strip() == "Dit veld is vereist."  # Django's own Dutch
    assert page.get_by_label("Soort", exact=True).get_attribute("aria-invalid") == "true"
    assert not Stakeholder.objects.exists()
    # the focus moved to the error summary; each group of check boxes is a named group
    assert page.evaluate("document.activeElement.getAttribute('role')") == "alert"
    tracks = page.get_by_role("group", name=re.compile(r"^Sporen"))
    assert tracks.get_by_role("checkbox", name=TRACK).count() == 1

    # -- the stakeholder added, in the table and as a dot on the power-interest grid ---------
    name.fill(STAKEHOLDER)
    page.get_by_label("Soort", exact=True).select_option(label="Omwonenden van een locatie")
    page.get_by_label("Invloed", exact=True).fill("4")
    page.get_by_label("Belang", exact=True).fill("5")
    page.get_by_label("Contactrol").fill("Voorzitter van de bewonerscommissie")
    page.get_by_role("checkbox", name=TRACK).check()
    page.get_by_role("checkbox", name=SITE).check()
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/communicatie/belanghebbenden/")
    assert page.get_by_text("De belanghebbende is opgeslagen.").is_visible()
    stakeholder = Stakeholder.objects.get()
    assert (stakeholder.name, stakeholder.kind) == (STAKEHOLDER, "residents")
    assert (stakeholder.influence, stakeholder.interest) == (4, 5)
    assert stakeholder.tracks == ["temporary_housing"]
    assert list(stakeholder.sites.all()) == [shortlisted]
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=STAKEHOLDER))
    assert row.count() == 1
    assert "Nauw betrekken" in row.inner_text()
    assert "Voorzitter van de bewonerscommissie" in row.inner_text()
    grid = page.get_by_role("img", name="Belanghebbenden naar invloed (omhoog) en belang (opzij)")
    dots = grid.locator("circle")
    assert dots.count() == 1
    assert dots.locator("title").text_content() == f"{STAKEHOLDER} (Omwonenden van een locatie)"
    # in the cell of interest 5 (the right-most column), influence 4 (second row from the top)
    assert 360 < int(dots.get_attribute("cx")) < 440
    assert 120 < int(dots.get_attribute("cy")) < 200

    # -- the overview warns about the site; its link plans the information evening ----------
    page.goto(f"{url}/communicatie/")
    to_act = page.get_by_role("region", name="Actie nodig")
    stage = "\N{LEFT SINGLE QUOTATION MARK}Shortlist\N{RIGHT SINGLE QUOTATION MARK}"
    warning = to_act.get_by_role(
        "link",
        name=f"{SITE} is in de fase {stage} en er is geen moment gepland voor de omwonenden.",
    )
    assert (
        warning.get_attribute("href") == f"/communicatie/momenten/nieuw/?locatie={shortlisted.pk}"
    )
    warning.click()
    page.wait_for_url(f"**/communicatie/momenten/nieuw/?locatie={shortlisted.pk}")
    assert page.get_by_label("Titel").input_value() == f"Informatieavond {SITE}"
    assert page.get_by_label("Soort", exact=True).input_value() == "information_evening"
    assert page.get_by_label("Locatie").input_value() == str(shortlisted.pk)
    page.get_by_label("Spoor", exact=True).select_option(label=TRACK)
    page.get_by_label("Datum").fill(evening.isoformat())
    page.get_by_role("checkbox", name=STAKEHOLDER).check()
    page.get_by_label("Kanaal").fill("Buurthuis en huis-aan-huisbrief")
    page.get_by_label("Eigenaar").fill("Team Communicatie")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/communicatie/momenten/")
    assert page.get_by_text("Het moment is opgeslagen.").is_visible()
    moment = Moment.objects.get()
    assert (moment.site, moment.kind, moment.date) == (shortlisted, "information_evening", evening)
    assert (moment.track, moment.owner) == ("temporary_housing", "Team Communicatie")
    assert list(moment.audience.all()) == [stakeholder]

    page.goto(f"{url}/communicatie/")
    to_act = page.get_by_role("region", name="Actie nodig")
    assert to_act.get_by_role("link").count() == 0
    assert SITE not in to_act.inner_text()
    assert "Niets: elke locatie op de shortlist heeft een moment" in to_act.inner_text()

    # -- the moment's page: log what was heard, with one follow-up action --------------------
    page.get_by_role("region", name="Volgende momenten").get_by_role(
        "link", name=moment.title
    ).click()
    page.wait_for_url(f"**/communicatie/momenten/{moment.pk}/wijzigen/")
    assert page.get_by_text("Nog niets vastgelegd.").is_visible()
    log = page.locator("form").filter(has=page.get_by_role("button", name="Verslag opslaan"))
    log.get_by_label("Wat we hoorden").fill(
        "Zorgen over parkeren en de veiligheid op de fietsroute."
    )
    log.get_by_label("Deelnemers").fill("45")
    log.get_by_label("Thema's").fill("parkeren, veiligheid")
    log.get_by_label("Stemming").select_option(label="Bezorgd")
    log.get_by_label("Wat we ermee doen").fill("Een verkeersplan met de buurt vóór de bouw.")
    follow = log.get_by_role("group", name="Vervolgactie 1")
    follow.get_by_label("Actie").fill("Verkeersplan opstellen met de bewonerscommissie")
    follow.get_by_label("Eigenaar").fill("Team Verkeer")
    follow.get_by_label("Uiterlijk").fill(due.isoformat())
    log.get_by_role("button", name="Verslag opslaan").click()
    page.wait_for_selector("text=Het verslag is opgeslagen.")
    assert page.url.endswith(f"/communicatie/momenten/{moment.pk}/wijzigen/")
    entry = LogEntry.objects.get()
    assert (entry.moment, entry.participants, entry.sentiment) == (moment, 45, "concerned")
    action = FollowUp.objects.get()
    assert (action.entry, action.owner, action.due, action.done) == (
        entry,
        "Team Verkeer",
        due,
        False,
    )
    card = page.locator("section.od-card")
    assert card.count() == 1
    text = card.inner_text()
    assert "Bezorgd · 45 deelnemers · parkeren, veiligheid" in text
    assert "U zei: Zorgen over parkeren en de veiligheid op de fietsroute." in text
    assert "Wij deden: Een verkeersplan met de buurt vóór de bouw." in text
    assert f"Verkeersplan opstellen met de bewonerscommissie (Team Verkeer, {due:%d-%m-%Y})" in text
    assert card.get_by_role("button", name="Markeren als gedaan").is_visible()
    moment_path = f"/communicatie/momenten/{moment.pk}/wijzigen/"

    # -- the track's plan drawn up from the overview, filled in, and downloaded as Word ------
    page.goto(f"{url}/communicatie/")
    plans = page.get_by_role("region", name="Plannen")
    plans.get_by_role("row").filter(has_text=TRACK).get_by_role(
        "button", name="Dit plan opstellen"
    ).click()
    page.wait_for_url("**/communicatie/plannen/*/")
    plan = CommunicationPlan.objects.get()
    assert plan.track == "temporary_housing"
    assert page.url.endswith(f"/communicatie/plannen/{plan.pk}/")
    page.wait_for_selector(f"h1:has-text('Communicatieplan: {TRACK}')")
    page.get_by_label("Doelen").fill("De buurt weet op tijd wat er komt en praat mee.")
    page.get_by_label("Kernboodschappen").fill("Tijdelijk wonen met de buurt, niet ernaast.")
    page.get_by_label("Eigenaar").fill("Team Communicatie")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    page.wait_for_selector("text=Het communicatieplan is opgeslagen.")
    plan.refresh_from_db()
    assert plan.goals == "De buurt weet op tijd wat er komt en praat mee."
    page.get_by_label(STAKEHOLDER).select_option(label="Raadplegen")
    page.get_by_role("button", name="Niveaus opslaan").click()
    page.wait_for_selector("text=De participatieniveaus zijn opgeslagen.")
    assert page.get_by_label(STAKEHOLDER).input_value() == "consult"
    assert [(a.stakeholder, a.level) for a in PlanAudience.objects.filter(plan=plan)] == [
        (stakeholder, "consult")
    ]
    assert page.get_by_role("link", name=moment.title).is_visible()  # the track's moments

    export = page.get_by_role("link", name="Download het plan voor het college (Word)")
    assert export.get_attribute("href") == f"/communicatie/plannen/{plan.pk}/word/"
    with page.expect_download() as download:
        export.click()
    assert download.value.suggested_filename.endswith(".docx")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    word = _docx_text(saved)
    assert moment.title in word
    assert STAKEHOLDER in word
    assert "Tijdelijk wonen met de buurt, niet ernaast." in word
    assert "Raadplegen" in word  # the stakeholder's rung on the participation ladder
    assert "Verkeersplan opstellen met de bewonerscommissie" in word

    # -- the month calendar shows the evening on its day -------------------------------------
    month = f"{evening:%Y-%m}"
    calendar_path = f"/communicatie/momenten/kalender/?maand={month}"
    page.goto(f"{url}{calendar_path}")
    with translation.override("nl"):
        month_name = formats.date_format(evening, "F Y")
    page.wait_for_selector(f"h1:has-text('Kalender van momenten: {month_name}')")
    assert page.get_by_text("1 moment deze maand.").is_visible()
    day = page.locator("td.od-calendar__day:not(.od-calendar__day--empty)")
    assert day.count() == 1
    assert day.locator(".od-calendar__date").inner_text().startswith(str(evening.day))
    assert day.get_by_role("link", name=moment.title).get_attribute("href") == moment_path
    assert not blocked, blocked

    # -- axe-core (WCAG 2.1 AA) and screenshots at a laptop's and a phone's width ------------
    # axe is injected as a script; the page's own CSP would (rightly) block that, so the
    # check runs in a second context of the same session that bypasses it.
    context = browser.new_context(
        bypass_csp=True,
        viewport={"width": 1280, "height": 900},
        locale="nl-NL",
        storage_state=page.context.storage_state(),
    )
    checked = context.new_page()
    checked.set_default_timeout(15_000)
    found: dict[str, list[dict[str, Any]]] = {}
    wide: dict[str, int] = {}
    for width in (1280, 390):
        checked.set_viewport_size({"width": width, "height": 900})
        for name, path in {
            "stakeholders": "/communicatie/belanghebbenden/",
            "moment": moment_path,
            "calendar": calendar_path,
        }.items():
            checked.goto(f"{url}{path}")
            assert checked.locator("html").get_attribute("lang") == "nl"
            found[f"{name}-{width}"] = _violations(checked)
            wide[f"{name}-{width}"] = _overflow(checked)
            checked.screenshot(
                path=str(screenshot_dir / f"communication-{name}-{width}.png"), full_page=True
            )
    # on a phone the calendar is a list of the days with a moment
    assert checked.get_by_role("link", name=moment.title).is_visible()
    context.close()
    assert {name: v for name, v in found.items() if v} == {}
    assert {name: px for name, px in wide.items() if px > 0} == {}
