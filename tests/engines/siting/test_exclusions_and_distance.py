"""Hard criteria (every reason per site) and distances in RD New."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from onderdak.engines.siting import (
    SitingInputError,
    apply_exclusions,
    flag_rule,
    maximum_rule,
    minimum_rule,
    nearest_distances,
    standard_rules,
    to_rd,
    to_wgs84,
)

# --------------------------------------------------------------------------------------------
# Exclusions
# --------------------------------------------------------------------------------------------

SITES = ["Bergwijkdreef", "Diemerdreef", "Maalderij", "Sportpark"]
FACTS: dict[str, list[bool | int | float | None]] = {
    "flood_risk": [False, True, False, None],
    "natura2000": [False, False, False, True],
    "zoning_conflict": [False, True, 0, 1],
    "soil_contamination": [False, False, False, False],
    "area_m2": [2400.0, 1500.0, 300.0, float("nan")],
    "years_available": [10, 0.25, 5, 15],
    "noise_db": [48.0, 62.0, 50.0, 70.0],
}


def test_every_reason_per_site_in_rule_order() -> None:
    rules = standard_rules(min_area_m2=500, max_noise_db=55)
    result = apply_exclusions(FACTS, rules, sites=SITES)
    assert result.excluded.tolist() == [False, True, True, True]
    assert result.kept == ("Bergwijkdreef",)
    assert result.removed == ("Diemerdreef", "Maalderij", "Sportpark")
    diemerdreef = result.reasons_for("Diemerdreef")
    assert [r.rule for r in diemerdreef] == [
        "flood_risk",
        "zoning_conflict",
        "minimum_years",
        "noise_contour",
    ]
    assert diemerdreef[0].message == "in a flood risk zone"
    assert diemerdreef[2].message == "years_available 0.25 is below the minimum 0.5"
    assert diemerdreef[2].value == 0.25
    assert diemerdreef[2].limit == 0.5
    assert [r.rule for r in result.reasons_for("Maalderij")] == ["minimum_area"]
    # unknown facts do not exclude, they are reported
    assert result.unknown[3] == ("flood_risk", "minimum_area")
    assert [r.rule for r in result.reasons_for("Sportpark")] == [
        "natura2000",
        "zoning_conflict",
        "noise_contour",
    ]
    assert result.reasons_for("Bergwijkdreef") == ()
    assert result.counts() == {
        "flood_risk": 1,
        "natura2000": 1,
        "zoning_conflict": 2,
        "soil_contamination": 0,
        "minimum_area": 1,
        "minimum_years": 1,
        "noise_contour": 2,
    }


def test_custom_rules_and_descriptions() -> None:
    rules = [
        flag_rule("cables_and_pipes", description="crossed by a gas pipeline"),
        minimum_rule("places", 50, description="COA: at least 50 places"),
        maximum_rule("distance_station_m", 1200),
    ]
    facts: dict[str, list[bool | int | float | None]] = {
        "cables_and_pipes": [True, False],
        "places": [80, 30],
        "distance_station_m": [900, 1500],
    }
    result = apply_exclusions(facts, rules, sites=["a", "b"])
    assert [r.message for r in result.reasons[0]] == ["crossed by a gas pipeline"]
    assert [r.message for r in result.reasons[1]] == [
        "COA: at least 50 places: places 30 is below the minimum 50",
        "distance_station_m 1500 is above the maximum 1200",
    ]


@pytest.mark.parametrize(
    ("facts", "rules", "message"),
    [
        ({}, [flag_rule("flood_risk")], "fact 'flood_risk' is not given"),
        ({"flood_risk": [True]}, [flag_rule("flood_risk")], "1 values for 2 sites"),
        ({"flood_risk": ["yes", False]}, [flag_rule("flood_risk")], "must be true or false"),
        ({"area": ["big", 1]}, [minimum_rule("area", 5)], "area, site 'a': must be a number"),
        ({"area": [math.inf, 1]}, [minimum_rule("area", 5)], "must be a finite number"),
        ({"area": [1, 1]}, [minimum_rule("area", 5), minimum_rule("area", 6)], "duplicate rule"),
    ],
)
def test_exclusion_errors(
    facts: dict[str, list[object]], rules: list[object], message: str
) -> None:
    with pytest.raises(SitingInputError) as raised:
        apply_exclusions(facts, rules, sites=["a", "b"])  # type: ignore[arg-type]
    assert message in str(raised.value)


def test_duplicate_sites_are_refused() -> None:
    with pytest.raises(SitingInputError, match="duplicate site id"):
        apply_exclusions({"x": [True, True]}, [flag_rule("x")], sites=["a", "a"])


# --------------------------------------------------------------------------------------------
# Distances
# --------------------------------------------------------------------------------------------

#: The RD origin: the Onze Lieve Vrouwetoren in Amersfoort, RD (155000, 463000), published in
#: WGS84 as 52.15517440 N, 5.38720621 E (Schreutelkamp & Strang van Hees, "Benaderingsformules
#: voor de transformatie tussen RD- en WGS84-kaartcoordinaten", 2001).
AMERSFOORT = (5.38720621, 52.15517440)


def test_wgs84_to_rd_new_at_the_origin() -> None:
    point = to_rd([AMERSFOORT], "EPSG:4326")[0]
    assert point.x == pytest.approx(155_000, abs=1.0)
    assert point.y == pytest.approx(463_000, abs=1.0)


def test_rd_to_wgs84_round_trip() -> None:
    back = to_wgs84(to_rd([AMERSFOORT, (4.9, 52.37)], "EPSG:4326"))
    assert back[0].x == pytest.approx(AMERSFOORT[0], abs=1e-8)
    assert back[0].y == pytest.approx(AMERSFOORT[1], abs=1e-8)
    assert back[1].x == pytest.approx(4.9, abs=1e-8)
    assert to_wgs84([]).size == 0


def test_nearest_distances_in_rd_metres() -> None:
    sites = np.array([[155_000.0, 463_000.0], [156_000.0, 463_000.0]])
    amenities: dict[str, object] = {
        "school": np.array([[155_300.0, 463_400.0], [160_000.0, 463_000.0]]),
        "gp": [shapely.Point(156_000, 464_000)],
    }
    table = nearest_distances(
        sites,
        amenities,  # type: ignore[arg-type]
        crs="EPSG:28992",
        site_ids=["a", "b"],
    )
    assert table.categories == ("school", "gp")
    assert table.distances[:, 0].tolist() == [500.0, pytest.approx(math.hypot(700, 400))]
    assert table.nearest[:, 0].tolist() == [0, 0]
    assert table.column("gp").tolist() == [pytest.approx(math.hypot(1000, 1000)), 1000.0]
    with pytest.raises(KeyError):
        table.column("pool")


def test_polygons_and_max_distance() -> None:
    square = shapely.box(155_000, 463_000, 155_100, 463_100)
    amenities = {
        "stop": [shapely.Point(155_050, 463_050)],
        "station": [shapely.Point(158_000, 463_050)],
    }
    table = nearest_distances([square], amenities, crs="EPSG:28992", max_distance=2_000)
    assert table.distances[0].tolist() == [0.0, math.inf]
    assert table.nearest[0].tolist() == [0, -1]


def test_wgs84_sites_match_rd_computed_distances() -> None:
    lon, lat = AMERSFOORT
    sites = [shapely.Point(lon, lat)]
    amenity = [shapely.Point(lon + 0.01, lat)]  # about 684 m east at 52.16 N
    table = nearest_distances(sites, {"shop": amenity})
    rd = to_rd(sites + amenity, "EPSG:4326")
    assert table.distances[0, 0] == pytest.approx(shapely.distance(rd[0], rd[1]))
    assert 680 < table.distances[0, 0] < 690


@pytest.mark.parametrize(
    ("sites", "amenities", "message"),
    [
        ([(52.155, 5.387)], {"a": [(5.4, 52.1)]}, "outside the RD New area"),
        ([(5.387, 52.155)], {"a": []}, "category a: no amenities given"),
        ([shapely.Point()], {"a": [(5.4, 52.1)]}, "is an empty geometry"),
        (["here"], {"a": [(5.4, 52.1)]}, "expected shapely geometries or (x, y) coordinate"),
        ([shapely.Point(5.4, 52.1), "here"], {"a": [(5.4, 52.1)]}, "is not a shapely geometry"),
        ([(5.387, math.nan)], {"a": [(5.4, 52.1)]}, "are not finite"),
    ],
)
def test_distance_errors(sites: object, amenities: object, message: str) -> None:
    with pytest.raises(SitingInputError) as raised:
        nearest_distances(sites, amenities)  # type: ignore[arg-type]
    assert message in str(raised.value)


def test_unknown_crs_and_bad_ids() -> None:
    with pytest.raises(SitingInputError, match="crs"):
        nearest_distances([(0.0, 0.0)], {"a": [(0.0, 0.0)]}, crs="EPSG:3857")  # type: ignore[arg-type]
    with pytest.raises(SitingInputError, match="2 ids for 1 sites"):
        nearest_distances([(5.387, 52.155)], {"a": [(5.4, 52.1)]}, site_ids=["x", "y"])


def test_distances_from_one_site_to_areas_are_metres_and_zero_inside() -> None:
    from shapely.geometry import Point, box

    from onderdak.engines.siting.distance import distances_from

    site = Point(4.96, 52.34)
    areas = [
        box(4.958, 52.338, 4.962, 52.342),  # the site lies inside
        Point(4.965, 52.34),  # 0.005 degrees east: about 340 m at this latitude
        Point(4.96, 52.349),  # 0.009 degrees north: about 1 km
    ]
    metres = distances_from(site, areas)
    assert metres[0] == 0.0
    assert 330 < metres[1] < 350 and 990 < metres[2] < 1010
    assert not metres.flags.writeable
    assert distances_from(site, []).size == 0
    with pytest.raises(SitingInputError):
        distances_from(Point(52.34, 4.96), areas)  # latitude and longitude swapped
