"""WCAG 2.1 AA checks with axe-core (npm) in real Chromium on the main pages.

Dutch government software must meet WCAG 2.1 AA. axe-core finds the machine-checkable part
(contrast, names, labels, landmarks, ARIA); it does not replace a manual audit.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command

import pytest

from onderdak.apps.care.models import IntegrationCase, Ownership, Partner, Service
from onderdak.apps.housing.models import Complex, Household
from onderdak.apps.programme.models import Decision
from onderdak.apps.quotas.models import QuotaRound
from onderdak.apps.region.models import ScenarioResult
from onderdak.apps.sites.models import Site

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "e2e-axe-wachtwoord"


def _violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def test_main_pages_have_no_wcag_aa_violations(
    live_server: Any, browser: Any, reference: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONDERDAK_DEMO_PASSWORD", PASSWORD)
    call_command("demo", "--no-serve", stdout=StringIO())
    decision = Decision.objects.filter(organisation__name="Gemeente Diemen").first()
    assert decision is not None
    # axe is injected as a script; the page's own CSP would (rightly) block that.
    context = browser.new_context(
        bypass_csp=True, viewport={"width": 1280, "height": 900}, locale="nl-NL"
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/inloggen/")
    found = {"login": _violations(page)}
    page.get_by_label("Gebruikersnaam").fill("demo-admin")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_selector("#map[data-map-ready='1']")
    found["dashboard"] = _violations(page)
    for name, path in {
        "municipalities": "/referentiedata/gemeenten/",
        "region": "/referentiedata/regios/DUOPLUS/",
        "decisions": "/planning/besluiten/",
        "programme": "/planning/",
        "decision": f"/planning/besluiten/{decision.pk}/",
        "decision-form": "/planning/besluiten/nieuw/",
        "area": "/gebied/planning/",
        "finance": "/financien/",
        "finance-budget": "/financien/begroting/?jaar=2025",
        "quotas": "/taakstellingen/",
        "quota-region": "/taakstellingen/regio/DUOPLUS/",
        "quota-round": f"/taakstellingen/rondes/{QuotaRound.objects.get(name='Spreidingswet 2024-2025').pk}/",
        "realisations": "/taakstellingen/realisaties/",
        "region-dashboard": "/regio/DUOPLUS/",
        "scenario": f"/regio/scenarios/{ScenarioResult.objects.get().scenario_id}/",
        "result": f"/regio/uitkomsten/{ScenarioResult.objects.get().pk}/",
        "agreements": "/regio/afspraken/",
        "sites": "/locaties/",
        "site": f"/locaties/{Site.objects.first().pk}/",
        "ranking": "/locaties/rangschikking/",
        "portfolio": "/locaties/portefeuille/?t_asylum_seeker=300",
        "weights": "/locaties/criteria/",
        "complexes": "/huisvesting/",
        "complex": f"/huisvesting/complexen/{Complex.objects.first().pk}/",
        "households": "/huisvesting/huishoudens/",
        "household": f"/huisvesting/huishoudens/{Household.objects.first().pk}/",
        "care": "/zorg/",
        "care-gaps": "/zorg/knelpunten/",
        "care-demand": "/zorg/vraag-en-capaciteit/",
        "care-catalogue": "/zorg/catalogus/",
        "care-service": f"/zorg/catalogus/{Service.objects.get(code='primary_education').pk}/",
        "care-ownership": f"/zorg/eigenaarschap/{Ownership.objects.filter(status='missing').first().pk}/wijzigen/",
        "care-partners": "/zorg/partners/",
        "care-partner": f"/zorg/partners/{Partner.objects.get(name='VluchtelingenWerk Amstelland').pk}/",
        "caseload": "/zorg/inburgering/",
        "case": f"/zorg/inburgering/{IntegrationCase.objects.first().pk}/",
        "case-form": "/zorg/inburgering/nieuw/",
        "audit": "/audit/",
        "access": "/audit/inzage/",
    }.items():
        page.goto(f"{live_server.url}{path}")
        found[name] = _violations(page)
    context.close()
    assert {name: v for name, v in found.items() if v} == {}
