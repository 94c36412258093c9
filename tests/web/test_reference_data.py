"""Reference data: what ``onderdak load-reference`` stores, idempotence, and damaged files."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

import pytest

from onderdak.apps.geo.models import (
    Municipality,
    PopulationCount,
    Province,
    Region,
    RegionMembership,
)
from onderdak.apps.geo.services import reference_load
from onderdak.data.reference import DATA_DIR, ReferenceDataError, read_reference_data

pytestmark = pytest.mark.django_db


def test_loaded_reference_matches_published_cbs_figures(reference: None) -> None:
    assert Municipality.objects.count() == 342
    assert Province.objects.count() == 12
    total_2024 = PopulationCount.objects.filter(reference_date=date(2024, 1, 1)).aggregate(
        t=Sum("population")
    )
    assert total_2024["t"] == 17_942_942
    total_2022 = PopulationCount.objects.filter(reference_date=date(2022, 1, 1)).aggregate(
        t=Sum("population")
    )
    assert total_2022["t"] == 17_590_672
    diemen = Municipality.objects.get(code="GM0384")
    assert diemen.name == "Diemen"
    assert diemen.province.name == "Noord-Holland"
    assert diemen.population_counts.get(reference_date=date(2024, 1, 1)).population == 32_977
    assert diemen.boundary is not None
    assert diemen.boundary["type"] in {"Polygon", "MultiPolygon"}


def test_regions_include_duo_plus_mra_and_cbs_groupings(reference: None) -> None:
    duo = Region.objects.get(code="DUOPLUS")
    assert duo.region_type == "user_defined"
    assert sorted(duo.municipalities.values_list("name", flat=True)) == [
        "Diemen",
        "Ouder-Amstel",
        "Uithoorn",
    ]
    mra = Region.objects.get(code="MRA")
    assert mra.memberships.count() == 30
    inferred = sorted(
        mra.memberships.filter(inferred=True).values_list("municipality__name", flat=True)
    )
    assert inferred == ["Wormerland", "Zaanstad", "Zandvoort"]
    assert Region.objects.get(code="VR13").name == "Amsterdam-Amstelland"
    types = set(Region.objects.values_list("region_type", flat=True))
    assert {
        "province",
        "safety_region",
        "labour_market_region",
        "ggd_region",
        "corop",
        "mra",
        "user_defined",
    } <= types
    # every municipality is in exactly one province region and one safety region
    for region_type in ("province", "safety_region"):
        assert RegionMembership.objects.filter(region__region_type=region_type).count() == 342


def _fingerprint() -> tuple[Any, ...]:
    return (
        tuple(Province.objects.order_by("code").values_list("code", "name")),
        tuple(Municipality.objects.order_by("code").values_list("code", "name", "province__code")),
        tuple(
            PopulationCount.objects.order_by("municipality__code", "reference_date").values_list(
                "municipality__code", "reference_date", "population"
            )
        ),
        tuple(Region.objects.order_by("code").values_list("code", "name", "region_type")),
        tuple(
            RegionMembership.objects.order_by("region__code", "municipality__code").values_list(
                "region__code", "municipality__code", "inferred"
            )
        ),
    )


def test_second_load_changes_nothing_and_says_so(reference: None) -> None:
    before = _fingerprint()
    report = reference_load(data=read_reference_data())
    assert not report.changed
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert "niets gewijzigd" in out.getvalue()
    assert _fingerprint() == before


def test_changed_source_updates_only_what_changed(reference: None, tmp_path: Path) -> None:
    data_dir = _copy_data(tmp_path)
    _edit_csv(
        data_dir / "cbs/gemeenten_bevolking_2022_2024.csv", "GM0384", "inwoners_2024_01_01", "33000"
    )
    report = reference_load(data=read_reference_data(data_dir))
    assert report.counts["population counts"] == {"created": 0, "updated": 1, "deleted": 0}
    assert report.counts["municipalities"] == {"created": 0, "updated": 0, "deleted": 0}


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def _edit_csv(path: Path, code: str, column: str, value: str) -> None:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    for row in rows:
        if row["gm_code"] == code:
            row[column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def _drop_column(path: Path, column: str) -> None:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = [f for f in rows[0] if f != column]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def _duplicate_row(path: Path, code: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    duplicate = next(line for line in lines if line.startswith(code + ","))
    path.write_text("".join([*lines, duplicate]), encoding="utf-8")


MAIN = "cbs/gemeenten_bevolking_2022_2024.csv"


@pytest.mark.parametrize(
    ("damage", "file", "row", "column", "words"),
    [
        (
            lambda d: _drop_column(d / MAIN, "inwoners_2023_01_01"),
            MAIN,
            1,
            "inwoners_2023_01_01",
            "kolom ontbreekt",
        ),
        (
            lambda d: _duplicate_row(d / MAIN, "GM0384"),
            MAIN,
            344,
            "gm_code",
            "dubbele gemeentecode GM0384",
        ),
        (
            lambda d: _edit_csv(d / MAIN, "GM0384", "inwoners_2024_01_01", "veel"),
            MAIN,
            None,
            "inwoners_2024_01_01",
            "geen geheel getal",
        ),
        (
            lambda d: _edit_csv(d / MAIN, "GM0451", "provincie_code", "PV99"),
            MAIN,
            None,
            "provincie_code",
            "onbekende provincie 'PV99'",
        ),
        (
            lambda d: _edit_csv(
                d / "cbs/cbs_gebieden_in_nederland_2024.csv", "GM0384", "provincie_code", "PV99"
            ),
            "cbs/cbs_gebieden_in_nederland_2024.csv",
            None,
            "provincie_code",
            "onbekende provincie 'PV99'",
        ),
    ],
    ids=[
        "missing-column",
        "duplicate-code",
        "non-numeric-population",
        "unknown-province",
        "unknown-province-grouping",
    ],
)
def test_damaged_file_is_refused_and_database_unchanged(
    reference: None,
    tmp_path: Path,
    damage: Any,
    file: str,
    row: int | None,
    column: str,
    words: str,
) -> None:
    data_dir = _copy_data(tmp_path)
    damage(data_dir)
    before = _fingerprint()
    with pytest.raises(ReferenceDataError) as caught:
        read_reference_data(data_dir)
    error = caught.value
    assert error.file == file
    assert error.column == column
    if row is not None:
        assert error.row == row
    else:
        assert error.row is not None and error.row > 1
    assert words in str(error)
    with pytest.raises(CommandError) as command_error:
        call_command("load_reference", data_dir=data_dir, stdout=StringIO())
    message = str(command_error.value)
    assert file in message and f"kolom '{column}'" in message and "niets gewijzigd" in message
    assert _fingerprint() == before


def test_failure_during_writing_rolls_everything_back(
    reference: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Validated data that fails while being written (here: at the last step) leaves nothing."""
    data_dir = _copy_data(tmp_path)
    _edit_csv(data_dir / MAIN, "GM0384", "gemeentenaam", "Diemen (gewijzigd)")
    before = _fingerprint()

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("onderdak.apps.geo.services._load_regions", fail)
    with pytest.raises(RuntimeError):
        reference_load(data=read_reference_data(data_dir))
    assert _fingerprint() == before
    assert Municipality.objects.get(code="GM0384").name == "Diemen"
