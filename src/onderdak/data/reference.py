"""Read and validate the CBS reference data shipped with Onderdak.

Pure file parsing, no Django: used by ``onderdak load-reference`` (which stores the result in
the database) and by database-free commands such as ``onderdak quota distribute``.

Every problem is reported as a :class:`ReferenceDataError` naming the file, the row (1-based,
the header is row 1) and the column, so that a damaged file can be repaired without guessing.
All files are validated completely before anything is returned.

Sources and licence: see ``README.md`` beside this module (CBS, CC BY 4.0, "Bron: CBS").
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent

MUNICIPALITIES_FILE = "cbs/gemeenten_bevolking_2022_2024.csv"
GROUPINGS_FILE = "cbs/cbs_gebieden_in_nederland_2024.csv"
MRA_FILE = "cbs/mra_gemeenten.csv"
BOUNDARIES_FILE = "cbs/gemeenten_2024_wgs84.geojson"
EXTRA_REGIONS_FILE = "regions_extra.csv"

#: Population reference dates and the column that holds each. All on the 2024 municipal
#: division: the 2022 figures are CBS's, re-aggregated over the whole-municipality mergers of
#: 2022-2023 (Amsterdam + Weesp, Voorne aan Zee = Brielle + Hellevoetsluis + Westvoorne).
POPULATION_COLUMNS: Mapping[date, str] = {
    date(2022, 1, 1): "inwoners_2022_01_01_indeling_2024",
    date(2023, 1, 1): "inwoners_2023_01_01",
    date(2024, 1, 1): "inwoners_2024_01_01",
}

#: Region types taken from CBS 85755NED "Gebieden in Nederland 2024": type -> column prefix.
CBS_REGION_COLUMNS: Mapping[str, str] = {
    "province": "provincie",
    "safety_region": "veiligheidsregio",
    "labour_market_region": "arbeidsmarktregio",
    "ggd_region": "ggd_regio",
    "corop": "corop",
    "youth_care_region": "jeugdregio",
}

REGION_TYPES = (*CBS_REGION_COLUMNS, "mra", "user_defined")

#: The twelve provinces with their CBS codes; any other code in a file is an error.
PROVINCES: Mapping[str, str] = {
    "PV20": "Groningen",
    "PV21": "Fryslân",
    "PV22": "Drenthe",
    "PV23": "Overijssel",
    "PV24": "Flevoland",
    "PV25": "Gelderland",
    "PV26": "Utrecht",
    "PV27": "Noord-Holland",
    "PV28": "Zuid-Holland",
    "PV29": "Zeeland",
    "PV30": "Noord-Brabant",
    "PV31": "Limburg",
}

ATTRIBUTION = "Bron: CBS (CC BY 4.0); grenzen: CBS / Kadaster, via PDOK"


class ReferenceDataError(ValueError):
    """A reference data file is damaged; names the file, row and column."""

    def __init__(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.message = message
        where = file
        if row is not None:
            where += f", rij {row}"
        if column is not None:
            where += f", kolom '{column}'"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class ProvinceRecord:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class MunicipalityRecord:
    code: str
    name: str
    province_code: str
    population: Mapping[date, int]


@dataclass(frozen=True, slots=True)
class RegionMemberRecord:
    municipality_code: str
    inferred: bool = False


@dataclass(frozen=True, slots=True)
class RegionRecord:
    code: str
    name: str
    region_type: str
    source: str
    members: tuple[RegionMemberRecord, ...]


@dataclass(frozen=True, slots=True)
class ReferenceData:
    """Everything ``load-reference`` stores, validated and cross-checked."""

    provinces: tuple[ProvinceRecord, ...]
    municipalities: tuple[MunicipalityRecord, ...]
    regions: tuple[RegionRecord, ...]
    boundaries: Mapping[str, dict[str, Any]] = field(repr=False)

    def municipality(self, code: str) -> MunicipalityRecord:
        for municipality in self.municipalities:
            if municipality.code == code:
                return municipality
        raise KeyError(code)


def _read_csv(
    path: Path, label: str, required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise ReferenceDataError(label, None, None, "bestand niet gevonden")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        for column in required:
            if column not in header:
                raise ReferenceDataError(label, 1, column, "kolom ontbreekt")
        for row_number, row in enumerate(reader, start=2):
            if None in row:
                raise ReferenceDataError(label, row_number, None, "meer waarden dan kolommen")
            yield row_number, {key: (value or "").strip() for key, value in row.items()}


def _int(label: str, row: int, column: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ReferenceDataError(label, row, column, f"geen geheel getal: '{value}'") from None
    if number < 0:
        raise ReferenceDataError(label, row, column, f"negatief aantal: {number}")
    return number


def _require(label: str, row: int, column: str, value: str) -> str:
    if not value:
        raise ReferenceDataError(label, row, column, "waarde ontbreekt")
    return value


def read_municipalities(
    data_dir: Path = DATA_DIR,
) -> tuple[tuple[ProvinceRecord, ...], tuple[MunicipalityRecord, ...]]:
    """Municipalities on the 2024 division with province and population per reference date."""
    label = MUNICIPALITIES_FILE
    columns = (
        "gm_code",
        "gemeentenaam",
        "provincie_code",
        "provincie",
        *POPULATION_COLUMNS.values(),
    )
    provinces: dict[str, str] = {}
    municipalities: dict[str, MunicipalityRecord] = {}
    for row_number, row in _read_csv(data_dir / label, label, columns):
        code = _require(label, row_number, "gm_code", row["gm_code"])
        if not (code.startswith("GM") and len(code) == 6 and code[2:].isdigit()):
            raise ReferenceDataError(label, row_number, "gm_code", f"ongeldige CBS-code '{code}'")
        if code in municipalities:
            raise ReferenceDataError(label, row_number, "gm_code", f"dubbele gemeentecode {code}")
        province_code = _require(label, row_number, "provincie_code", row["provincie_code"])
        if province_code not in PROVINCES:
            raise ReferenceDataError(
                label, row_number, "provincie_code", f"onbekende provincie '{province_code}'"
            )
        province_name = _require(label, row_number, "provincie", row["provincie"])
        known = provinces.setdefault(province_code, province_name)
        if known != province_name:
            raise ReferenceDataError(
                label,
                row_number,
                "provincie",
                f"provincie '{province_name}' hoort niet bij code {province_code} ('{known}')",
            )
        population = {
            reference_date: _int(label, row_number, column, row[column])
            for reference_date, column in POPULATION_COLUMNS.items()
        }
        municipalities[code] = MunicipalityRecord(
            code=code,
            name=_require(label, row_number, "gemeentenaam", row["gemeentenaam"]),
            province_code=province_code,
            population=population,
        )
    if not municipalities:
        raise ReferenceDataError(label, None, None, "geen gemeenten gevonden")
    province_records = tuple(
        ProvinceRecord(code=code, name=name) for code, name in sorted(provinces.items())
    )
    return province_records, tuple(sorted(municipalities.values(), key=lambda m: m.code))


def read_regions(
    municipalities: Mapping[str, MunicipalityRecord],
    provinces: Mapping[str, ProvinceRecord],
    data_dir: Path = DATA_DIR,
) -> tuple[RegionRecord, ...]:
    """Regional groupings: CBS 85755NED columns, MRA membership and the extra (user) regions."""
    regions: dict[str, dict[str, Any]] = {}

    def add(
        code: str, name: str, region_type: str, source: str, member: RegionMemberRecord
    ) -> None:
        region = regions.setdefault(
            code, {"name": name, "type": region_type, "source": source, "members": {}}
        )
        region["members"][member.municipality_code] = member

    label = GROUPINGS_FILE
    columns = (
        "gm_code",
        *(
            f"{prefix}{suffix}"
            for prefix in CBS_REGION_COLUMNS.values()
            for suffix in ("_code", "")
        ),
    )
    seen: set[str] = set()
    source = "CBS 85755NED Gebieden in Nederland 2024"
    for row_number, row in _read_csv(data_dir / label, label, columns):
        code = row["gm_code"]
        if code not in municipalities:
            raise ReferenceDataError(
                label, row_number, "gm_code", f"onbekende gemeentecode '{code}'"
            )
        if code in seen:
            raise ReferenceDataError(label, row_number, "gm_code", f"dubbele gemeentecode {code}")
        seen.add(code)
        for region_type, prefix in CBS_REGION_COLUMNS.items():
            region_code = _require(label, row_number, f"{prefix}_code", row[f"{prefix}_code"])
            region_name = _require(label, row_number, prefix, row[prefix])
            if region_type == "province":
                if region_code not in provinces:
                    raise ReferenceDataError(
                        label, row_number, f"{prefix}_code", f"onbekende provincie '{region_code}'"
                    )
                if municipalities[code].province_code != region_code:
                    raise ReferenceDataError(
                        label,
                        row_number,
                        f"{prefix}_code",
                        f"provincie {region_code} wijkt af van {MUNICIPALITIES_FILE} "
                        f"({municipalities[code].province_code})",
                    )
            add(region_code, region_name, region_type, source, RegionMemberRecord(code))
    missing = sorted(set(municipalities) - seen)
    if missing:
        raise ReferenceDataError(
            label, None, "gm_code", f"gemeenten ontbreken: {', '.join(missing[:5])}"
        )

    label = MRA_FILE
    for row_number, row in _read_csv(data_dir / label, label, ("gm_code", "mra_bron")):
        code = row["gm_code"]
        if code not in municipalities:
            raise ReferenceDataError(
                label, row_number, "gm_code", f"onbekende gemeentecode '{code}'"
            )
        basis = row["mra_bron"]
        if basis not in {"listed", "inferred_excerpt_truncated"}:
            raise ReferenceDataError(label, row_number, "mra_bron", f"onbekende bron '{basis}'")
        add(
            "MRA",
            "Metropoolregio Amsterdam",
            "mra",
            "amstelland-meerlanden.nl/mra (stored copy); 3 members inferred",
            RegionMemberRecord(code, inferred=basis != "listed"),
        )

    label = EXTRA_REGIONS_FILE
    columns = ("region_code", "region_name", "region_type", "gm_code", "source")
    for row_number, row in _read_csv(data_dir / label, label, columns):
        code = row["gm_code"]
        if code not in municipalities:
            raise ReferenceDataError(
                label, row_number, "gm_code", f"onbekende gemeentecode '{code}'"
            )
        region_type = row["region_type"]
        if region_type not in REGION_TYPES:
            raise ReferenceDataError(
                label, row_number, "region_type", f"onbekend regiotype '{region_type}'"
            )
        add(
            _require(label, row_number, "region_code", row["region_code"]),
            _require(label, row_number, "region_name", row["region_name"]),
            region_type,
            row["source"],
            RegionMemberRecord(code),
        )

    return tuple(
        RegionRecord(
            code=code,
            name=region["name"],
            region_type=region["type"],
            source=region["source"],
            members=tuple(sorted(region["members"].values(), key=lambda m: m.municipality_code)),
        )
        for code, region in sorted(regions.items())
    )


def read_boundaries(
    municipalities: Mapping[str, MunicipalityRecord], data_dir: Path = DATA_DIR
) -> dict[str, dict[str, Any]]:
    """GeoJSON geometry (WGS84) per municipality code."""
    label = BOUNDARIES_FILE
    path = data_dir / label
    if not path.is_file():
        raise ReferenceDataError(label, None, None, "bestand niet gevonden")
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
        features = collection["features"]
    except (ValueError, KeyError, TypeError) as error:
        raise ReferenceDataError(
            label, None, None, f"geen geldige GeoJSON FeatureCollection ({error})"
        ) from None
    boundaries: dict[str, dict[str, Any]] = {}
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") or {}
        code = properties.get("gm_code")
        geometry = feature.get("geometry") or {}
        if not isinstance(code, str) or code not in municipalities:
            raise ReferenceDataError(label, number, "gm_code", f"onbekende gemeentecode '{code}'")
        if geometry.get("type") not in {"Polygon", "MultiPolygon"}:
            raise ReferenceDataError(label, number, "geometry", "geen (Multi)Polygon")
        boundaries[code] = geometry
    return boundaries


def read_reference_data(data_dir: Path = DATA_DIR) -> ReferenceData:
    """Read, validate and cross-check all reference files; raises :class:`ReferenceDataError`."""
    provinces, municipalities = read_municipalities(data_dir)
    by_code = {m.code: m for m in municipalities}
    regions = read_regions(by_code, {p.code: p for p in provinces}, data_dir)
    boundaries = read_boundaries(by_code, data_dir)
    return ReferenceData(
        provinces=provinces, municipalities=municipalities, regions=regions, boundaries=boundaries
    )
