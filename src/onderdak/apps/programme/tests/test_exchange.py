"""The plan in and out: Excel export and import (round trip, changes, refusals that write
nothing), MS Project XML, the milestones as iCalendar and the subscribed calendar feed."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import pytest
from openpyxl import load_workbook
from tests.fixtures import logged_in

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.programme import exchange, selectors, services
from onderdak.apps.programme.models import PlanLink, PlanTask, Programme
from onderdak.common.imports import ImportRejected

pytestmark = pytest.mark.django_db

NS = {"p": "http://schemas.microsoft.com/project"}


@pytest.fixture
def plan(users: dict[str, User], organisations: dict[str, Organisation]) -> Programme:
    """1.1 (10 days) -> 1.2 milestone, SS +2 to 3.1 (5 days, estimate) -> 3.2 milestone."""
    admin = users["diemen-admin"]
    today = timezone.localdate()
    programme = services.programme_create(
        actor=admin,
        organisation=organisations["diemen"],
        name="Programma X",
        start_date=today,
        target_date=today + timedelta(days=60),
    )
    care = programme.tracks.get(kind="care")
    housing = programme.tracks.get(kind="temporary_housing")
    tasks = {}
    for track, code, name, duration in (
        (care, "1.1", "Inventaris; zorg, \\ en meer", 10),
        (care, "1.2", "Catalogus vastgesteld", 0),
        (housing, "3.1", "Vergunning", 5),
        (housing, "3.2", "Woningen opgeleverd", 0),
    ):
        tasks[code] = services.task_create(
            actor=admin, programme=programme, track=track, code=code, name=name, duration=duration
        )
    services.task_update(actor=admin, task=tasks["3.1"], optimistic=3, most_likely=5, pessimistic=9)
    for predecessor, successor, kind, lag in (
        ("1.1", "1.2", "FS", 0),
        ("1.1", "3.1", "SS", 2),
        ("3.1", "3.2", "FS", 1),
    ):
        services.link_create(
            actor=admin,
            programme=programme,
            predecessor=tasks[predecessor],
            successor=tasks[successor],
            type=kind,
            lag=lag,
        )
    return programme


def _export(programme: Programme) -> bytes:
    view = selectors.plan_view(programme=programme, today=timezone.localdate())
    return exchange.plan_workbook(view, PlanLink.objects.filter(programme=programme))


def _import(user: User, programme: Programme, content: bytes) -> services.PlanImport:
    return services.plan_import(
        actor=user, programme=programme, content=content, filename="plan.xlsx"
    )


def test_exporting_and_importing_again_changes_nothing(
    users: dict[str, User], plan: Programme
) -> None:
    services.task_update(
        actor=users["diemen-admin"],
        task=PlanTask.objects.get(code="1.1"),
        actual_start=timezone.localdate(),
        owner="=SUM(A1)",  # a formula-like text survives the trip as text
        notes="Regel 1\nRegel 2",
    )
    before = list(PlanTask.objects.order_by("pk").values())
    result = _import(users["diemen-editor"], plan, _export(plan))
    assert result == services.PlanImport(0, 0, 0, 0)
    assert list(PlanTask.objects.order_by("pk").values()) == before


def test_an_edited_workbook_adds_and_changes_tasks_and_dependencies(
    users: dict[str, User], plan: Programme
) -> None:
    book = load_workbook(io.BytesIO(_export(plan)))
    tasks, links = book.worksheets
    header = [cell.value for cell in tasks[1]]
    assert header[:4] == ["Code", "Naam", "Spoor", "Duur (dagen)"]
    rows = {row[0].value: row for row in tasks.iter_rows(min_row=2)}
    rows["1.1"][header.index("Duur (dagen)")].value = 12
    tasks.append(["2.1", "Flexwoningen", "Spoor 2: flexwoningen voor ontheemden", 4])
    links.append(["2.1", "1.2", "ff", "\u22121"])  # lower case type, typographic minus
    buffer = io.BytesIO()
    book.save(buffer)
    result = _import(users["diemen-editor"], plan, buffer.getvalue())
    assert result == services.PlanImport(1, 1, 1, 0)
    assert PlanTask.objects.get(code="1.1").duration == 12
    new = PlanTask.objects.get(code="2.1")
    assert new.track.kind == "flex_homes" and new.duration == 4
    link = PlanLink.objects.get(predecessor=new)
    assert (link.successor.code, link.type, link.lag) == ("1.2", "FF", -1)


def test_a_refused_workbook_names_sheet_row_and_column_and_writes_nothing(
    users: dict[str, User], plan: Programme
) -> None:
    book = load_workbook(io.BytesIO(_export(plan)))
    tasks = book.worksheets[0]
    tasks.append(["4.1", "Nieuw", "spoor 9", 3])
    tasks.append(["4.2", "Nieuw", "care", "drie"])
    tasks.append(["1.1", "Dubbel", "care", 3])
    tasks.cell(row=2, column=10).value = "31-02-2027"  # actual start of 1.1
    buffer = io.BytesIO()
    book.save(buffer)
    before = list(PlanTask.objects.order_by("pk").values())
    with pytest.raises(ImportRejected) as caught:
        _import(users["diemen-editor"], plan, buffer.getvalue())
    messages = [str(error) for error in caught.value.errors]
    assert any("rij 6" in m and "Taken: Spoor" in m and "spoor 9" in m for m in messages)
    assert any("rij 7" in m and "Duur (dagen)" in m for m in messages)
    assert any("rij 8" in m and "'1.1' staat ook op rij 2" in m for m in messages)
    assert any("rij 2" in m and "Werkelijke start" in m for m in messages), messages
    assert list(PlanTask.objects.order_by("pk").values()) == before
    assert PlanTask.objects.count() == 4


def test_a_dependency_that_closes_a_cycle_rolls_the_whole_file_back(
    users: dict[str, User], plan: Programme
) -> None:
    book = load_workbook(io.BytesIO(_export(plan)))
    tasks, links = book.worksheets
    tasks.append(["1.3", "Nog een taak", "care", 2])
    links.append(["3.2", "1.1", "FS", 0])
    links.append(["1.1", "9.9", "FS", 0])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ImportRejected) as caught:
        _import(users["diemen-editor"], plan, buffer.getvalue())
    messages = [str(error) for error in caught.value.errors]
    assert any("Koppelingen" in m and "kring" in m for m in messages), messages
    assert any("Koppelingen: Opvolger" in m and "9.9" in m for m in messages)
    assert not PlanTask.objects.filter(code="1.3").exists()  # the added task went back too
    assert PlanLink.objects.count() == 3


def test_ms_project_xml_has_the_tracks_tasks_links_and_holidays(plan: Programme) -> None:
    view = selectors.plan_view(programme=plan, today=timezone.localdate())
    content = exchange.mspdi(view, PlanLink.objects.filter(programme=plan))
    root = ET.fromstring(content)  # noqa: S314 - our own output
    assert root.tag == "{http://schemas.microsoft.com/project}Project"
    tasks = root.findall("p:Tasks/p:Task", NS)
    summaries = [t for t in tasks if t.findtext("p:Summary", namespaces=NS) == "1"]
    assert [t.findtext("p:Name", namespaces=NS) for t in summaries] == [
        "Spoor 1: zorg en ondersteuning",
        "Spoor 3: structurele tijdelijke huisvestingsbehoefte",
    ]
    by_wbs = {t.findtext("p:WBS", namespaces=NS): t for t in tasks if t not in summaries}
    assert set(by_wbs) == {"1.1", "1.2", "3.1", "3.2"}
    assert by_wbs["1.2"].findtext("p:Milestone", namespaces=NS) == "1"
    assert by_wbs["1.1"].findtext("p:Duration", namespaces=NS) == "PT80H0M0S"
    link = by_wbs["3.1"].find("p:PredecessorLink", NS)
    assert link is not None
    uid = by_wbs["1.1"].findtext("p:UID", namespaces=NS)
    assert link.findtext("p:PredecessorUID", namespaces=NS) == uid
    assert link.findtext("p:Type", namespaces=NS) == "3"  # start-to-start
    assert link.findtext("p:LinkLag", namespaces=NS) == str(2 * 4800)
    # every task follows its summary task (the outline MS Project reads)
    levels = [t.findtext("p:OutlineLevel", namespaces=NS) for t in tasks]
    assert levels == ["1", "2", "2", "1", "2", "2"]
    assert root.findall("p:Calendars/p:Calendar/p:WeekDays/p:WeekDay", NS)


def test_milestones_as_icalendar_are_escaped_and_folded(plan: Programme) -> None:
    task = PlanTask.objects.get(code="1.2")
    task.name = "Catalogus; vastgesteld, door het college en één " + "x" * 80
    task.save()
    view = selectors.plan_view(programme=plan, today=timezone.localdate())
    text = exchange.milestones_ical(view, name="Programma X", host="onderdak.test")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    lines = text.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert text.count("BEGIN:VEVENT") == 2  # the two milestones
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:1.2 Catalogus\\; vastgesteld\\, door het college en één " in unfolded
    row = next(r for r in view.rows if r.task.code == "1.2")
    assert f"DTSTART;VALUE=DATE:{row.finish:%Y%m%d}" in unfolded


def test_the_exchange_page_imports_and_the_calendar_feed_needs_its_key(
    users: dict[str, User], plan: Programme
) -> None:
    viewer, editor = logged_in(users["diemen-viewer"]), logged_in(users["diemen-editor"])
    page = viewer.get("/planning/uitwisseling/").content.decode()
    assert "Planning uitwisselen" in page and "Importeren uit Excel" not in page
    assert viewer.get("/planning/uitwisseling/planning.xlsx").status_code == 200
    xml = viewer.get("/planning/uitwisseling/planning.xml")
    assert xml.status_code == 200 and xml["Content-Type"] == "application/xml"
    ics = viewer.get("/planning/uitwisseling/mijlpalen.ics?spoor=care")
    assert ics.content.decode().count("BEGIN:VEVENT") == 1
    assert viewer.get("/planning/uitwisseling/mijlpalen.ics?spoor=nope").status_code == 404
    upload = SimpleUploadedFile("plan.xlsx", _export(plan))
    assert viewer.post("/planning/uitwisseling/", {"file": upload}).status_code == 403
    wrong = editor.post(
        "/planning/uitwisseling/", {"file": SimpleUploadedFile("plan.csv", b"code\n1")}
    )
    assert wrong.status_code == 200 and wrong.context["form"].errors["file"]
    done = editor.post(
        "/planning/uitwisseling/", {"file": SimpleUploadedFile("p.xlsx", _export(plan))}
    )
    assert done.status_code == 302
    # the feed: none yet; the viewer may not make one; the editor does; it needs no login
    assert viewer.post("/planning/uitwisseling/agendalink/").status_code == 403
    assert editor.post("/planning/uitwisseling/agendalink/").status_code == 302
    plan.refresh_from_db()
    token = plan.calendar_token
    anonymous = logged_in(None)
    feed = anonymous.get(f"/planning/agenda/{token}/alles.ics")
    assert feed.status_code == 200 and feed.content.decode().count("BEGIN:VEVENT") == 2
    assert anonymous.get(f"/planning/agenda/{token}/care.ics").status_code == 200
    assert anonymous.get(f"/planning/agenda/{'x' * 43}/alles.ics").status_code == 404
    confirm = editor.get("/planning/uitwisseling/agendalink/?action=renew").content.decode()
    assert "opnieuw abonneren" in confirm  # renewing asks first and says what happens
    assert anonymous.get(f"/planning/agenda/{token}/alles.ics").status_code == 200
    editor.post("/planning/uitwisseling/agendalink/", {"action": "renew"})  # stops the old one
    assert anonymous.get(f"/planning/agenda/{token}/alles.ics").status_code == 404
    editor.post("/planning/uitwisseling/agendalink/", {"action": "remove"})
    plan.refresh_from_db()
    assert plan.calendar_token == ""
    other = logged_in(users["uithoorn-editor"])
    assert other.get("/planning/uitwisseling/planning.xlsx").status_code == 404
