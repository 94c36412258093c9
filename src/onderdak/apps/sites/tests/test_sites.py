"""Sites: imports that write all or nothing, stages, exclusions, ranking, reports and access."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

import pytest
from docx import Document
from openpyxl import load_workbook

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.audit.models import AuditEntry
from onderdak.apps.sites import adapters, services
from onderdak.apps.sites.models import Amenity, Site, StageChange
from onderdak.common.imports import ImportRejected

pytestmark = pytest.mark.django_db

# Points inside Diemen (WGS84)
CENTRE = (4.9600, 52.3390)
NORTH = (4.9650, 52.3460)
EAST = (4.9950, 52.3430)


def longlist(rows: list[str]) -> bytes:
    header = "naam,longitude,latitude,plot_area_m2,available_from,available_until,capacity_places,cost_one_off,local_support,flood_risk,owner"
    return ("\n".join([header, *rows]) + "\n").encode()


def test_import_creates_and_updates_sites(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    content = longlist(
        [
            f"Sportpark,{CENTRE[0]},{CENTRE[1]},12000,2026-01-01,2040-01-01,200,20000000,3,nee,gemeente",
            f"Kantoor,{NORTH[0]},{NORTH[1]},3000,2026-01-01,2036-01-01,80,6000000,2,ja,particulier",
        ]
    )
    created, updated = services.sites_import(
        actor=users["diemen-editor"],
        organisation=organisations["diemen"],
        content=content,
        filename="lijst.csv",
    )
    assert (created, updated) == (2, 0)
    office = Site.objects.get(name="Kantoor")
    assert office.flood_risk is True
    assert office.owner == "private"
    assert office.geometry == {"type": "Point", "coordinates": [NORTH[0], NORTH[1]]}
    assert StageChange.objects.filter(site=office, to_stage="longlist").count() == 1
    again = longlist(
        [f"Kantoor,{NORTH[0]},{NORTH[1]},3500,2026-01-01,2036-01-01,80,6000000,2,nee,particulier"]
    )
    assert services.sites_import(
        actor=users["diemen-editor"],
        organisation=organisations["diemen"],
        content=again,
        filename="lijst.csv",
    ) == (0, 1)
    office.refresh_from_db()
    assert office.plot_area_m2 == 3500


def test_import_with_rd_coordinates(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    content = b"naam;x;y\nRD-locatie;125000;483000\n"
    services.sites_import(
        actor=users["diemen-editor"],
        organisation=organisations["diemen"],
        content=content,
        filename="rd.csv",
    )
    lon, lat = Site.objects.get(name="RD-locatie").geometry["coordinates"]
    assert 4.9 < lon < 5.0
    assert 52.3 < lat < 52.4


def test_bad_import_writes_nothing_and_names_rows_and_fields(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    content = longlist(
        [
            f"Goed,{CENTRE[0]},{CENTRE[1]},12000,2026-01-01,2040-01-01,200,20000000,3,nee,gemeente",
            f"Slecht,{CENTRE[0]},{CENTRE[1]},veel,2026-13-01,2040-01-01,200,20000000,9,misschien,gemeente",
            ",4.96,52.33,,,,,,,nee,gemeente",
            "Buitenland,52.3,4.9,,,,,,,nee,gemeente",
        ]
    )
    with translation.override("nl"), pytest.raises(ImportRejected) as caught:
        services.sites_import(
            actor=users["diemen-editor"],
            organisation=organisations["diemen"],
            content=content,
            filename="l.csv",
        )
    problems = {(e.row, e.field) for e in caught.value.errors}
    assert {  # columns named as the (Dutch) template names them
        (3, "Kaveloppervlakte (m²)"),
        (3, "Beschikbaar vanaf"),
        (3, "Draagvlak (1-5)"),
        (3, "Overstromingsrisicogebied"),
        (4, "Naam"),
        (5, "Lengtegraad (WGS84)"),
        (5, "Breedtegraad (WGS84)"),  # each coordinate under its own column
    } <= problems
    assert not Site.objects.exists()
    assert not AuditEntry.objects.filter(object_type="sites.Site").exists()


def test_geojson_longlist_and_amenities(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    polygon = {
        "type": "Polygon",
        "coordinates": [
            [[4.958, 52.338], [4.962, 52.338], [4.962, 52.341], [4.958, 52.341], [4.958, 52.338]]
        ],
    }
    sites = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": polygon,
                "properties": {"name": "Veld", "plot_area_m2": 8000},
            },
        ],
    }
    services.sites_import(
        actor=users["diemen-editor"],
        organisation=organisations["diemen"],
        content=json.dumps(sites).encode(),
        filename="v.geojson",
    )
    assert Site.objects.get(name="Veld").geometry["type"] == "Polygon"
    amenities = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": list(NORTH)},
                "properties": {"amenity": "school", "name": "De Linde"},
            },
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": list(EAST)},
                "properties": {"shop": "supermarket"},
            },
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": list(CENTRE)},
                "properties": {"highway": "bus_stop"},
            },
        ],
    }
    assert (
        services.amenities_import(
            actor=users["diemen-editor"],
            organisation=organisations["diemen"],
            content=json.dumps(amenities).encode(),
        )
        == 3
    )
    bad = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [4.9, 52.3]},
                "properties": {"amenity": "bench"},
            }
        ],
    }
    with pytest.raises(ImportRejected) as caught:
        services.amenities_import(
            actor=users["diemen-editor"],
            organisation=organisations["diemen"],
            content=json.dumps(bad).encode(),
        )
    assert [(e.row, e.field) for e in caught.value.errors] == [(1, "kind")]
    assert Amenity.objects.count() == 3  # the failed import replaced nothing


def make_site(
    users: dict[str, User],
    organisations: dict[str, Organisation],
    name: str,
    point: tuple[float, float],
    **extra: Any,
) -> Site:
    fields: dict[str, Any] = {
        "geometry": {"type": "Point", "coordinates": list(point)},
        "plot_area_m2": 10_000,
        "available_from": date(2026, 1, 1),
        "available_until": date(2040, 1, 1),
        "capacity_places": 100,
        "cost_one_off": Decimal(10_000_000),
        "local_support": 3,
    }
    fields.update(extra)
    return services.site_create(
        actor=users["diemen-editor"], organisation=organisations["diemen"], name=name, **fields
    )


@pytest.fixture
def scored(users: dict[str, User], organisations: dict[str, Organisation]) -> dict[str, Site]:
    sites = {
        "good": make_site(
            users, organisations, "Goed", CENTRE, cost_one_off=Decimal(8_000_000), local_support=5
        ),
        "poor": make_site(
            users, organisations, "Matig", EAST, cost_one_off=Decimal(15_000_000), local_support=1
        ),
        "third": make_site(users, organisations, "Derde", NORTH),
        "flooded": make_site(users, organisations, "Nat", NORTH, flood_risk=True),
        "short": make_site(users, organisations, "Kort", NORTH, available_until=date(2028, 1, 1)),
        "unknown": make_site(users, organisations, "Onbekend", NORTH, local_support=None),
    }
    amenities = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"kind": kind},
            }
            for kind in ("primary_school", "gp", "supermarket", "public_transport")
            for lon, lat in (CENTRE, NORTH)
        ],
    }
    services.amenities_import(
        actor=users["diemen-editor"],
        organisation=organisations["diemen"],
        content=json.dumps(amenities).encode(),
    )
    services.criteria_ensure(organisation=organisations["diemen"])
    services.weight_set_save(
        actor=users["diemen-editor"],
        organisation=organisations["diemen"],
        name="College",
        weights={"cost_per_place": 3, "local_support": 2, "dist_primary_school": 1},
        ranges={"cost_per_place": (2, 4)},
    )
    services.weight_set_save(
        actor=users["diemen-editor"],
        organisation=organisations["diemen"],
        name="Bewoners",
        weights={"local_support": 4, "concentration": 2},
    )
    return sites


def test_matrix_exclusions_and_ranking(
    scored: dict[str, Site], organisations: dict[str, Organisation]
) -> None:
    organisation = organisations["diemen"]
    criteria = services.criteria_ensure(organisation=organisation)
    matrix = adapters.build_matrix(
        organisation=organisation,
        sites=list(Site.objects.all()),
        criteria=criteria,
        today=date(2026, 6, 1),
    )
    labels = {c.key: c.label for c in criteria}
    assert matrix.exclusions[scored["flooded"].pk] == [labels["flood_risk"]]
    # available 2026-06-01 .. 2028-01-01: 1.58 years, below the minimum of 5
    assert matrix.exclusions[scored["short"].pk] == [
        f"{labels['min_years']} (1,58 < 5)"
    ]  # Dutch number format
    assert scored["good"].pk not in matrix.exclusions
    assert scored["unknown"].pk in matrix.incomplete
    column = [c.key for c in matrix.criteria].index("dist_supermarket")
    row = [s.pk for s in matrix.sites].index(scored["good"].pk)
    assert matrix.values[row, column] == pytest.approx(
        0.0, abs=1.0
    )  # a supermarket at the site itself
    ranked = adapters.rank(
        matrix, {"cost_per_place": 3, "local_support": 2}, method="topsis", normalization="vector"
    )
    assert next(r.site.name for r in ranked) == "Goed"
    assert [r.site.name for r in ranked][-1] == "Matig"  # dominated on both criteria
    assert {r.site.pk for r in ranked}.isdisjoint(
        {scored["flooded"].pk, scored["short"].pk, scored["unknown"].pk}
    )


def test_weight_sets_are_validated(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    with pytest.raises(ValidationError):
        services.weight_set_save(
            actor=users["diemen-editor"],
            organisation=organisations["diemen"],
            name="Leeg",
            weights={"size": 0},
        )
    with pytest.raises(ValidationError):
        services.weight_set_save(
            actor=users["diemen-editor"],
            organisation=organisations["diemen"],
            name="Fout",
            weights={"onbekend": 1},
        )
    with pytest.raises(PermissionDenied):
        services.weight_set_save(
            actor=users["diemen-viewer"],
            organisation=organisations["diemen"],
            name="Kijker",
            weights={"size": 1},
        )


def test_stage_changes_need_a_reason_to_reject_and_keep_history(
    scored: dict[str, Site], users: dict[str, User]
) -> None:
    site = scored["poor"]
    with pytest.raises(ValidationError):
        services.site_set_stage(
            actor=users["diemen-editor"], site=site, stage="rejected", reason=" "
        )
    services.site_set_stage(
        actor=users["diemen-editor"], site=site, stage="shortlist", reason="goede ligging"
    )
    services.site_set_stage(
        actor=users["diemen-editor"], site=site, stage="rejected", reason="te duur"
    )
    history = list(
        site.stage_changes.order_by("pk").values_list("from_stage", "to_stage", "reason")
    )
    assert history[-2:] == [
        ("longlist", "shortlist", "goede ligging"),
        ("shortlist", "rejected", "te duur"),
    ]
    with pytest.raises(PermissionDenied):
        services.site_set_stage(actor=users["diemen-viewer"], site=site, stage="longlist")


def test_pages_reports_and_access(scored: dict[str, Site], users: dict[str, User]) -> None:
    client = Client()
    client.force_login(users["diemen-editor"])
    assert client.get(reverse("sites:list")).status_code == 200
    page = client.get(reverse("sites:ranking"), {"method": "topsis", "w_local_support": "5"})
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        "<svg" in text and "Goed" in text and "Nat" in text
    )  # chart, ranking and an excluded site
    assert client.get(reverse("sites:ranking"), {"method": "promethee2"}).status_code == 200
    response = client.get(reverse("sites:report", args=["docx"]))
    document = Document(io.BytesIO(response.content))
    assert any(
        "Goed" in cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    workbook = load_workbook(io.BytesIO(client.get(reverse("sites:report", args=["xlsx"])).content))
    assert workbook.worksheets[0]["B2"].value == "Goed"
    portfolio = client.get(reverse("sites:portfolio"), {"t_asylum_seeker": "150"})
    result = portfolio.context["result"]
    assert result.status == "optimal"
    assert result.capacity >= 150
    assert len(result.selected) == 2  # two sites of 100 places are needed, the cheapest two
    infeasible = client.get(reverse("sites:portfolio"), {"t_asylum_seeker": "100000"}).context[
        "result"
    ]
    assert infeasible.status == "infeasible"
    assert infeasible.reason
    moved = client.post(
        reverse("sites:stage", args=[scored["good"].pk]),
        {"stage": "shortlist", "reason": "", "next": reverse("sites:ranking")},
    )
    assert moved.status_code == 302
    scored["good"].refresh_from_db()
    assert scored["good"].stage == "shortlist"
    outsider = Client()
    outsider.force_login(users["uithoorn-editor"])
    assert outsider.get(reverse("sites:detail", args=[scored["good"].pk])).status_code == 404
    assert (
        outsider.post(
            reverse("sites:stage", args=[scored["good"].pk]), {"stage": "rejected", "reason": "x"}
        ).status_code
        == 404
    )


def test_api(scored: dict[str, Site], users: dict[str, User]) -> None:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=users["diemen-viewer"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/sites").json()["count"] == 6
    assert len(client.get("/api/v1/site-criteria").json()) == 17
    assert {s["name"] for s in client.get("/api/v1/site-weight-sets").json()} == {
        "College",
        "Bewoners",
    }
    ranking = client.get("/api/v1/site-rankings", {"method": "wsm"}).json()
    assert ranking["ranking"][0]["rank"] == 1
    assert {e["site"] for e in ranking["excluded"]} == {scored["flooded"].pk, scored["short"].pk}
    assert client.get("/api/v1/site-rankings", {"method": "magic"}).status_code == 400
    other = APIClient()
    token, _ = Token.objects.get_or_create(user=users["uithoorn-editor"])
    other.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert other.get(f"/api/v1/sites/{scored['good'].pk}").status_code == 404
    assert timezone.localdate()  # the ranking uses the local date
