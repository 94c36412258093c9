"""track_signals: progress per policy goal with traffic lights from the other modules."""

from __future__ import annotations

from datetime import date

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.care.demo import demo_seed as care_seed
from onderdak.apps.care.selectors import gap_list
from onderdak.apps.housing.demo import demo_seed as housing_seed
from onderdak.apps.programme.selectors import track_signals

pytestmark = pytest.mark.django_db

ON = date(2025, 9, 30)


def test_empty_organisation_has_only_the_grey_sites_signal(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    signals = track_signals(
        user=users["diemen-viewer"], organisation_id=organisations["diemen"].pk, on=ON
    )
    by_track = {s.track: s for s in signals}
    assert by_track["temporary_housing"].light == "grey"
    assert by_track["care"].light == "green"
    assert "flex_homes" not in by_track


def test_signals_follow_the_modules(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    admin, diemen = users["diemen-admin"], organisations["diemen"]
    housing_seed(actor=admin, organisation=diemen)
    care_seed(actor=admin, organisation=diemen)
    signals = track_signals(user=admin, organisation_id=diemen.pk, on=ON)
    assert {s.light for s in signals} <= {"green", "amber", "red", "grey"}
    [care] = [s for s in signals if s.track == "care"]
    gaps = list(gap_list(user=admin, organisation=diemen))
    missing = sum(1 for g in gaps if g.status == "missing")
    assert care.light == ("red" if missing else "amber" if gaps else "green")
    assert f"{missing} " in care.summary
    flex = [s for s in signals if s.track == "flex_homes"]
    assert len(flex) == 2
    assert all(s.url.startswith("/") for s in signals)


def test_other_organisation_sees_nothing(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    assert (
        track_signals(
            user=users["uithoorn-editor"], organisation_id=organisations["diemen"].pk, on=ON
        )
        == []
    )
