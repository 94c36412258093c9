"""The quota page: where a municipality stands on its own province's ladder; the asylum round's
Spreidingswet cycle. Figures come from imported official tables, so they do not depend on how a
round is computed."""

from __future__ import annotations

from datetime import date

from django.test import Client
from django.urls import reverse

import pytest

from onderdak.apps.accounts.models import Organisation, Role, User
from onderdak.apps.accounts.services import organisation_for_municipality, user_set_membership
from onderdak.apps.geo.models import Municipality
from onderdak.apps.quotas import selectors, services
from onderdak.apps.quotas.models import QuotaRound

pytestmark = pytest.mark.django_db

UTRECHT_CITY = "GM0344"


def _round(staff: User, year: int, half: int, table: str) -> QuotaRound:
    round = services.quota_round_create(
        actor=staff,
        target_group="status_holder",
        name=f"Vergunninghouders {year}-H{half}",
        period_start=date(year, 1 if half == 1 else 7, 1),
        period_end=date(year, 6, 30) if half == 1 else date(year, 12, 31),
        unit="persons",
        national_total_initial=10_000,
        method="hamilton",
        level="municipality",
        population_date=date(2024, 1, 1),
    )
    services.quota_round_import_official(
        actor=staff, round=round, content=table.encode(), filename="t.csv"
    )
    return round


@pytest.fixture
def utrecht(reference: None) -> tuple[Organisation, User]:
    organisation = organisation_for_municipality(
        municipality=Municipality.objects.get(code=UTRECHT_CITY)
    )
    user = user_set_membership(
        username="utrecht-editor", organisation=organisation, role=Role.EDITOR, password="x" * 16
    )
    return organisation, user


def test_a_utrecht_backlog_after_one_half_year_is_signalled_with_the_source(
    staff: User, utrecht: tuple[Organisation, User]
) -> None:
    organisation, user = utrecht
    _round(staff, 2025, 1, f"code;taakstelling\n{UTRECHT_CITY};100\n")
    _round(staff, 2025, 2, f"code;taakstelling\n{UTRECHT_CITY};80\n")
    services.realisation_create(
        actor=user,
        organisation=organisation,
        target_group="status_holder",
        date=date(2025, 3, 1),
        amount=100,
    )
    services.realisation_create(
        actor=user,
        organisation=organisation,
        target_group="status_holder",
        date=date(2025, 9, 1),
        amount=60,
    )
    municipality = Municipality.objects.get(code=UTRECHT_CITY)
    view = selectors.supervision(municipality=municipality, today=date(2026, 3, 1))
    assert view.code == "on_ladder"
    assert view.ladder is not None and view.ladder.source_id == "CVDR713805"
    assert view.standing.backlog == 20
    assert view.standing.half_years_behind == 1
    assert view.current is not None and view.current.step.code == "signalling"
    assert view.following is not None and view.following.step.code == "consultation"
    # During 2025-H2 only the ended 2025-H1 counts: no backlog then.
    during = selectors.supervision(municipality=municipality, today=date(2025, 10, 1))
    assert during.code == "not_behind"
    assert during.current is None

    client = Client()
    client.force_login(user)
    page = client.get(reverse("quotas:overview")).content.decode()
    assert "Toezicht van de provincie" in page
    assert "https://lokaleregelgeving.overheid.nl/CVDR713805" in page
    assert 'aria-current="step"' in page
    assert "Signaleren" in page and "Indeplaatsstelling" in page
    assert "ECLI:NL:RVS:2018:2647" in page and "Delfzijl" in page
    for internal in ("on_ladder", "signalling", "backlog_at_half_year_end", "not_stated"):
        assert internal not in page


def test_diemen_in_noord_holland_is_unknown(staff: User, users: dict[str, User]) -> None:
    _round(staff, 2025, 1, "code;taakstelling\nGM0384;30\n")
    diemen = Municipality.objects.get(code="GM0384")
    view = selectors.supervision(municipality=diemen, today=date(2026, 3, 1))
    assert view.code == "unknown_framework"
    assert view.rungs == ()
    assert view.standing.half_years_behind == 1  # nothing realised: a backlog of 30
    assert view.known_provinces == ("Flevoland", "Utrecht", "Zuid-Holland")
    client = Client()
    client.force_login(users["diemen-viewer"])
    page = client.get(reverse("quotas:overview")).content.decode()
    assert "Noord-Holland is bij Onderdak niet bekend" in page
    assert "Flevoland, Utrecht, Zuid-Holland" in page
    assert "waarschuwingsfase" not in page  # the removed four-half-years rule


def test_the_asylum_round_shows_the_spreidingswet_cycle_and_next_deadline(
    staff: User, users: dict[str, User]
) -> None:
    round = services.quota_round_create(
        actor=staff,
        target_group="asylum_seeker",
        name="Spreidingswet 2024-2025",
        period_start=date(2024, 2, 1),
        period_end=date(2025, 6, 30),
        unit="places",
        national_total_initial=96_000,
        method="hamilton",
        level="municipality",
        population_date=date(2024, 1, 1),
    )
    view = selectors.round_cycle(round=round, today=date(2024, 6, 1))
    assert view is not None
    assert view.cycle.decision_by == date(2024, 12, 31)
    assert (view.next.code, view.next.due) == ("proposals", date(2024, 11, 1))
    later = selectors.round_cycle(round=round, today=date(2026, 12, 2))
    assert later is not None and (later.next.round_year, later.next.code) == (2026, "decision")
    client = Client()
    client.force_login(users["diemen-viewer"])
    page = client.get(reverse("quotas:round_detail", args=[round.pk])).content.decode()
    assert "Spreidingswet-cyclus van de ronde 2024" in page
    assert "1 november 2024" in page and "31 december 2024" in page and "30 juni 2025" in page
    assert "Volgende deadline" in page


def test_a_status_holder_round_has_no_cycle(staff: User) -> None:
    round = _round(staff, 2025, 1, "code;taakstelling\nGM0384;30\n")
    assert selectors.round_cycle(round=round) is None
