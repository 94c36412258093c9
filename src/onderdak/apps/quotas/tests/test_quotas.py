"""Quotas app: computing rounds, importing official tables, the ledger, pace and access."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

import pytest
from openpyxl import Workbook

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.audit.models import AuditEntry
from onderdak.apps.geo.models import Municipality
from onderdak.apps.quotas import selectors, services
from onderdak.apps.quotas.models import MunicipalQuota, QuotaRound, Realisation
from onderdak.apps.quotas.tests.rounds import make_round
from onderdak.common.imports import ImportRejected
from onderdak.engines.quota import QuotaInputError

pytestmark = pytest.mark.django_db


def test_compute_round_distributes_the_national_number_exactly(staff: User) -> None:
    round = make_round(
        staff, national_total_initial=96_000, target_group="asylum_seeker", unit="places"
    )
    services.quota_round_compute(actor=staff, round=round)
    quotas = MunicipalQuota.objects.filter(round=round)
    assert quotas.count() == 342
    assert sum(q.computed or 0 for q in quotas) == 96_000
    diemen = quotas.get(municipality__code="GM0384")
    # population only: 96,000 * 32,977 / 17,942,942 = 176.44 -> 176 (published after SES: 175)
    assert diemen.exact == pytest.approx(96_000 * 32_977 / 17_942_942)
    assert diemen.computed == 176
    assert (
        AuditEntry.objects.filter(object_type="quotas.QuotaRound", object_id=str(round.pk)).count()
        == 2
    )


def test_province_route_reports_its_difference(staff: User) -> None:
    round = make_round(staff, national_total_initial=96_000, level="province")
    result = services.quota_round_compute(actor=staff, round=round)
    assert sum(result.quotas.values()) == 96_000
    assert result.two_stage_difference is not None
    noord_holland = sum(
        q.computed or 0
        for q in MunicipalQuota.objects.filter(round=round, municipality__province__code="PV27")
    )
    assert noord_holland == 15_925  # the pure population split of DOMAIN.md section 3


def test_changed_national_number_keeps_initial_and_final(staff: User) -> None:
    round = make_round(
        staff,
        name="2023-H2",
        period_start=date(2023, 7, 1),
        period_end=date(2023, 12, 31),
        national_total_initial=27_300,
        national_total_final=17_600,
        population_date=date(2023, 1, 1),
    )
    services.quota_round_compute(actor=staff, round=round)
    diemen = MunicipalQuota.objects.get(round=round, municipality__code="GM0384")
    assert (diemen.computed_initial, diemen.computed) == (50, 32)


def test_compute_without_population_date_gives_a_reason(staff: User) -> None:
    round = make_round(staff, population_date=None)
    with pytest.raises(QuotaInputError, match="population reference date"):
        services.quota_round_compute(actor=staff, round=round)


def test_only_staff_manage_rounds(users: dict[str, User]) -> None:
    with pytest.raises(PermissionDenied):
        make_round(users["diemen-editor"])
    client = Client()
    client.force_login(users["diemen-editor"])
    assert client.get(reverse("quotas:round_create")).status_code == 403


def _fingerprint() -> list[tuple[Any, ...]]:
    return list(
        MunicipalQuota.objects.order_by("pk").values_list(
            "municipality_id", "official", "opening_carry"
        )
    )


def test_import_official_table_by_code_and_name(staff: User) -> None:
    round = make_round(staff)
    services.quota_round_compute(actor=staff, round=round)
    table = "gemeente;taakstelling;achterstand\nDiemen;33;4\nUithoorn;1.234;-2\n"
    count = services.quota_round_import_official(
        actor=staff, round=round, content=table.encode(), filename="t.csv"
    )
    assert count == 2
    diemen = MunicipalQuota.objects.get(round=round, municipality__code="GM0384")
    assert (diemen.official, diemen.opening_carry, diemen.effective) == (33, 4, 33)
    assert diemen.computed is not None
    assert diemen.difference == 33 - diemen.computed
    assert MunicipalQuota.objects.get(round=round, municipality__code="GM0451").official == 1234


def test_import_xlsx(staff: User) -> None:
    round = make_round(staff)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Code", "Aantal"])
    sheet.append(["GM0384", 35])
    sheet.append(["0437", 15])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert (
        services.quota_round_import_official(
            actor=staff, round=round, content=buffer.getvalue(), filename="t.xlsx"
        )
        == 2
    )
    assert MunicipalQuota.objects.get(round=round, municipality__code="GM0437").official == 15


def test_import_that_fails_halfway_writes_nothing_and_names_rows(staff: User) -> None:
    round = make_round(staff)
    services.quota_round_compute(actor=staff, round=round)
    before = _fingerprint()
    entries = AuditEntry.objects.count()
    table = "code,taakstelling\nGM0384,33\nGM0437,veel\nGM9999,3\nGM0384,2\nGM0451,-1\n"
    with pytest.raises(ImportRejected) as caught:
        services.quota_round_import_official(
            actor=staff, round=round, content=table.encode(), filename="t.csv"
        )
    problems = [(e.row, e.field) for e in caught.value.errors]
    assert problems == [(3, "Taakstelling"), (4, "CBS-code"), (5, "CBS-code"), (6, "Taakstelling")]
    assert "geen geheel getal: 'veel'" in str(caught.value)
    assert _fingerprint() == before
    assert AuditEntry.objects.count() == entries


def test_import_without_required_columns(staff: User) -> None:
    round = make_round(staff)
    with pytest.raises(ImportRejected) as caught:
        services.quota_round_import_official(
            actor=staff, round=round, content=b"plaats,x\nDiemen,3\n", filename="t.csv"
        )
    assert [(e.row, e.field) for e in caught.value.errors] == [(1, "CBS-code"), (1, "Taakstelling")]
    with pytest.raises(ImportRejected):
        services.quota_round_import_official(
            actor=staff, round=round, content=b"%PDF", filename="t.pdf"
        )


def test_web_import_shows_every_problem(staff: User) -> None:
    round = make_round(staff)
    client = Client()
    client.force_login(staff)
    upload = io.BytesIO(b"code,taakstelling\nGM0384,x\n")
    upload.name = "tabel.csv"
    response = client.post(
        reverse("quotas:round_import", args=[round.pk]), {"file": upload, "source": "test"}
    )
    assert response.status_code == 200
    assert "rij 2, kolom &#x27;Taakstelling&#x27;" in response.content.decode()
    assert not MunicipalQuota.objects.filter(round=round).exists()


def _half_year_round(
    staff: User, year: int, half: int, total: int, final: int | None = None
) -> QuotaRound:
    start = date(year, 1 if half == 1 else 7, 1)
    end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    round = make_round(
        staff,
        name=f"{year}-H{half}",
        period_start=start,
        period_end=end,
        national_total_initial=total,
        national_total_final=final,
        population_date=date(min(year, 2024), 1, 1),
    )
    services.quota_round_compute(actor=staff, round=round)
    return round


def test_ledger_carries_backlog_and_surplus_over_half_years(
    staff: User, users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    """Hand-worked: Diemen's computed quotas 18, 24, 39 (10,000 / 13,500 / 21,200 nationally).

    2022-H1: 18 + 0 = 18, housed 14 -> backlog 4
    2022-H2: 24 + 4 = 28, housed 30 -> surplus -2
    2023-H1: 39 - 2 = 37, housed 20 -> backlog 17 (behind: streak 1)
    """
    rounds = [
        _half_year_round(staff, 2022, 1, 10_000),
        _half_year_round(staff, 2022, 2, 13_500),
        _half_year_round(staff, 2023, 1, 21_200),
    ]
    for day, amount in ((date(2022, 3, 1), 14), (date(2022, 8, 1), 30), (date(2023, 2, 1), 20)):
        services.realisation_create(
            actor=users["diemen-editor"],
            organisation=organisations["diemen"],
            target_group="status_holder",
            date=day,
            amount=amount,
        )
    diemen = Municipality.objects.get(code="GM0384")
    [segment] = selectors.ledger(municipality=diemen)
    lines = [
        (
            str(line.period),
            line.quota,
            line.carry_in,
            line.corrected,
            line.realised,
            line.carry_out,
            line.behind_streak,
        )
        for line in segment.ledger.lines
    ]
    assert lines == [
        ("2022-H1", 18, 0, 18, 14, 4, 1),
        ("2022-H2", 24, 4, 28, 30, -2, 0),
        ("2023-H1", 39, -2, 37, 20, 17, 1),
    ]
    assert [q.round for q in segment.quotas] == rounds


def test_a_missing_half_year_restarts_the_ledger_with_the_official_backlog(staff: User) -> None:
    _half_year_round(staff, 2024, 1, 18_750)
    later = _half_year_round(staff, 2025, 1, 17_700, 15_000)
    services.quota_round_import_official(
        actor=staff,
        round=later,
        content=b"code,taakstelling,achterstand\nGM0384,28,9\n",
        filename="t.csv",
    )
    segments = selectors.ledger(municipality=Municipality.objects.get(code="GM0384"))
    assert [[str(line.period) for line in s.ledger.lines] for s in segments] == [
        ["2024-H1"],
        ["2025-H1"],
    ]
    assert segments[1].ledger.lines[0].carry_in == 9
    assert segments[1].ledger.lines[0].corrected == 37


def test_pace_and_traffic_light(
    staff: User, users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    _half_year_round(staff, 2024, 1, 18_750)  # Diemen: 34
    services.realisation_create(
        actor=users["diemen-editor"],
        organisation=organisations["diemen"],
        target_group="status_holder",
        date=date(2024, 2, 10),
        amount=10,
    )
    diemen = Municipality.objects.get(code="GM0384")

    def balance(on: date) -> Any:
        [result] = [
            b
            for b in selectors.balances(municipality=diemen, today=on)
            if b.target_group == "status_holder"
        ]
        return result

    # in April three months are complete: expected 34 * 3 / 6 = 17; 10 of 17 is below 75 %: red
    april = balance(date(2024, 4, 15))
    assert (april.corrected, april.realised, april.remaining) == (34, 10, 24)
    assert april.pace.expected == 17
    assert april.pace.light == "red"
    # in March two months: expected 34 * 2 / 6 = 11.33; 10 >= 0.75 * 11.33: amber
    assert balance(date(2024, 3, 5)).pace.light == "amber"
    # in February one month: 5.67 expected, 10 housed: green
    assert balance(date(2024, 2, 20)).pace.light == "green"


def test_realisations_are_scoped_and_audited(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    services.realisation_create(
        actor=users["uithoorn-editor"],
        organisation=organisations["uithoorn"],
        target_group="status_holder",
        date=date(2025, 3, 1),
        amount=4,
        reference="uithoorn-intern",
    )
    with pytest.raises(PermissionDenied):
        services.realisation_create(
            actor=users["diemen-editor"],
            organisation=organisations["uithoorn"],
            target_group="status_holder",
            date=date(2025, 3, 1),
            amount=4,
        )
    client = Client()
    client.force_login(users["diemen-editor"])
    assert "uithoorn-intern" not in client.get(reverse("quotas:realisation_list")).content.decode()
    realisation = Realisation.objects.get(reference="uithoorn-intern")
    assert (
        client.get(reverse("quotas:realisation_update", args=[realisation.pk])).status_code == 404
    )
    assert AuditEntry.objects.filter(object_type="quotas.Realisation", action="create").count() == 1


def test_realisation_form_rejects_bad_input_and_writes_nothing(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    client = Client()
    client.force_login(users["diemen-editor"])
    response = client.post(
        reverse("quotas:realisation_create"),
        {
            "organisation": organisations["diemen"].pk,
            "target_group": "status_holder",
            "date": "2025-13-01",
            "amount": "0",
            "unit": "persons",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"date", "amount"}
    assert not Realisation.objects.exists()


def test_region_view_for_partners_only(staff: User, users: dict[str, User]) -> None:
    _half_year_round(staff, 2025, 2, 13_000)
    client = Client()
    client.force_login(users["diemen-viewer"])
    page = client.get(reverse("quotas:region", args=["DUOPLUS"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Diemen" in text and "Ouder-Amstel" in text and "Uithoorn" in text
    outsider = Client()
    outsider.force_login(users["amsterdam-editor"])
    assert outsider.get(reverse("quotas:region", args=["DUOPLUS"])).status_code == 404


def test_api(staff: User, users: dict[str, User], organisations: dict[str, Organisation]) -> None:
    round = _half_year_round(staff, 2025, 2, 13_000)
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=users["diemen-editor"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    rounds = client.get("/api/v1/quota-rounds").json()
    assert rounds["count"] == 1
    quotas = client.get(f"/api/v1/quota-rounds/{round.pk}/quotas", {"province": "PV27"}).json()
    assert quotas["count"] == 44
    created = client.post(
        "/api/v1/realisations",
        {
            "organisation": organisations["diemen"].pk,
            "target_group": "status_holder",
            "date": "2025-08-01",
            "amount": 5,
        },
        format="json",
    )
    assert created.status_code == 201
    bad = client.post(
        "/api/v1/realisations",
        {
            "organisation": organisations["diemen"].pk,
            "target_group": "status_holder",
            "date": "2025-08-01",
            "amount": 0,
        },
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["invalidParams"][0]["name"] == "amount"
    [balance] = client.get("/api/v1/balances", {"municipality": "GM0384"}).json()
    assert balance["target_group"] == "status_holder"
    assert balance["realised"] == 5
    assert client.get("/api/v1/balances", {"municipality": "GM0363"}).status_code == 404
    assert client.get("/api/v1/balances", {"municipality": "GM0451"}).status_code == 200


def test_overview_page_with_chart(staff: User, users: dict[str, User]) -> None:
    _half_year_round(staff, 2025, 1, 17_700, 15_000)
    _half_year_round(staff, 2025, 2, 13_000)
    client = Client()
    client.force_login(users["diemen-viewer"])
    page = client.get(reverse("quotas:overview")).content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert "2025-H1" in page and "2025-H2" in page


def test_corrected_key_multiplies_population_by_imported_factors(staff: User) -> None:
    round = make_round(
        staff,
        target_group="asylum_seeker",
        unit="places",
        national_total_initial=96_000,
        key="corrected",
    )
    with pytest.raises(QuotaInputError) as missing:
        services.quota_round_compute(actor=staff, round=round)
    assert missing.value.field == "factor"
    factors = "code,factor\n" + "".join(
        f"{code},{'2' if code == 'GM0384' else '1'}\n"
        for code in Municipality.objects.values_list("code", flat=True)
    )
    services.quota_round_import_official(
        actor=staff, round=round, content=factors.encode(), filename="f.csv"
    )
    services.quota_round_compute(actor=staff, round=round)
    diemen = MunicipalQuota.objects.get(round=round, municipality__code="GM0384")
    assert diemen.factor == 2
    assert diemen.weight == 2 * 32_977
    assert diemen.computed == round_half(96_000 * 2 * 32_977 / (17_942_942 + 32_977))
    assert diemen.official is None
    assert sum(q.computed or 0 for q in MunicipalQuota.objects.filter(round=round)) == 96_000


def round_half(value: float) -> int:
    return int(value + 0.5)


def test_factor_import_rejects_bad_factors(staff: User) -> None:
    round = make_round(staff, key="corrected")
    with pytest.raises(ImportRejected) as caught:
        services.quota_round_import_official(
            actor=staff,
            round=round,
            content=b"code,factor\nGM0384,-1\nGM0437,abc\n",
            filename="f.csv",
        )
    assert [(e.row, e.field) for e in caught.value.errors] == [
        (2, "Correctiefactor"),
        (3, "Correctiefactor"),
    ]
    assert not MunicipalQuota.objects.filter(round=round).exists()


def test_agreed_exchange_adjustments_change_both_obligations(staff: User) -> None:
    round = _half_year_round(staff, 2025, 2, 13_000)
    diemen = Municipality.objects.get(code="GM0384")
    uithoorn = Municipality.objects.get(code="GM0451")
    before = {
        b.target_group: b.obligation
        for b in selectors.balances(municipality=diemen, today=date(2025, 9, 1))
    }
    lines = [
        services.AdjustmentLine(round.pk, diemen.pk, -5),
        services.AdjustmentLine(round.pk, uithoorn.pk, 5),
    ]
    services.adjustments_replace(
        actor=staff, source="agreement:1", label="Afspraak 1", url="/a/1", lines=lines
    )
    [after] = selectors.balances(municipality=diemen, today=date(2025, 9, 1))
    owed = before["status_holder"]
    assert owed is not None
    assert after.obligation == owed - 5
    assert after.adjustment == -5
    assert after.adjustments[0].label == "Afspraak 1"
    [line] = selectors.ledger(municipality=diemen)[0].ledger.lines
    assert line.quota == owed - 5
    [taker] = selectors.balances(municipality=uithoorn, today=date(2025, 9, 1))
    assert taker.adjustment == 5
    # withdrawing the agreement removes both sides
    services.adjustments_replace(
        actor=staff, source="agreement:1", label="Afspraak 1", url="/a/1", lines=[]
    )
    [restored] = selectors.balances(municipality=diemen, today=date(2025, 9, 1))
    assert restored.obligation == before["status_holder"]
    assert restored.adjustments == ()


def test_import_with_an_enormous_number_is_a_row_error_not_a_server_error(staff: User) -> None:
    """Issue 11: a quota import with 10^25 was a 500 (the number did not fit the column)."""
    round = make_round(staff)
    before = _fingerprint()
    table = (
        f"code;taakstelling;achterstand\nGM0384;{10**25};3\nGM0437;4;-{10**25}\nGM0451;{10**15};1\n"
    )
    with pytest.raises(ImportRejected) as caught:
        services.quota_round_import_official(
            actor=staff, round=round, content=table.encode(), filename="t.csv"
        )
    assert [(e.row, e.field) for e in caught.value.errors] == [
        (2, "Taakstelling"),
        (3, "Achterstand aan het begin"),
        (4, "Taakstelling"),
    ]
    assert "te groot" in caught.value.errors[2].message
    assert _fingerprint() == before
    client = Client()
    client.force_login(staff)
    upload = io.BytesIO(table.encode())
    upload.name = "tabel.csv"
    response = client.post(
        reverse("quotas:round_import", args=[round.pk]), {"file": upload, "source": "test"}
    )
    assert response.status_code == 200
    assert "te groot" in response.content.decode()


def test_deleting_a_round_asks_first_and_shows_its_figures(staff: User) -> None:
    round = make_round(staff)
    services.quota_round_compute(actor=staff, round=round)
    client = Client()
    client.force_login(staff)
    page = client.get(reverse("quotas:round_delete", args=[round.pk])).content.decode()
    count = round.quotas.count()
    assert f"{count} cijfers per gemeente" in page
    assert "Diemen" in page
    assert QuotaRound.objects.filter(pk=round.pk).exists()
    response = client.post(reverse("quotas:round_delete", args=[round.pk]))
    assert response.status_code == 302
    assert not QuotaRound.objects.filter(pk=round.pk).exists()


def test_a_round_that_has_ended_is_not_called_the_current_period(
    staff: User, users: dict[str, User]
) -> None:
    """Issue 11: rounds that had ended were labelled "huidige periode"."""
    _half_year_round(staff, 2024, 1, 18_750)
    diemen = Municipality.objects.get(code="GM0384")
    [ended] = selectors.balances(municipality=diemen, today=date(2025, 3, 1))
    assert ended.period == "ended"
    [current] = selectors.balances(municipality=diemen, today=date(2024, 3, 1))
    assert current.period == "current"
    [upcoming] = selectors.balances(municipality=diemen, today=date(2023, 3, 1))
    assert upcoming.period == "upcoming"
    client = Client()
    client.force_login(users["diemen-viewer"])
    page = client.get(reverse("quotas:overview")).content.decode()  # today is after 2024-H1
    assert "huidige periode" not in page
    assert "periode afgelopen op 30 juni 2024" in page


def test_the_regional_coordinator_sees_the_members_side_by_side(
    staff: User, users: dict[str, User]
) -> None:
    """Issue 11: the coordinator saw "Uw account is niet gekoppeld aan een gemeente"."""
    _half_year_round(staff, 2025, 2, 13_000)
    client = Client()
    client.force_login(users["duo-coordinator"])
    page = client.get(reverse("quotas:overview")).content.decode()
    assert "niet gekoppeld aan een gemeente" not in page
    assert "Diemen" in page and "Ouder-Amstel" in page and "Uithoorn" in page


def test_viewers_get_a_read_only_realisation_page_instead_of_a_403(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    """Issue 11: viewers were shown edit links that answered 403."""
    realisation = services.realisation_create(
        actor=users["diemen-editor"],
        organisation=organisations["diemen"],
        target_group="status_holder",
        date=date(2025, 3, 1),
        amount=4,
        reference="plaatsing 12",
    )
    client = Client()
    client.force_login(users["diemen-viewer"])
    listing = client.get(reverse("quotas:realisation_list")).content.decode()
    url = reverse("quotas:realisation_update", args=[realisation.pk])
    assert url in listing
    assert reverse("quotas:realisation_create") not in listing
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "plaatsing 12" in text and "<form" not in text.split("</header>")[-1].split("<footer")[0]
    assert client.post(url, {"amount": 5}).status_code == 403


def test_migration_strips_household_codes_from_realisation_references(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    """Issue 11: references "plaatsing N (HH-...)" showed a household code (personal data)."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "onderdak.apps.quotas.migrations.0003_strip_household_codes_from_references"
    )
    placed = services.realisation_create(
        actor=users["diemen-editor"],
        organisation=organisations["diemen"],
        target_group="status_holder",
        date=date(2025, 3, 1),
        amount=3,
        reference="plaatsing 7 (HH-2025-014)",
    )
    other = services.realisation_create(
        actor=users["diemen-editor"],
        organisation=organisations["diemen"],
        target_group="status_holder",
        date=date(2025, 3, 2),
        amount=1,
        reference="COA 123",
    )
    migration.strip_codes(apps, None)
    placed.refresh_from_db()
    other.refresh_from_db()
    assert placed.reference == "plaatsing 7"
    assert other.reference == "COA 123"
    assert selectors.placement_of(placed) == 7
    assert selectors.placement_of(other) is None


