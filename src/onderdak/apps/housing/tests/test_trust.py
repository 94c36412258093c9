"""Issue 11 ("a platform people can trust") for flex homes and placement: every defect found
by testing housing as users and attackers would, each with the test that failed before."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.audit.models import AccessLog
from onderdak.apps.housing import selectors, services
from onderdak.apps.housing.forms import HouseholdForm
from onderdak.apps.housing.models import Complex, Household, Placement, Proposal, Unit
from onderdak.apps.quotas.models import Realisation

pytestmark = pytest.mark.django_db


def make_complex(
    users: dict[str, User],
    organisations: dict[str, Organisation],
    *,
    name: str = "Diemerdreef",
    count: int = 6,
    **extra: Any,
) -> Complex:
    created = services.complex_create(
        actor=users["diemen-editor"],
        organisation=organisations["diemen"],
        name=name,
        kind="flex_homes",
        longitude=4.96,
        latitude=52.34,
        **extra,
    )
    services.units_add(
        actor=users["diemen-editor"],
        complex=created,
        count=count,
        rooms=2,
        area_m2=38,
        max_occupants=3,
    )
    return created


def make_household(
    users: dict[str, User],
    organisations: dict[str, Organisation],
    key: str = "diemen",
    **extra: Any,
) -> Household:
    fields: dict[str, Any] = {
        "target_group": "status_holder",
        "adults": 1,
        "waiting_since": date(2025, 1, 1),
    }
    fields.update(extra)
    actor = users["uithoorn-editor"] if key == "uithoorn" else users["diemen-editor"]
    return services.household_create(actor=actor, organisation=organisations[key], **fields)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- 1. adding units: the next free number, a clash is a form error ----------------------------


def test_add_units_prefills_the_next_free_number(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    complex = make_complex(users, organisations, count=6)
    page = client_for(users["diemen-editor"]).get(
        reverse("housing:complex_detail", args=[complex.pk])
    )
    assert page.context["form"]["first_number"].value() == 7


def test_add_units_with_a_taken_number_is_a_form_error_naming_the_unit_number(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    complex = make_complex(users, organisations, count=6)
    page = client_for(users["diemen-editor"]).post(
        reverse("housing:complex_detail", args=[complex.pk]),
        {
            "count": "2",
            "first_number": "1",
            "rooms": "2",
            "area_m2": "40",
            "max_occupants": "3",
            "accessible": "0",
        },
    )
    assert page.status_code == 200
    errors = page.context["form"].errors["first_number"]
    assert errors == [
        "Wooneenheden met de nummers 1, 2 bestaan al in dit complex; het eerstvolgende vrije "
        "nummer is 7."
    ]
    assert "en Aantal" not in page.content.decode()  # Django's "... met deze Complex en Aantal"
    assert complex.units.count() == 6


def test_units_add_service_refuses_a_clash_on_the_first_number_field(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    complex = make_complex(users, organisations, count=3)
    with pytest.raises(ValidationError) as caught:
        services.units_add(
            actor=users["diemen-editor"],
            complex=complex,
            count=1,
            rooms=1,
            area_m2=20,
            max_occupants=1,
            first_number=3,
        )
    assert list(caught.value.message_dict) == ["first_number"]


# --- 2. a proposal for complex=abc ------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999", "-1"])
def test_proposal_for_a_malformed_complex_is_a_clear_message(
    users: dict[str, User], organisations: dict[str, Organisation], value: str
) -> None:
    make_household(users, organisations)
    response = client_for(users["diemen-editor"]).post(
        reverse("housing:proposal_create"), {"complex": value}, follow=True
    )
    assert response.status_code == 200
    assert "Kies een bestaand complex voor het voorstel." in response.content.decode()
    assert not Proposal.objects.exists()


# --- 3. households scoped before paging; search and sort --------------------------------------


def test_household_list_is_scoped_before_paging_and_counting(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    for _ in range(30):
        make_household(users, organisations, key="uithoorn", waiting_since=date(2024, 1, 1))
    own = [make_household(users, organisations) for _ in range(3)]
    page = client_for(users["diemen-viewer"]).get(reverse("housing:household_list"))
    table = page.context["table"]
    assert table.total == 3
    assert table.page.paginator.num_pages == 1
    assert {h.pk for h in table.page.object_list} == {h.pk for h in own}
    log = AccessLog.objects.get(purpose=selectors.PURPOSE_LIST)
    assert sorted(int(i) for i in log.object_ids.split(",")) == sorted(h.pk for h in own)


def test_household_export_is_scoped_searched_and_logged(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    make_household(users, organisations, key="uithoorn")
    own = make_household(users, organisations)
    make_household(users, organisations, target_group="displaced_ukrainian")
    response = client_for(users["diemen-viewer"]).get(
        reverse("housing:household_list"), {"export": "csv", "target_group": "status_holder"}
    )
    text = response.content.decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 2 and own.code in text
    log = AccessLog.objects.get()
    assert (log.purpose, log.action, log.object_ids) == (
        selectors.PURPOSE_EXPORT,
        "export",
        str(own.pk),
    )


def test_household_list_searches_code_target_group_and_status(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    holder = make_household(users, organisations)
    ukrainian = make_household(users, organisations, target_group="displaced_ukrainian")
    client = client_for(users["diemen-viewer"])
    url = reverse("housing:household_list")

    def found(**query: str) -> set[int]:
        return {h.pk for h in client.get(url, query).context["table"].page.object_list}

    assert found(q=holder.code) == {holder.pk}
    assert found(q=holder.code.lower()) == {holder.pk}
    assert found(q="oekraïne") == {ukrainian.pk}  # the Dutch label of the target group
    assert found(target_group="status_holder") == {holder.pk}
    assert found(status="placed") == set()
    assert found(status="all", q="wachtend") == {holder.pk, ukrainian.pk}


def test_household_list_sorts_by_persons(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    big = make_household(users, organisations, adults=2, minors_4_11=3)
    small = make_household(users, organisations, adults=1)
    client = client_for(users["diemen-viewer"])
    rows = client.get(reverse("housing:household_list"), {"sort": "-persons"}).context["table"]
    assert [h.pk for h in rows.page.object_list] == [big.pk, small.pk]


# --- 4. personal data read only with an access-log entry --------------------------------------


def test_unit_grid_logs_the_households_it_shows(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    complex = make_complex(users, organisations, count=2)
    placed = make_household(users, organisations)
    services.placement_create(
        actor=users["diemen-editor"], household=placed, unit=complex.units.get(number="1")
    )
    page = client_for(users["diemen-viewer"]).get(
        reverse("housing:complex_detail", args=[complex.pk])
    )
    assert placed.code in page.content.decode()
    log = AccessLog.objects.get()
    assert log.purpose == selectors.PURPOSE_UNITS
    assert log.object_ids == str(placed.pk)


def test_changing_a_household_logs_one_read(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    household = make_household(users, organisations)
    client = client_for(users["diemen-editor"])
    client.get(reverse("housing:household_update", args=[household.pk]))
    assert AccessLog.objects.filter(purpose=selectors.PURPOSE_DETAIL).count() == 1


def test_realisation_reference_has_no_household_code(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    complex = make_complex(users, organisations, count=1)
    household = make_household(users, organisations)
    placement = services.placement_create(
        actor=users["diemen-editor"], household=household, unit=complex.units.get()
    )
    realisation = Realisation.objects.get()
    assert realisation.reference == f"plaatsing {placement.pk}"
    assert household.code not in realisation.reference


def test_proposal_list_api_logs_one_read_per_request(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    make_complex(users, organisations, count=2)
    households = [make_household(users, organisations) for _ in range(2)]
    for _ in range(3):
        services.proposal_make(actor=users["diemen-editor"], organisation=organisations["diemen"])
    api = APIClient()
    token, _ = Token.objects.get_or_create(user=users["diemen-viewer"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    body = api.get("/api/v1/placement-proposals").json()
    assert len(body) == 3 and all(len(p["lines"]) == 2 for p in body)
    log = AccessLog.objects.get(purpose=selectors.PURPOSE_PROPOSAL)
    assert log.object_ids == ",".join(str(h.pk) for h in sorted(households, key=lambda h: h.pk))


@pytest.mark.parametrize(
    "query",
    [
        {"verplaatsen": "abc"},
        {"verplaatsen": "99999999999999999999"},
        {"verplaatsen": "3", "kosten": "1e999999"},
        {"verplaatsen": "3", "kosten": "NaN"},
        {"verplaatsen": "3", "kosten": "-5"},
    ],
)
def test_bad_relocation_scenario_is_a_message(
    users: dict[str, User], organisations: dict[str, Organisation], query: dict[str, str]
) -> None:
    complex = make_complex(users, organisations, count=1)
    page = client_for(users["diemen-viewer"]).get(
        reverse("housing:complex_detail", args=[complex.pk]), query
    )
    assert page.status_code == 200
    assert page.context["scenario"] is None
    assert "Vul voor het verplaatsingsscenario gehele getallen in." in page.content.decode()


# --- 5. the engine's reasons in Dutch; labels, not codes; plurals ------------------------------


def test_proposal_page_gives_the_reasons_in_dutch_with_labels(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    complex = make_complex(users, organisations, count=1)
    complex.units.update(target_groups=["status_holder"])
    make_household(users, organisations)
    make_household(users, organisations, target_group="displaced_ukrainian")
    proposal = services.proposal_make(
        actor=users["diemen-editor"], organisation=organisations["diemen"]
    )
    text = (
        client_for(users["diemen-editor"])
        .get(reverse("housing:proposal_detail", args=[proposal.pk]))
        .content.decode()
    )
    assert "Not placed" not in text and "displaced_ukrainian" not in text
    assert "Geen passende wooneenheid: 1 wooneenheid niet bedoeld voor Ontheemden" in text
    assert "1 plaatsing voorgesteld" in text
    assert "wachttijd: " in text  # score parts by their Dutch names


def test_outcompeted_reason_in_dutch(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    make_complex(users, organisations, count=1)
    make_household(users, organisations, waiting_since=date(2020, 1, 1))
    make_household(users, organisations)
    proposal = services.proposal_make(
        actor=users["diemen-editor"], organisation=organisations["diemen"]
    )
    text = (
        client_for(users["diemen-editor"])
        .get(reverse("housing:proposal_detail", args=[proposal.pk]))
        .content.decode()
    )
    assert (
        "In de best passende wooneenheid zijn andere huishoudens geplaatst: Diemerdreef 1." in text
    )
    assert "outcompeted" not in text


def test_complex_page_shows_target_group_labels(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    complex = make_complex(
        users,
        organisations,
        subsidy_min_share=0.3,
        subsidy_groups=["displaced_ukrainian", "status_holder"],
    )
    complex.units.filter(number="1").update(target_groups=["status_holder"])
    text = (
        client_for(users["diemen-viewer"])
        .get(reverse("housing:complex_detail", args=[complex.pk]))
        .content.decode()
    )
    assert "displaced_ukrainian" not in text and "status_holder" not in text
    assert "Statushouders" in text


def test_household_page_uses_plurals(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    household = make_household(users, organisations, adults=1, minors_4_11=2)
    text = (
        client_for(users["diemen-viewer"])
        .get(reverse("housing:household_detail", args=[household.pk]))
        .content.decode()
    )
    assert "1 volwassene," in text and "1 volwassenen" not in text
    assert "2 kinderen van 4-11 jaar" in text and "0 kinderen van 0-3 jaar" in text


def test_service_errors_are_translated(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    complex = make_complex(users, organisations, count=1)
    with pytest.raises(ValidationError) as caught:
        services.units_add(
            actor=users["diemen-editor"],
            complex=complex,
            count=0,
            rooms=1,
            area_m2=20,
            max_occupants=1,
        )
    assert caught.value.message_dict == {"count": ["Voeg ten minste één wooneenheid toe."]}


# --- 6. move-out asks the date and confirms; proposals confirm what will be written -----------


@pytest.fixture
def placed(users: dict[str, User], organisations: dict[str, Organisation]) -> Placement:
    complex = make_complex(users, organisations, count=1)
    household = make_household(users, organisations)
    return services.placement_create(
        actor=users["diemen-editor"],
        household=household,
        unit=complex.units.get(),
        start=timezone.localdate() - timedelta(days=30),
    )


def test_move_out_asks_the_date_and_shows_what_happens(
    users: dict[str, User], placed: Placement
) -> None:
    client = client_for(users["diemen-editor"])
    url = reverse("housing:placement_end", args=[placed.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "komt op die datum leeg" in text
    assert "De realisatie van de taakstelling door deze plaatsing blijft ongewijzigd" in text
    assert page.context["form"]["end"].value() == timezone.localdate()
    # a POST without the confirmation writes nothing
    client.post(url, {"end": timezone.localdate().isoformat()})
    placed.refresh_from_db()
    assert placed.end is None


@pytest.mark.parametrize("days", [-31, 93])
def test_move_out_date_outside_the_limits_is_a_form_error(
    users: dict[str, User], placed: Placement, days: int
) -> None:
    client = client_for(users["diemen-editor"])
    day = timezone.localdate() + timedelta(days=days)
    page = client.post(
        reverse("housing:placement_end", args=[placed.pk]),
        {"end": day.isoformat(), "confirm": "1"},
    )
    assert page.status_code == 200
    assert page.context["form"].errors["end"]
    placed.refresh_from_db()
    assert placed.end is None


def test_move_out_on_the_given_date_keeps_the_realisation(
    users: dict[str, User], placed: Placement
) -> None:
    day = timezone.localdate() - timedelta(days=3)
    response = client_for(users["diemen-editor"]).post(
        reverse("housing:placement_end", args=[placed.pk]), {"end": day.isoformat(), "confirm": "1"}
    )
    assert response.status_code == 302
    placed.refresh_from_db()
    assert placed.end == day
    assert placed.unit.status == "vacant"
    assert Realisation.objects.count() == 1


def test_move_out_service_refuses_a_far_future_date(
    users: dict[str, User], placed: Placement
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.placement_end(
            actor=users["diemen-editor"],
            placement=placed,
            end=timezone.localdate() + timedelta(days=services.MOVE_OUT_MAX_DAYS_AHEAD + 1),
        )
    assert list(caught.value.message_dict) == ["end"]


def test_viewer_cannot_register_a_move_out(users: dict[str, User], placed: Placement) -> None:
    client = client_for(users["diemen-viewer"])
    assert client.get(reverse("housing:placement_end", args=[placed.pk])).status_code == 403


def test_proposal_ticks_nothing_and_confirms_what_will_be_written(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    make_complex(users, organisations, count=2)
    first = make_household(users, organisations)
    second = make_household(users, organisations, target_group="displaced_ukrainian")
    proposal = services.proposal_make(
        actor=users["diemen-editor"], organisation=organisations["diemen"]
    )
    lines = {line.household_id: line for line in proposal.lines.all()}
    client = client_for(users["diemen-editor"])
    url = reverse("housing:proposal_detail", args=[proposal.pk])
    page = client.get(url).content.decode()
    assert 'name="accept"' in page and re.search(r'name="accept"[^>]*checked', page) is None
    review = client.post(url, {"accept": [str(lines[first.pk].pk)]})
    assert review.status_code == 200
    assert [line.pk for line in review.context["accepted"]] == [lines[first.pk].pk]
    assert [line.pk for line in review.context["rejected"]] == [lines[second.pk].pk]
    text = review.content.decode()
    assert first.code in text and "1 persoon geteld" in text
    assert not Placement.objects.exists()
    confirmed = client.post(url, {"accept": [str(lines[first.pk].pk)], "confirm": "1"})
    assert confirmed.status_code == 302
    assert list(Placement.objects.values_list("household_id", flat=True)) == [first.pk]
    second.refresh_from_db()
    assert second.status == "waiting"
    again = client.post(url, {"accept": [str(lines[second.pk].pk)]}, follow=True)
    assert "Over dit voorstel is al beslist." in again.content.decode()
    assert "housing/proposal_confirm.html" not in [t.name for t in again.templates]


# --- 7. natural sort, viewers, the regional coordinator ---------------------------------------


def test_unit_grid_sorts_numbers_naturally(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    complex = make_complex(users, organisations, count=12)
    Unit.objects.create(complex=complex, number="10a", rooms=1, area_m2=20, max_occupants=1)
    page = client_for(users["diemen-viewer"]).get(
        reverse("housing:complex_detail", args=[complex.pk])
    )
    numbers = [cell["unit"].number for cell in page.context["grid"]]
    assert numbers == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "10a", "11", "12"]


def test_viewers_see_no_edit_or_create_links(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    complex = make_complex(users, organisations)
    household = make_household(users, organisations)
    client = client_for(users["diemen-viewer"])
    pages = {
        reverse("housing:complex_list"): [reverse("housing:complex_create")],
        reverse("housing:complex_detail", args=[complex.pk]): [
            reverse("housing:complex_update", args=[complex.pk]),
            reverse("housing:proposal_create"),
        ],
        reverse("housing:household_list"): [
            reverse("housing:household_create"),
            reverse("housing:proposal_create"),
        ],
        reverse("housing:household_detail", args=[household.pk]): [
            reverse("housing:household_update", args=[household.pk])
        ],
        reverse("housing:proposal_list"): [reverse("housing:proposal_create")],
    }
    for url, forbidden in pages.items():
        text = client.get(url).content.decode()
        for link in forbidden:
            assert link not in text, (url, link)
            assert client.get(link).status_code in (403, 405)


def test_regional_coordinator_sees_shared_complexes_and_only_shared_households(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    complex = make_complex(users, organisations, count=2, shared=True)
    make_complex(users, organisations, name="Niet gedeeld", count=1)
    hidden = make_household(users, organisations)
    shown = make_household(users, organisations, shared=True)
    for household, number in ((hidden, "1"), (shown, "2")):
        services.placement_create(
            actor=users["diemen-editor"],
            household=household,
            unit=complex.units.get(number=number),
        )
    client = client_for(users["duo-coordinator"])
    listing = client.get(reverse("housing:complex_list"))
    assert [c.name for c in listing.context["table"].page.object_list] == ["Diemerdreef"]
    text = listing.content.decode()
    assert "Gemeente Diemen" in text and "regiobeeld" in text
    assert reverse("housing:complex_create") not in text
    detail = client.get(reverse("housing:complex_detail", args=[complex.pk])).content.decode()
    assert shown.code in detail and hidden.code not in detail
    assert reverse("housing:proposal_create") not in detail  # it would answer 403
    assert "1 huishouden niet gedeeld" in detail
    log = AccessLog.objects.get(purpose=selectors.PURPOSE_UNITS)
    assert log.object_ids == str(shown.pk)
    households = client.get(reverse("housing:household_list"), {"status": "all"})
    assert [h.pk for h in households.context["table"].page.object_list] == [shown.pk]
    waiting = client.get(reverse("housing:household_list")).content.decode()
    assert "Er is geen huishouden met deze status met de regio gedeeld" in waiting


# --- 8. domain rules from the engine ----------------------------------------------------------


def test_placement_uses_the_engines_size_rule_with_family_reunification(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    """The engine counts expected family reunification when a unit must fit (check_pair);
    the service repeated the rule without it and let 3 + 2 persons into a unit for 3."""
    complex = make_complex(users, organisations, count=1)
    household = make_household(users, organisations, adults=3, reunification_persons=2)
    problems = services.placement_problems(household, complex.units.get())
    assert problems == ["wooneenheid Diemerdreef 1 is te klein (3 plaatsen)"]


# --- 9. demo seeds in demo.py ----------------------------------------------------------------


def test_demo_seed_lives_in_demo_and_shares_the_complexes_with_the_region(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    from onderdak.apps.housing.demo import demo_seed

    placed = demo_seed(actor=users["diemen-editor"], organisation=organisations["diemen"])
    assert placed > 0
    assert Complex.objects.filter(shared=True).count() == 2
    assert demo_seed(actor=users["diemen-editor"], organisation=organisations["diemen"]) == 0
    assert services.demo_seed is not None  # kept for the demo command until it imports .demo


def test_a_tie_location_outside_the_netherlands_is_a_form_error() -> None:
    """Regression (issue 11 walk): 10^25 and -5 as RD coordinates were accepted; RD New covers
    the Netherlands with x from -7,000 to 300,000 and y from 289,000 to 629,000."""
    with translation.override("nl"):
        form = HouseholdForm(data={"tie_x": "1e25", "tie_y": "-5"})
        assert not form.is_valid()
        assert "Buiten Nederland" in form.errors["tie_x"][0]
        assert "289.000 en 629.000" in form.errors["tie_y"][0]
        inside = HouseholdForm(data={"tie_x": "126000", "tie_y": "480000"})
        inside.is_valid()
        assert "tie_x" not in inside.errors and "tie_y" not in inside.errors
