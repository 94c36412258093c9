"""``onderdak care coverage``: the matrix from the database, as CSV on stdout or in a file."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.audit.models import AccessLog
from onderdak.apps.care import services
from onderdak.apps.care.catalogue import template
from onderdak.apps.care.models import Ownership, Partner, Service

pytestmark = pytest.mark.django_db


def _run(*args: str) -> list[dict[str, str]]:
    out = io.StringIO()
    call_command("care", "coverage", *args, stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def _adopted(organisations: dict[str, Organisation], users: dict[str, User]) -> Any:
    diemen = organisations["diemen"]
    editor = users["diemen-editor"]
    services.catalogue_adopt(actor=editor, organisation=diemen)
    partner = services.partner_create(
        actor=editor, organisation=diemen, name="Taalhuis", kind="language_provider"
    )
    intake = Ownership.objects.get(
        service__organisation=diemen, service__code="integration_broad_intake"
    )
    services.ownership_update(
        actor=editor,
        ownership=intake,
        status="structural",
        partner=partner,
        alderman="Wethouder Werk",
        amount_per_year=12500,
    )
    primary = Ownership.objects.get(
        service__organisation=diemen, service__code="primary_education", target_group="uam"
    )
    services.ownership_update(actor=editor, ownership=primary, status="not_applicable")
    return diemen


def test_prints_the_matrix_with_one_row_per_active_service(
    organisations: dict[str, Organisation], users: dict[str, User]
) -> None:
    _adopted(organisations, users)
    rows = _run("--organisation", "GM0384")
    assert len(rows) == len(template().services)
    assert list(rows[0])[:3] == ["service_code", "service", "status"]
    assert list(rows[0])[-4:] == ["owner", "alderman", "amount_per_year", "task_field"]
    groups = list(rows[0])[3:-4]
    assert groups == ["asylum_seeker", "uam", "status_holder", "displaced_ukrainian"]
    by_code = {row["service_code"]: row for row in rows}
    intake = by_code["integration_broad_intake"]
    assert intake["status"] == "structural"
    assert intake["status_holder"] == "structural"
    assert intake["displaced_ukrainian"] == ""  # not entitled
    assert intake["owner"] == "Taalhuis"
    assert intake["alderman"] == "Wethouder Werk"
    assert intake["amount_per_year"] == "12500.00"
    primary = by_code["primary_education"]
    assert primary["uam"] == "not_applicable"
    assert primary["status"] == "missing"  # the other groups are still missing
    assert AccessLog.objects.count() == 0  # no demand derived: no household read


def test_writes_a_file_and_accepts_the_organisation_id(
    organisations: dict[str, Organisation], users: dict[str, User], tmp_path: Path
) -> None:
    diemen = _adopted(organisations, users)
    target = tmp_path / "dekking.csv"
    out = io.StringIO()
    call_command(
        "care", "coverage", "--organisation", str(diemen.pk), "--out", str(target), stdout=out
    )
    assert str(target) in out.getvalue()
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert {r["service_code"] for r in rows} == {s.code for s in template().services}


def test_retired_services_leave_the_matrix(
    organisations: dict[str, Organisation], users: dict[str, User]
) -> None:
    from datetime import date

    diemen = _adopted(organisations, users)
    transport = Service.objects.get(organisation=diemen, code="transport")
    services.service_retire(
        actor=users["diemen-editor"], service=transport, on=date(2026, 1, 1), reason="regio"
    )
    assert "transport" not in {r["service_code"] for r in _run("--organisation", "GM0384")}


def test_unknown_organisation_exits_2_and_an_empty_catalogue_prints_the_header(
    organisations: dict[str, Organisation],
) -> None:
    with pytest.raises(CommandError) as error:
        call_command("care", "coverage", "--organisation", "GM9999")
    assert error.value.returncode == 2
    assert "GM9999" in str(error.value)
    out, err = io.StringIO(), io.StringIO()
    call_command("care", "coverage", "--organisation", "GM0451", stdout=out, stderr=err)
    assert out.getvalue().splitlines() == [
        "service_code,service,status,owner,alderman,amount_per_year,task_field"
    ]
    assert "nog geen dienstencatalogus" in err.getvalue()
    assert not Partner.objects.exists()
