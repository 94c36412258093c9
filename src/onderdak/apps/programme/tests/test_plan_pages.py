"""The plan's pages: the table with inline editing, the task, dependency, baseline, programme
and track forms, and the Gantt chart, as the demo roles use them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

from django.utils import timezone

import pytest
from tests.fixtures import logged_in

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.audit.models import AuditEntry
from onderdak.apps.programme import services
from onderdak.apps.programme.models import Baseline, PlanLink, PlanTask, Programme

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def plan(users: dict[str, User], organisations: dict[str, Organisation]) -> Programme:
    """Four tasks: a -> b -> m (critical, a target a week too early) and c beside them."""
    admin = users["diemen-admin"]
    today = timezone.localdate()
    programme = services.programme_create(
        actor=admin,
        organisation=organisations["diemen"],
        name="Programma P",
        start_date=today - timedelta(days=10),
        target_date=today + timedelta(days=20),
    )
    care = programme.tracks.get(kind="care")
    flex = programme.tracks.get(kind="flex_homes")
    a = services.task_create(
        actor=admin, programme=programme, track=care, code="1.1", name="Inventaris", duration=10
    )
    b = services.task_create(
        actor=admin, programme=programme, track=care, code="1.2", name="Catalogus", duration=30
    )
    m = services.task_create(
        actor=admin, programme=programme, track=care, code="1.3", name="Vastgesteld", duration=0
    )
    services.task_create(
        actor=admin, programme=programme, track=flex, code="2.1", name="Vergunning", duration=5
    )
    services.link_create(actor=admin, programme=programme, predecessor=a, successor=b)
    services.link_create(
        actor=admin, programme=programme, predecessor=b, successor=m, type="SS", lag=3
    )
    services.baseline_save(
        actor=admin, programme=programme, name="Vastgesteld", adopted_on=today, today=today
    )
    return programme


def _task(code: str) -> PlanTask:
    return PlanTask.objects.get(code=code)


def _row_data(page: str) -> dict[str, str]:
    """The posted form of the plan table as a browser would send it, unchanged."""
    data = dict(re.findall(r'name="(t\d+-[a-z_]+)"[^>]*value="([^"]*)"', page))
    for name in re.findall(r'name="(t\d+-[a-z_]+)"', page):
        data.setdefault(name, "")
    return data


def test_the_viewer_reads_the_table_without_fields_and_may_not_post(
    users: dict[str, User], plan: Programme
) -> None:
    client = logged_in(users["diemen-viewer"])
    page = client.get("/planning/plan/").content.decode()
    assert "Inventaris" in page and "Vergunning" in page
    assert 'name="t' not in page and "Wijzigingen opslaan" not in page
    assert client.post("/planning/plan/", {}).status_code == 403
    assert client.get("/planning/plan/taken/nieuw/").status_code == 403


def test_the_table_filters_by_track_and_search(users: dict[str, User], plan: Programme) -> None:
    client = logged_in(users["diemen-viewer"])
    flex = client.get("/planning/plan/?spoor=flex_homes").content.decode()
    assert "Vergunning" in flex and "Inventaris" not in flex
    found = client.get("/planning/plan/?q=catalo").content.decode()
    assert "Catalogus" in found and "Vergunning" not in found
    none = client.get("/planning/plan/?q=zzzz").content.decode()
    assert "Geen taak voldoet aan uw zoekopdracht." in none


def test_inline_editing_saves_every_changed_row_at_once(
    users: dict[str, User], plan: Programme
) -> None:
    client = logged_in(users["diemen-editor"])
    page = client.get("/planning/plan/").content.decode()
    data = _row_data(page)
    a, c = _task("1.1"), _task("2.1")
    data[f"t{a.pk}-duration"] = "12"
    data[f"t{c.pk}-owner"] = "Projectleider flex"
    before = AuditEntry.objects.count()
    response = client.post("/planning/plan/", data, follow=True)
    assert "2 taken zijn gewijzigd." in response.content.decode()
    assert _task("1.1").duration == 12 and _task("2.1").owner == "Projectleider flex"
    assert AuditEntry.objects.count() == before + 2
    again = client.post("/planning/plan/", _row_data(response.content.decode()), follow=True)
    assert "Er is niets gewijzigd." in again.content.decode()


def test_one_refused_row_saves_nothing_and_says_which_cell(
    users: dict[str, User], plan: Programme
) -> None:
    client = logged_in(users["diemen-editor"])
    data = _row_data(client.get("/planning/plan/").content.decode())
    a, b = _task("1.1"), _task("1.2")
    data[f"t{a.pk}-duration"] = "11"  # fine on its own
    data[f"t{b.pk}-actual_start"] = "2026-03-10"
    data[f"t{b.pk}-actual_finish"] = "2026-03-01"  # before the start: refused by the model
    response = client.post("/planning/plan/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "er is niets opgeslagen" in page
    assert "De werkelijke einddatum kan niet vóór de werkelijke start liggen." in page
    assert _task("1.1").duration == 10 and _task("1.2").actual_finish is None
    data[f"t{b.pk}-duration"] = "-4"  # a form error: nothing is sent to the service
    assert "er is niets opgeslagen" in client.post("/planning/plan/", data).content.decode()


def test_a_task_with_a_code_used_twice_is_refused_on_the_form(
    users: dict[str, User], plan: Programme
) -> None:
    client = logged_in(users["diemen-editor"])
    track = plan.tracks.get(kind="care")
    response = client.post(
        "/planning/plan/taken/nieuw/",
        {"track": track.pk, "code": "1.1", "name": "Dubbel", "duration": "3"},
    )
    assert response.status_code == 200
    assert "nothing has been saved" not in response.content.decode()
    assert "er is niets opgeslagen" in response.content.decode()
    assert "Een andere taak van dit programma heeft deze code al." in response.content.decode()
    assert PlanTask.objects.filter(name="Dubbel").count() == 0
    response = client.post(
        "/planning/plan/taken/nieuw/",
        {
            "track": track.pk,
            "code": "1.4",
            "name": "Nieuw",
            "duration": "3",
            "percent_complete": "0",
            "target_groups": ["status_holder"],
        },
    )
    task = PlanTask.objects.get(code="1.4")
    assert (
        response.status_code == 302 and response["Location"] == f"/planning/plan/taken/{task.pk}/"
    )
    assert task.target_groups == ["status_holder"] and task.programme_id == plan.pk


def test_a_dependency_that_closes_a_cycle_names_the_tasks_and_writes_nothing(
    users: dict[str, User], plan: Programme
) -> None:
    client = logged_in(users["diemen-editor"])
    links = PlanLink.objects.count()
    response = client.post(
        "/planning/plan/koppelingen/nieuw/",
        {"predecessor": _task("1.3").pk, "successor": _task("1.1").pk, "type": "FS", "lag": "0"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "kring" in page and "1.1" in page and "1.3" in page
    assert PlanLink.objects.count() == links
    to_itself = client.post(
        "/planning/plan/koppelingen/nieuw/",
        {"predecessor": _task("1.1").pk, "successor": _task("1.1").pk, "type": "FS", "lag": "0"},
    )
    assert to_itself.status_code == 200 and PlanLink.objects.count() == links
    assert "Een taak kan niet van zichzelf afhangen." in to_itself.content.decode()
    twice = client.post(
        "/planning/plan/koppelingen/nieuw/",
        {"predecessor": _task("1.1").pk, "successor": _task("1.2").pk, "type": "SS", "lag": "0"},
    )
    assert "Tussen deze twee taken bestaat al een afhankelijkheid." in twice.content.decode()
    assert PlanLink.objects.count() == links


def test_deleting_a_task_shows_its_dependencies_first(
    users: dict[str, User], plan: Programme
) -> None:
    client = logged_in(users["diemen-editor"])
    b = _task("1.2")
    confirm = client.get(f"/planning/plan/taken/{b.pk}/verwijderen/").content.decode()
    assert "2 afhankelijkheden worden mee verwijderd" in confirm
    assert PlanTask.objects.filter(pk=b.pk).exists()
    assert client.post(f"/planning/plan/taken/{b.pk}/verwijderen/").status_code == 302
    assert not PlanTask.objects.filter(pk=b.pk).exists() and PlanLink.objects.count() == 0


def test_a_dependency_is_changed_and_deleted_from_the_task_page(
    users: dict[str, User], plan: Programme
) -> None:
    client = logged_in(users["diemen-editor"])
    link = PlanLink.objects.get(type="SS")
    page = client.get(f"/planning/plan/taken/{_task('1.3').pk}/").content.decode()
    assert "Begin-begin, wachttijd 3" in page
    response = client.post(
        f"/planning/plan/koppelingen/{link.pk}/wijzigen/",
        {
            "predecessor": link.predecessor_id,
            "successor": link.successor_id,
            "type": "FF",
            "lag": "-2",
        },
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.type, link.lag) == ("FF", -2)
    assert client.get(f"/planning/plan/koppelingen/{link.pk}/verwijderen/").status_code == 405
    assert client.post(f"/planning/plan/koppelingen/{link.pk}/verwijderen/").status_code == 302
    assert not PlanLink.objects.filter(pk=link.pk).exists()


def test_baselines_are_saved_and_deleted_after_confirmation(
    users: dict[str, User], plan: Programme
) -> None:
    client = logged_in(users["diemen-editor"])
    response = client.post(
        "/planning/plan/basislijnen/", {"name": "Herijking", "adopted_on": "2026-11-01"}
    )
    assert response.status_code == 302
    saved = Baseline.objects.get(name="Herijking")
    assert set(saved.tasks) == {"1.1", "1.2", "1.3", "2.1"}
    empty = client.post("/planning/plan/basislijnen/", {"name": "", "adopted_on": ""})
    assert empty.status_code == 200 and Baseline.objects.count() == 2
    page = client.get(f"/planning/plan/basislijnen/{saved.pk}/verwijderen/").content.decode()
    assert "Herijking" in page and Baseline.objects.filter(pk=saved.pk).exists()
    client.post(f"/planning/plan/basislijnen/{saved.pk}/verwijderen/")
    assert not Baseline.objects.filter(pk=saved.pk).exists()


def test_programme_and_track_forms(users: dict[str, User], plan: Programme) -> None:
    client = logged_in(users["diemen-editor"])
    wrong = client.post(
        "/planning/plan/programma/",
        {
            "name": "Programma P",
            "start_date": "2026-01-10",
            "target_date": "2025-01-01",
            "calendar": "working_days",
        },
    )
    assert wrong.status_code == 200
    assert (
        "De streefdatum kan niet voor de start van de planning liggen." in (wrong.content.decode())
        or "er is niets opgeslagen" in wrong.content.decode()
    )
    plan.refresh_from_db()
    assert plan.target_date != date(2025, 1, 1)
    response = client.post(
        "/planning/plan/sporen/care/",
        {"goal": "Alle zorg belegd", "alderman": "Wethouder Z", "lead": "", "status": "on_track"},
    )
    assert response.status_code == 302
    assert plan.tracks.get(kind="care").alderman == "Wethouder Z"
    assert client.get("/planning/plan/sporen/nope/").status_code == 404
    assert logged_in(users["diemen-viewer"]).get("/planning/plan/programma/").status_code == 403


def test_a_municipality_without_a_programme_starts_one(
    users: dict[str, User], plan: Programme
) -> None:
    client = logged_in(users["uithoorn-editor"])
    assert client.get("/planning/plan/taken/nieuw/").status_code == 404
    assert "Een programma starten" in client.get("/planning/").content.decode()
    response = client.post(
        "/planning/plan/programma/nieuw/",
        {"name": "Programma U", "start_date": "2026-12-01", "calendar": "working_days"},
    )
    assert response.status_code == 302
    programme = Programme.objects.get(name="Programma U")
    assert programme.organisation.name.endswith("Uithoorn") and programme.tracks.count() == 4
    assert client.get("/planning/plan/programma/nieuw/").status_code == 302  # one each


def test_another_municipality_sees_none_of_the_plan(
    users: dict[str, User], plan: Programme
) -> None:
    client = logged_in(users["uithoorn-editor"])
    task = _task("1.1")
    assert client.get(f"/planning/plan/taken/{task.pk}/").status_code == 404
    assert client.post(f"/planning/plan/taken/{task.pk}/verwijderen/").status_code == 404
    assert "Inventaris" not in client.get("/planning/plan/").content.decode()
    assert client.get("/planning/gantt/").status_code == 404


def test_the_gantt_chart_draws_bars_arrows_critical_baseline_today_and_target(
    users: dict[str, User], plan: Programme
) -> None:
    client = logged_in(users["diemen-viewer"])
    response = client.get("/planning/gantt/?format=svg&alles=1")
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    tasks = [el for el in root.iter() if "od-gantt-task" in el.get("class", "").split()]
    assert [el.tag for el in tasks].count(f"{SVG}g") == 3  # bars
    assert [el.tag for el in tasks].count(f"{SVG}path") == 1  # the milestone's diamond
    critical = [el for el in tasks if "od-gantt-critical" in el.get("class", "")]
    # 1.1 -> 1.2 miss the target; 1.3 hangs start-to-start on 1.2 and 2.1 is short: float
    assert ["".join(el.itertext())[:3] for el in critical] == ["1.1", "1.2"]
    classes = [el.get("class", "") for el in root.iter()]
    links = [el for el in root.iter() if "od-gantt-link" in el.get("class", "").split()]
    assert len(links) == 2
    assert "Begin-begin, wachttijd 3" in "".join(links[1].itertext())
    assert sum("od-gantt-baseline" in c for c in classes) == 4
    assert any("od-gantt-today" in c for c in classes)
    assert any("od-gantt-target" in c for c in classes)
    page = client.get("/planning/gantt/care/").content.decode()
    assert "Vergunning" not in page and "Inventaris" in page
    assert client.get("/planning/gantt/nope/").status_code == 404
