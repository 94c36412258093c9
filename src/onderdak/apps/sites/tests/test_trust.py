"""Issue 11 ("A platform people can trust") for sites: every defect found, each with the test
that failed before its fix."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

import pytest
from docx import Document
from openpyxl import load_workbook

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.sites import columns, selectors, services
from onderdak.apps.sites.models import Criterion, Site
from onderdak.common.geometry import geometry_problem, load_json
from onderdak.common.imports import ImportRejected

from .test_sites import CENTRE, EAST, NORTH, make_site, scored  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

POLYGON = {
    "type": "Polygon",
    "coordinates": [
        [[4.958, 52.338], [4.962, 52.338], [4.962, 52.341], [4.958, 52.341], [4.958, 52.338]]
    ],
}


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(user)
    return client


# --- 1. adding a site with coordinates --------------------------------------------------------


def test_adding_a_site_with_a_point_saves_it(users: dict[str, User]) -> None:
    """Was a 500: 'SiteForm' has no field named 'geometry'."""
    response = _client(users["diemen-editor"]).post(
        reverse("sites:create"),
        {"name": "Sportpark", "longitude": "4.96", "latitude": "52.339", "owner": "municipality"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    site = Site.objects.get(name="Sportpark")
    assert site.geometry == {"type": "Point", "coordinates": [4.96, 52.339]}


def test_adding_a_site_with_an_outline_and_the_map_picker(users: dict[str, User]) -> None:
    client = _client(users["diemen-editor"])
    page = client.get(reverse("sites:create"))
    assert page.status_code == 200
    assert page.context["map"]["pick"] == {"longitude": "id_longitude", "latitude": "id_latitude"}
    assert 'id="map"' in page.content.decode()
    response = client.post(
        reverse("sites:create"),
        {"name": "Veld", "geometry_json": json.dumps(POLYGON), "owner": "municipality"},
    )
    assert response.status_code == 302
    assert Site.objects.get(name="Veld").geometry == POLYGON


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"longitude": "4.96"}, "latitude"),  # half a point: the missing half is named
        ({"latitude": "52.3"}, "longitude"),
        ({}, "longitude"),
        ({"geometry_json": '{"type": "Point", "coordinates": [NaN, 52.3]}'}, "geometry_json"),
        ({"geometry_json": "[" * 5000 + "]" * 5000}, "geometry_json"),
        ({"geometry_json": '{"type": "Polygon", "coordinates": "abc"}'}, "geometry_json"),
        ({"geometry_json": '{"type": "Point"}'}, "geometry_json"),
        ({"geometry_json": '{"type": "Point", "coordinates": [52.3, 4.9]}'}, "geometry_json"),
    ],
)
def test_a_wrong_place_is_a_form_error_not_a_500(
    users: dict[str, User], data: dict[str, str], field: str
) -> None:
    response = _client(users["diemen-editor"]).post(
        reverse("sites:create"), {"name": "Fout", "owner": "municipality", **data}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Site.objects.filter(name="Fout").exists()


# --- 2. geometry checked on the way in, pages robust against a bad stored one ----------------


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Polygon", "coordinates": "abc"},
        {"type": "Point"},
        {"type": "Point", "coordinates": [4.9]},
        {"type": "Point", "coordinates": [True, 52.3]},
        {"type": "Point", "coordinates": [float("nan"), 52.3]},
        {"type": "Point", "coordinates": [float("inf"), 52.3]},
        {"type": "Point", "coordinates": [-74.0, 40.7]},  # New York
        {"type": "Polygon", "coordinates": [[[4.95, 52.33], [4.96, 52.34], [4.95, 52.33]]]},
        {  # a bow tie crosses itself
            "type": "Polygon",
            "coordinates": [
                [[4.95, 52.33], [4.96, 52.34], [4.96, 52.33], [4.95, 52.34], [4.95, 52.33]]
            ],
        },
        {"type": "LineString", "coordinates": [[4.95, 52.33], [4.96, 52.34]]},
        [4.95, 52.33],
    ],
)
def test_geometry_problems_are_found(geometry: Any) -> None:
    assert geometry_problem(geometry) is not None


def test_good_geometries_pass() -> None:
    assert geometry_problem({"type": "Point", "coordinates": [4.96, 52.339]}) is None
    assert geometry_problem(POLYGON) is None
    assert (
        geometry_problem({"type": "MultiPolygon", "coordinates": [POLYGON["coordinates"]]}) is None
    )


def test_json_with_nan_or_deep_nesting_is_refused_before_parsing() -> None:
    with pytest.raises(ValueError, match="NaN"):
        load_json('{"coordinates": [NaN, 1]}')
    with pytest.raises(ValueError, match="nested"):
        load_json("[" * 100_000 + "]" * 100_000)  # json.loads would raise RecursionError
    assert load_json('{"name": "[[[[[[[[[[[[[[[[[[["}') == {"name": "[" * 19}


@pytest.mark.parametrize(
    "geometry",
    [
        '{"type": "Polygon", "coordinates": "abc"}',
        '{"type": "Point"}',
        '{"type": "Point", "coordinates": [NaN, 52.3]}',
        '{"type": "Point", "coordinates": [52.3, 4.9]}',
        '{"type": "Point", "coordinates": ' + "[" * 3000 + "]" * 3000 + "}",
    ],
)
def test_geojson_import_refuses_bad_geometry_with_a_row_error(
    users: dict[str, User], organisations: dict[str, Organisation], geometry: str
) -> None:
    content = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"name": "Slecht"}, "geometry": ' + geometry + "}]}"
    ).encode()
    with pytest.raises(ImportRejected) as caught:
        services.sites_import(
            actor=users["diemen-editor"],
            organisation=organisations["diemen"],
            content=content,
            filename="l.geojson",
        )
    assert caught.value.errors
    assert not Site.objects.exists()


def test_amenity_import_refuses_points_outside_the_netherlands(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    content = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"kind": "gp"},
                    "geometry": {"type": "Point", "coordinates": [52.3, 4.9]},
                }
            ],
        }
    ).encode()
    with pytest.raises(ImportRejected) as caught:
        services.amenities_import(
            actor=users["diemen-editor"], organisation=organisations["diemen"], content=content
        )
    assert [(e.row, e.field) for e in caught.value.errors] == [(1, "geometry")]


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Polygon", "coordinates": "abc"},
        {"type": "Point"},
        {"type": "Point", "coordinates": []},
    ],
)
def test_pages_survive_a_bad_stored_geometry(
    scored: dict[str, Site],  # noqa: F811 - the fixture imported above
    users: dict[str, User],
    geometry: Any,
) -> None:
    """A geometry stored before the check (or around it) made ranking, portfolio, both council
    reports, the rankings API and the site page 500s."""
    Site.objects.filter(pk=scored["good"].pk).update(geometry=geometry)
    client = _client(users["diemen-editor"])
    for url in (
        reverse("sites:list"),
        reverse("sites:detail", args=[scored["good"].pk]),
        reverse("sites:update", args=[scored["good"].pk]),
        reverse("sites:ranking"),
        reverse("sites:portfolio") + "?t_asylum_seeker=100",
    ):
        assert client.get(url).status_code == 200, url
    ranking = client.get(reverse("sites:ranking"))
    assert scored["good"].pk in ranking.context["analysis"].matrix.incomplete
    assert all(r.site.pk != scored["good"].pk for r in ranking.context["analysis"].ranked)
    Document(io.BytesIO(client.get(reverse("sites:report", args=["docx"])).content))
    load_workbook(io.BytesIO(client.get(reverse("sites:report", args=["xlsx"])).content))
    api = APIClient()
    api.force_authenticate(users["diemen-editor"])
    assert api.get("/api/v1/site-rankings").status_code == 200
    assert api.get(f"/api/v1/sites/{scored['good'].pk}").status_code == 200


# --- 5. no open redirect ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"]
)
def test_stage_change_does_not_redirect_elsewhere(
    users: dict[str, User], organisations: dict[str, Organisation], target: str
) -> None:
    site = make_site(users, organisations, "Plek", CENTRE)
    response = _client(users["diemen-editor"]).post(
        reverse("sites:stage", args=[site.pk]), {"stage": "shortlist", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("sites:detail", args=[site.pk])


def test_stage_change_follows_a_local_next(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    site = make_site(users, organisations, "Plek", CENTRE)
    target = reverse("sites:ranking") + "?method=wsm"
    response = _client(users["diemen-editor"]).post(
        reverse("sites:stage", args=[site.pk]), {"stage": "shortlist", "next": target}
    )
    assert response["Location"] == target


# --- 6. a GET writes nothing ------------------------------------------------------------------


def test_reading_criteria_writes_nothing(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    api = APIClient()
    api.force_authenticate(users["diemen-viewer"])
    criteria = api.get("/api/v1/site-criteria").json()
    assert len(criteria) == 17
    assert not Criterion.objects.exists()
    client = _client(users["diemen-viewer"])
    for name in ("sites:ranking", "sites:weights", "sites:portfolio"):
        assert client.get(reverse(name)).status_code == 200
    assert api.get("/api/v1/site-rankings").status_code == 400  # no sites: said, not written
    assert not Criterion.objects.exists()
    services.weight_set_save(
        actor=users["diemen-editor"],
        organisation=organisations["diemen"],
        name="Raad",
        weights={"size": 1},
    )
    assert Criterion.objects.count() == 17  # stored by the first write that needs them


# --- 7. the engine's messages in Dutch ----------------------------------------------------------


def test_no_english_engine_message_on_the_ranking_page(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    make_site(users, organisations, "Enige", CENTRE)
    with translation.override("nl"):
        page = _client(users["diemen-editor"]).get(reverse("sites:ranking"))
    text = page.content.decode()
    assert "at least two" not in text
    assert "sites:" not in page.context["analysis"].error
    assert "ten minste twee locaties" in text


def test_api_errors_are_dutch_too(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    make_site(users, organisations, "Enige", CENTRE)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="nl")
    api.force_authenticate(users["diemen-editor"])
    response = api.get("/api/v1/site-rankings")
    assert response.status_code == 400
    assert "ten minste twee locaties" in json.dumps(response.json(), ensure_ascii=False)


def test_service_validation_messages_are_translated(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    from django.core.exceptions import ValidationError

    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        services.weight_set_save(
            actor=users["diemen-editor"],
            organisation=organisations["diemen"],
            name="Nul",
            weights={"size": 0},
        )
    assert "Geef ten minste één criterium een gewicht groter dan 0." in caught.value.messages
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.weight_set_save(
            actor=users["diemen-editor"],
            organisation=organisations["diemen"],
            name="Nul",
            weights={"size": 0},
        )
    assert "Give at least one criterion a weight above 0." in caught.value.messages


def test_portfolio_reason_is_dutch(
    scored: dict[str, Site],  # noqa: F811 - the fixture imported above
    users: dict[str, User],
) -> None:
    with translation.override("nl"):
        page = _client(users["diemen-editor"]).get(
            reverse("sites:portfolio"), {"t_asylum_seeker": "100000"}
        )
    assert page.context["result"].reason_code == "group_capacity"
    assert "plaatsen" in page.context["reason"]
    assert "places" not in page.context["reason"]
    assert "asylum_seeker" not in page.context["reason"]
    assert "target group" not in page.content.decode()


# --- 8. Dutch columns and a template --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_imports_as_it_is(
    users: dict[str, User], organisations: dict[str, Organisation], fmt: str
) -> None:
    with translation.override("nl"):
        response = _client(users["diemen-editor"]).get(
            reverse("sites:import-template"), {"format": fmt}
        )
    assert response.status_code == 200
    content = response.content
    if fmt == "csv":
        header = content.decode("utf-8-sig").splitlines()[0].split(";")
    else:
        header = [str(c.value) for c in next(load_workbook(io.BytesIO(content)).worksheets[0].rows)]
    assert header[:3] == ["Naam", "Lengtegraad (WGS84)", "Breedtegraad (WGS84)"]
    assert services.sites_import(
        actor=users["diemen-editor"],
        organisation=organisations["diemen"],
        content=content,
        filename=f"sjabloon.{fmt}",
    ) == (1, 0)
    site = Site.objects.get(name="Sportpark Noord")
    assert site.plot_area_m2 == 12000
    assert str(site.available_from) == "2026-01-01"
    assert site.target_groups == ["status_holder", "displaced_ukrainian"]
    assert site.geometry == {"type": "Point", "coordinates": [4.96, 52.339]}


def test_errors_name_the_dutch_column_and_the_right_coordinate(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    content = "Naam;Lengtegraad;Breedtegraad;Kaveloppervlakte (m²)\nA;4,96;99;veel\nB;4,96;;1\n"
    with translation.override("nl"), pytest.raises(ImportRejected) as caught:
        services.sites_import(
            actor=users["diemen-editor"],
            organisation=organisations["diemen"],
            content=content.encode(),
            filename="l.csv",
        )
    assert {(e.row, e.field) for e in caught.value.errors} == {
        (2, "Breedtegraad (WGS84)"),  # a wrong latitude was reported under 'longitude'
        (2, "Kaveloppervlakte (m²)"),
        (3, "Breedtegraad (WGS84)"),
    }


def test_geojson_properties_may_use_the_dutch_names(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    content = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": POLYGON,
                    "properties": {"Naam": "Veld", "Kaveloppervlakte (m²)": "8000"},
                }
            ],
        }
    ).encode()
    services.sites_import(
        actor=users["diemen-editor"],
        organisation=organisations["diemen"],
        content=content,
        filename="v.geojson",
    )
    assert Site.objects.get(name="Veld").plot_area_m2 == 8000


def test_viewer_gets_no_template(users: dict[str, User]) -> None:
    assert _client(users["diemen-viewer"]).get(reverse("sites:import-template")).status_code == 403


# --- 9. one read model for the ranking ---------------------------------------------------------


def test_page_and_api_render_the_same_ranking(
    scored: dict[str, Site],  # noqa: F811 - the fixture imported above
    users: dict[str, User],
) -> None:
    page = _client(users["diemen-editor"]).get(reverse("sites:ranking"), {"method": "wsm"})
    api = APIClient()
    api.force_authenticate(users["diemen-editor"])
    ranking = api.get("/api/v1/site-rankings", {"method": "wsm"}).json()["ranking"]
    assert [(r["site"], r["rank"]) for r in ranking] == [
        (r.site.pk, r.rank) for r in page.context["analysis"].ranked
    ]
    assert isinstance(page.context["analysis"], selectors.Analysis)


# --- 10. viewers and regional coordinators -----------------------------------------------------


def test_viewer_sees_no_edit_or_import_links(
    scored: dict[str, Site],  # noqa: F811 - the fixture imported above
    users: dict[str, User],
) -> None:
    client = _client(users["diemen-viewer"])
    forbidden = (
        reverse("sites:create"),
        reverse("sites:import"),
        reverse("sites:update", args=[scored["good"].pk]),
        reverse("sites:delete", args=[scored["good"].pk]),
        reverse("sites:stage", args=[scored["good"].pk]),
    )
    for url in (
        reverse("sites:list"),
        reverse("sites:detail", args=[scored["good"].pk]),
        reverse("sites:ranking"),
        reverse("sites:portfolio"),
        reverse("sites:weights"),
    ):
        text = client.get(url).content.decode()
        for link in forbidden:
            assert f'href="{link}"' not in text, (url, link)
            assert f'action="{link}"' not in text, (url, link)
    assert client.get(reverse("sites:import")).status_code == 403
    editor = _client(users["diemen-editor"]).get(reverse("sites:list")).content.decode()
    assert f'href="{reverse("sites:import")}"' in editor


def test_regional_coordinator_sees_what_members_share(
    scored: dict[str, Site],  # noqa: F811 - the fixture imported above
    users: dict[str, User],
) -> None:
    Site.objects.filter(pk__in=[s.pk for s in scored.values()]).update(shared=True)
    hidden = make_site(users, {"diemen": scored["good"].organisation}, "Geheim", EAST)
    client = _client(users["duo-coordinator"])
    listing = client.get(reverse("sites:list"))
    names = {s.name for s in listing.context["table"].page.object_list}
    assert "Goed" in names
    assert hidden.name not in names
    assert listing.context["regional"] is True
    ranking = client.get(reverse("sites:ranking"))
    analysis = ranking.context["analysis"]
    assert analysis.organisation == scored["good"].organisation
    assert analysis.ranked and not analysis.error
    assert hidden.pk not in {s.pk for s in analysis.matrix.sites}
    # the coordinator may change the shared sites, so the ranking offers the stage change
    assert ranking.context["changeable"] == {r.site.pk for r in analysis.ranked}
    assert reverse("sites:stage", args=[analysis.ranked[0].site.pk]) in ranking.content.decode()
    assert client.get(reverse("sites:ranking"), {"organisatie": "999999"}).status_code == 404
    assert client.get(reverse("sites:portfolio")).status_code == 200


# --- 4. the map script -----------------------------------------------------------------------


MAP_JS = Path(__file__).parents[2] / "core" / "static" / "onderdak" / "js" / "map.js"


def test_map_tooltips_are_text_and_the_map_returns_after_a_swap() -> None:
    script = MAP_JS.read_text()
    assert "bindTooltip(textOf(" in script
    assert "textContent" in script
    assert "innerHTML" not in script
    assert "htmx:afterSettle" in script
    assert ".style." not in script and 'setAttribute("style"' not in script


def test_template_column_names_are_unique() -> None:
    headers = [str(c.label) for c in columns.COLUMNS]
    assert len(headers) == len(set(headers))


# --- 9. demo seeds in demo.py ----------------------------------------------------------------


def test_demo_seed_lives_in_demo_and_shares_with_the_region(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    from onderdak.apps.geo.models import Municipality
    from onderdak.apps.sites import demo

    assert not hasattr(services, "demo_seed")
    boundary = Municipality.objects.get(code="GM0384").boundary
    diemen = organisations["diemen"]
    assert (
        demo.demo_seed(actor=users["diemen-editor"], organisation=diemen, boundary=boundary) == 28
    )
    assert Site.objects.filter(organisation=diemen).count() == 28
    assert Site.objects.filter(organisation=diemen, shared=True).count() == 10
    assert demo.demo_seed(actor=users["diemen-editor"], organisation=diemen, boundary=boundary) == 0
    coordinator = _client(users["duo-coordinator"]).get(reverse("sites:ranking"))
    assert coordinator.context["analysis"].organisation == diemen
