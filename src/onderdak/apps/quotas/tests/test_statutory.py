"""Status-holder rounds by Huisvestingswet 2014 art. 29 (statutory figure), art. 30 overrides,
the municipality's page beside a what-if apportionment, and the demo rounds."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.audit.models import AuditEntry
from onderdak.apps.geo.models import Municipality
from onderdak.apps.quotas import demo, selectors, services
from onderdak.apps.quotas.models import MunicipalQuota, PopulationOverride, QuotaRound
from onderdak.apps.quotas.tests.rounds import make_round
from onderdak.engines.quota import QuotaInputError

pytestmark = pytest.mark.django_db


def statutory_round(actor: User, **overrides: Any) -> QuotaRound:
    """The status-holder round 2024-H1 by art. 29 (the statutory figure)."""
    return make_round(actor, **{"method": "statutory", "population_date": None, **overrides})


def figure(round: QuotaRound, code: str) -> MunicipalQuota:
    return MunicipalQuota.objects.get(round=round, municipality__code=code)


def test_statutory_round_gives_diemen_35_and_18928_in_total(staff: User) -> None:
    round = statutory_round(staff)
    result = services.quota_round_compute(actor=staff, round=round)
    assert result.statutory is not None
    diemen = figure(round, "GM0384")
    assert diemen.computed == 35
    assert diemen.weight == 32_785  # CBS, 1 January 2023: the year before 2024
    assert diemen.exact == pytest.approx(18_750 * 32_785 / 17_811_291)
    quotas = MunicipalQuota.objects.filter(round=round)
    assert quotas.count() == 342
    assert sum(q.computed or 0 for q in quotas) == 18_928
    round.refresh_from_db()
    assert round.population_date == date(2023, 1, 1)


def test_statutory_round_keeps_the_initial_figure_when_the_number_was_lowered(
    staff: User,
) -> None:
    round = statutory_round(
        staff,
        name="Vergunninghouders 2023-H2",
        period_start=date(2023, 7, 1),
        period_end=date(2023, 12, 31),
        national_total_initial=27_300,
        national_total_final=17_600,
    )
    services.quota_round_compute(actor=staff, round=round)
    diemen = figure(round, "GM0384")
    # 1 January 2022 on the 2024 division: 31,822 of 17,590,672
    assert diemen.computed == -(-17_600 * 31_822 // 17_590_672) == 32
    assert diemen.computed_initial == -(-27_300 * 31_822 // 17_590_672) == 50


def test_statutory_round_without_population_the_year_before_is_refused(staff: User) -> None:
    round = statutory_round(
        staff, name="2022-H1", period_start=date(2022, 1, 1), period_end=date(2022, 6, 30)
    )
    with pytest.raises(QuotaInputError) as caught:
        services.quota_round_compute(actor=staff, round=round)
    assert caught.value.code == "no_population"


def test_statutory_rule_is_for_status_holders_and_half_years_only(staff: User) -> None:
    with pytest.raises(ValidationError) as caught:
        statutory_round(staff, target_group="asylum_seeker", unit="places")
    assert "method" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        statutory_round(staff, period_end=date(2024, 12, 31))
    assert "method" in caught.value.message_dict


def test_art_30_override_replaces_the_population_and_keeps_the_national_figure(
    staff: User,
) -> None:
    override = PopulationOverride(
        municipality=Municipality.objects.get(code="GM0384"),
        reference_date=date(2023, 1, 1),
        population=40_000,
        source="Besluit GS Noord-Holland (voorbeeld)",
    )
    override.full_clean()
    override.save()
    round = statutory_round(staff)
    services.quota_round_compute(actor=staff, round=round)
    # ceil(18,750 x 40,000 / 17,811,291) = ceil(42.1...) = 43; iN stays the CBS total
    assert figure(round, "GM0384").computed == 43
    assert figure(round, "GM0437").computed == -(-18_750 * 14_276 // 17_811_291) == 16


def test_art_30_override_needs_a_source_and_a_1_january(staff: User) -> None:
    override = PopulationOverride(
        municipality=Municipality.objects.get(code="GM0384"),
        reference_date=date(2023, 2, 1),
        population=40_000,
        source="",
    )
    with pytest.raises(ValidationError) as caught:
        override.full_clean()
    assert {"reference_date", "source"} <= set(caught.value.message_dict)


def test_art_30_override_in_the_admin_is_audited(staff: User, client: Client) -> None:
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    diemen = Municipality.objects.get(code="GM0384")
    response = client.post(
        reverse("admin:quotas_populationoverride_add"),
        {
            "municipality": diemen.pk,
            "reference_date": "2023-01-01",
            "population": "40000",
            "source": "Besluit GS (voorbeeld)",
            "source_url": "",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    override = PopulationOverride.objects.get()
    assert AuditEntry.objects.filter(object_id=str(override.pk)).exists()


def test_comparison_shows_statutory_beside_the_what_if_apportionment(staff: User) -> None:
    round = statutory_round(staff)
    diemen = Municipality.objects.get(code="GM0384")
    rows = selectors.statutory_comparison(municipality=diemen, method="dhondt")
    assert [r.round for r in rows] == [round]
    row = rows[0]
    assert (row.reference_date, row.population, row.statutory) == (date(2023, 1, 1), 32_785, 35)
    assert row.what_if is not None
    assert row.difference == 35 - row.what_if
    early = statutory_round(
        staff, name="2022-H1", period_start=date(2022, 1, 1), period_end=date(2022, 6, 30)
    )
    rows = selectors.statutory_comparison(municipality=diemen)
    assert rows[0].round == early
    assert rows[0].statutory is None


def test_municipality_page_and_export(staff: User, users: dict[str, User], client: Client) -> None:
    statutory_round(staff)
    client.force_login(users["diemen-viewer"])
    url = reverse("quotas:municipality_statutory")
    page = client.get(url)  # the user's own municipality by default
    assert page.status_code == 200
    text = page.content.decode()
    assert "Diemen" in text
    assert "<strong>35</strong>" in text
    assert "art. 29" in text
    assert "Wettelijke taakstelling" in text
    assert "Nareizigers tellen mee" in text
    export = client.get(url, {"gemeente": "GM0384", "export": "csv", "methode": "sainte-lague"})
    assert export.status_code == 200
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[1].startswith("Vergunninghouders 2024-H1;01-01-2023;32785;35;")
    assert client.get(url, {"gemeente": "GM9999"}).status_code == 404
    other = client.get(url, {"gemeente": "gm0437", "methode": "dhondt"})
    assert other.status_code == 200
    assert "Ouder-Amstel" in other.content.decode()
    assert client.get(url, {"methode": "nonsense"}).status_code == 200


def test_municipality_page_without_own_municipality_offers_the_choice(
    staff: User, client: Client
) -> None:
    statutory_round(staff)
    outsider = User.objects.create_user(username="outsider", password="x-Long-Passw0rd!")
    client.force_login(outsider)
    page = client.get(reverse("quotas:municipality_statutory"))
    assert page.status_code == 200
    assert 'name="gemeente"' in page.content.decode()
    assert "<strong>" not in page.content.decode()


def test_demo_rounds_use_the_statutory_figure(
    staff: User, organisations: dict[str, Organisation]
) -> None:
    demo.demo_seed(actor=staff, organisations=organisations)
    round = QuotaRound.objects.get(target_group="status_holder", period_start=date(2024, 1, 1))
    assert round.method == "statutory"
    assert figure(round, "GM0384").computed == 35  # was 34 by Hamilton over 1 January 2024
    assert sum(q.computed or 0 for q in round.quotas.all()) == 18_928
    early = QuotaRound.objects.get(target_group="status_holder", period_start=date(2022, 1, 1))
    assert early.method == "hamilton"  # 1 January 2021 is not shipped
    # a second run changes nothing
    demo.demo_seed(actor=staff, organisations=organisations)
    assert figure(round, "GM0384").computed == 35


def test_family_reunification_is_a_dated_setting_with_its_source(tmp_path: Any) -> None:
    settings_ = selectors.family_reunification_settings()
    assert settings_[0].valid_from == date(2023, 1, 1)
    assert settings_[0].counts is True
    assert settings_[0].source.startswith("Circulaire")
    assert selectors.family_reunification_on(date(2022, 12, 31), settings_) is None
    path = tmp_path / "nareizigers.csv"
    path.write_text(
        "valid_from,counts,source,source_url,verified\n"
        "2025-07-01,nee,Circulaire B,,ja\n2023-01-01,ja,Circulaire A,,nee\n",
        encoding="utf-8",
    )
    changed = selectors.family_reunification_settings(path)
    assert selectors.family_reunification_on(date(2025, 6, 30), changed).source == "Circulaire A"  # type: ignore[union-attr]
    later = selectors.family_reunification_on(date(2025, 7, 1), changed)
    assert later is not None
    assert (later.counts, later.verified) == (False, True)


def test_a_new_round_offers_the_statutory_rule_for_status_holders_first(staff: User) -> None:
    from onderdak.apps.quotas.forms import QuotaRoundForm

    form = QuotaRoundForm()
    assert form["target_group"].value() == "status_holder"
    assert form["method"].value() == "statutory"
    existing = statutory_round(staff, method="hamilton", population_date=date(2023, 1, 1))
    assert QuotaRoundForm(instance=existing)["method"].value() == "hamilton"