def test_a_round_that_cannot_be_computed_says_why_in_dutch(staff: User) -> None:
    """Issue 11: the quota engine's English message was shown on the Dutch page."""
    from onderdak.engines.errors import RecordInputError

    round = make_round(staff, population_date=None)
    with pytest.raises(RecordInputError) as caught:
        services.quota_round_compute(actor=staff, round=round)
    assert str(caught.value) == "population_date: choose the population reference date first"
    client = Client()
    client.force_login(staff)
    response = client.post(reverse("quotas:round_compute", args=[round.pk]), follow=True)
    page = response.content.decode()
    assert "kies eerst de peildatum van het inwonertal" in page
    assert "choose the population" not in page


def test_official_table_has_a_template_with_dutch_columns_and_accepts_them(staff: User) -> None:
    """Issue 11: import column names were English with no template to download."""
    round = make_round(staff)
    client = Client()
    client.force_login(staff)
    page = client.get(reverse("quotas:round_import", args=[round.pk])).content.decode()
    template_url = reverse("quotas:round_import_template")
    assert template_url in page
    template = client.get(template_url, {"format": "csv"}).content.decode("utf-8-sig")
    header = template.splitlines()[0].split(";")
    assert header[:3] == ["CBS-code", "Gemeente", "Taakstelling"]
    table = "CBS-code;Taakstelling;Achterstand aan het begin\nGM0384;33;2\n"
    count = services.quota_round_import_official(
        actor=staff, round=round, content=table.encode(), filename="t.csv"
    )
    assert count == 1
    quota = MunicipalQuota.objects.get(round=round, municipality__code="GM0384")
    assert (quota.official, quota.opening_carry) == (33, 2)
