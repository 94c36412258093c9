"""The national service-catalogue template and the BBV task fields, shipped as data in
``onderdak/data/care/`` (sources in its README). Read once per process, validated on read."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml

from onderdak.common.vocabulary import TargetGroup, task_fields

from .models import CapacityUnit, DemandBasis, ServiceCategory

DATA_PACKAGE = "onderdak.data"


@dataclass(frozen=True)
class TemplateService:
    code: str
    category: str
    name: str
    description: str
    target_groups: tuple[str, ...]
    rule: str
    basis: str
    capacity_unit: str
    task_field: str
    default_owner_kind: str
    share: Decimal = Decimal(1)

    @property
    def target_group_labels(self) -> list[str]:
        labels = dict(TargetGroup.choices)
        return [str(labels.get(g, g)) for g in self.target_groups]


@dataclass(frozen=True)
class Template:
    version: str
    source: str
    services: tuple[TemplateService, ...]

    def get(self, code: str) -> TemplateService | None:
        return next((s for s in self.services if s.code == code), None)


def _read(name: str) -> str:
    return resources.files(DATA_PACKAGE).joinpath("care", name).read_text(encoding="utf-8")


def parse_template(text: str) -> Template:
    """Parse and check the template; a damaged file raises ``ValueError`` naming entry and field."""
    data: Any = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("services"), list):
        raise ValueError("services.yaml: expected a mapping with a list 'services'")
    seen: set[str] = set()
    services: list[TemplateService] = []
    allowed = {
        "category": set(ServiceCategory.values),
        "basis": set(DemandBasis.values),
        "capacity_unit": set(CapacityUnit.values),
    }
    fields = task_fields()
    for number, entry in enumerate(data["services"], start=1):
        if not isinstance(entry, dict):
            raise ValueError(f"services.yaml entry {number}: expected a mapping")
        where = f"services.yaml entry {number} ({entry.get('code', '?')})"
        if not isinstance(entry.get("target_groups"), list):
            raise ValueError(f"{where}: 'target_groups' must be a list")
        if "task_field" in entry and not isinstance(entry["task_field"], str):
            raise ValueError(f"{where}: 'task_field' must be quoted text, e.g. \"6.1\"")
        for key in ("code", "category", "name", "target_groups", "basis", "capacity_unit"):
            if not entry.get(key):
                raise ValueError(f"{where}: '{key}' is missing")
        if entry["code"] in seen:
            raise ValueError(f"{where}: code '{entry['code']}' occurs twice")
        seen.add(entry["code"])
        for key, values in allowed.items():
            if entry[key] not in values:
                raise ValueError(f"{where}: unknown {key} '{entry[key]}'")
        unknown = [g for g in entry["target_groups"] if g not in TargetGroup.values]
        if unknown:
            raise ValueError(f"{where}: unknown target group {unknown}")
        share = entry.get("share", 1)
        if isinstance(share, bool) or not isinstance(share, (int, float, str)):
            raise ValueError(f"{where}: 'share' must be a number in (0, 1]")
        try:
            share_value = Decimal(str(share))
        except ArithmeticError:
            raise ValueError(f"{where}: 'share' must be a number in (0, 1]") from None
        if not Decimal(0) < share_value <= Decimal(1):
            raise ValueError(f"{where}: 'share' must be a number in (0, 1]")
        task_field = str(entry.get("task_field") or "")
        if task_field and task_field not in fields:
            raise ValueError(f"{where}: unknown BBV task field '{task_field}'")
        services.append(
            TemplateService(
                code=entry["code"],
                category=entry["category"],
                name=str(entry["name"]).strip(),
                description=str(entry.get("description") or "").strip(),
                target_groups=tuple(entry["target_groups"]),
                rule=str(entry.get("rule") or "").strip(),
                basis=entry["basis"],
                capacity_unit=entry["capacity_unit"],
                task_field=task_field,
                default_owner_kind=str(entry.get("default_owner_kind") or "other"),
                share=share_value,
            )
        )
    return Template(
        version=str(data.get("version", "")),
        source=str(data.get("source", "")),
        services=tuple(services),
    )


@cache
def template() -> Template:
    return parse_template(_read("services.yaml"))
