"""The programme plan: services, the ORM <-> engine conversion and the scheduled read model."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.audit.models import AuditEntry
from onderdak.apps.programme import selectors, services
from onderdak.apps.programme.models import PlanLink, Programme

pytestmark = pytest.mark.django_db

TODAY = date(2023, 5, 1)


@pytest.fixture
def programme(users: dict[str, User], organisations: dict[str, Organisation]) -> Programme:
    return services.programme_create(
        actor=users["diemen-admin"],
        organisation=organisations["diemen"],
        name="Programma opvang",
        start_date=date(2023, 4, 4),  # a Tuesday
        target_date=date(2023, 7, 14),
    )


def test_a_programme_has_the_four_tracks(programme: Programme) -> None:
    assert sorted(t.kind for t in programme.tracks.all()) == [
        "care",
        "flex_homes",
        "overall",
        "temporary_housing",
    ]


def test_dates_skip_weekends_and_holidays(programme: Programme, users: dict[str, User]) -> None:
    admin = users["diemen-admin"]
    care = programme.tracks.get(kind="care")
    a = services.task_create(
        actor=admin, programme=programme, track=care, code="A", name="A", duration=5
    )
    m = services.task_create(
        actor=admin, programme=programme, track=care, code="M", name="M", duration=0
    )
    b = services.task_create(
        actor=admin, programme=programme, track=care, code="B", name="B", duration=3
    )
    services.link_create(
        actor=admin, programme=programme, predecessor=a, successor=m, type="FS", lag=0
    )
    services.link_create(
        actor=admin, programme=programme, predecessor=m, successor=b, type="FS", lag=0
    )
    view = selectors.plan_view(programme=programme, today=TODAY)
    rows = {row.task.code: row for row in view.rows}
    # 4 April 2023 (Tue) .. Good Friday 7 April and Easter Monday 10 April are holidays:
    # A works 4, 5, 6, 11, 12 April; the milestone is reached on 12 April; B works 13, 14, 17.
    assert (rows["A"].start, rows["A"].finish) == (date(2023, 4, 4), date(2023, 4, 12))
    assert rows["M"].start == rows["M"].finish == date(2023, 4, 12)
    assert (rows["B"].start, rows["B"].finish) == (date(2023, 4, 13), date(2023, 4, 17))
    assert view.finish == date(2023, 4, 17)
    assert view.target_float is not None and view.target_float > 0
    assert all(row.critical is False for row in view.rows)


def test_a_cycle_is_refused_naming_the_tasks(programme: Programme, users: dict[str, User]) -> None:
    admin = users["diemen-admin"]
    track = programme.tracks.get(kind="overall")
    a = services.task_create(
        actor=admin, programme=programme, track=track, code="A", name="A", duration=1
    )
    b = services.task_create(
        actor=admin, programme=programme, track=track, code="B", name="B", duration=1
    )
    services.link_create(actor=admin, programme=programme, predecessor=a, successor=b)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.link_create(actor=admin, programme=programme, predecessor=b, successor=a)
    assert "A → B → A" in caught.value.messages[0] or "B → A → B" in caught.value.messages[0]
    assert PlanLink.objects.count() == 1
    assert AuditEntry.objects.count() == before


def test_baseline_shows_slip(programme: Programme, users: dict[str, User]) -> None:
    admin = users["diemen-admin"]
    track = programme.tracks.get(kind="flex_homes")
    a = services.task_create(
        actor=admin, programme=programme, track=track, code="A", name="A", duration=2
    )
    services.baseline_save(
        actor=admin, programme=programme, name="Vastgesteld", adopted_on=TODAY, today=TODAY
    )
    services.task_update(actor=admin, task=a, duration=4)
    [row] = selectors.plan_view(programme=programme, today=TODAY).rows
    assert row.baseline_finish == date(2023, 4, 5)
    assert row.finish == date(2023, 4, 11)
    assert row.slip == 6


def test_viewer_may_not_change_the_plan(programme: Programme, users: dict[str, User]) -> None:
    track = programme.tracks.get(kind="care")
    with pytest.raises(PermissionDenied):
        services.task_create(
            actor=users["diemen-viewer"],
            programme=programme,
            track=track,
            code="A",
            name="A",
            duration=1,
        )


def test_other_organisations_do_not_see_the_programme(
    programme: Programme, users: dict[str, User]
) -> None:
    assert programme in selectors.programme_list(user=users["diemen-viewer"])
    assert programme not in selectors.programme_list(user=users["uithoorn-editor"])
