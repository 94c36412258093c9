"""The plan in and out: Excel (a sheet of tasks and one of dependencies, the same columns for
export and import), MS Project XML (MSPDI, to open the plan in the tool municipalities have)
and iCalendar (the milestones per track, for the aldermen's calendars). Reads and formatting
only; the import writes through :func:`onderdak.apps.programme.services.plan_import`.

Every spreadsheet cell goes through :func:`onderdak.common.exports.export_row` (formulas
neutralised). The MSPDI file follows the Project 2007 schema (``mspdi_pj12.xsd``; elements in
its order, link types 0=FF 1=FS 2=SF 3=SS, lags in tenths of a minute of an 8-hour day). The
iCalendar text follows RFC 5545 (escaped text, lines folded at 75 octets, CRLF).
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onderdak.common.exports import export_row
from onderdak.common.imports import ImportColumn, ImportSpec

from . import adapters
from .models import CalendarKind, PlanLink, PlanTask, Programme, Track
from .selectors import PlanView

TASK_COLUMNS = ImportSpec(
    name="planning-taken",
    columns=(
        ImportColumn("code", gettext_lazy("Code"), example="3.1", required=True),
        ImportColumn("name", gettext_lazy("Name"), example="Locatieonderzoek", required=True),
        ImportColumn(
            "track",
            gettext_lazy("Track"),
            example="temporary_housing",
            required=True,
            help=gettext_lazy("overall, care, flex_homes or temporary_housing (or its name)."),
        ),
        ImportColumn(
            "duration",
            gettext_lazy("Duration (days)"),
            example=20,
            required=True,
            aliases=("duration", "duur"),
            help=gettext_lazy("Working days (or calendar days); 0 for a milestone."),
        ),
        ImportColumn("optimistic", gettext_lazy("Optimistic"), example=15),
        ImportColumn("most_likely", gettext_lazy("Most likely"), example=20),
        ImportColumn("pessimistic", gettext_lazy("Pessimistic"), example=35),
        ImportColumn("owner", gettext_lazy("Owner"), example="Team ruimte"),
        ImportColumn("percent_complete", gettext_lazy("Percent complete"), example=0),
        ImportColumn("actual_start", gettext_lazy("Actual start"), example=""),
        ImportColumn("actual_finish", gettext_lazy("Actual finish"), example=""),
        ImportColumn("start_no_earlier_than", gettext_lazy("Start no earlier than"), example=""),
        ImportColumn("finish_no_later_than", gettext_lazy("Finish no later than"), example=""),
        ImportColumn(
            "units",
            gettext_lazy("Places delivered"),
            example="",
            help=gettext_lazy("For a delivery milestone: the places ready when it is reached."),
        ),
        ImportColumn("notes", gettext_lazy("Notes"), example=""),
        # computed, written by the export and ignored by the import
        ImportColumn("start", gettext_lazy("Start (computed)"), example=""),
        ImportColumn("finish", gettext_lazy("Finish (computed)"), example=""),
        ImportColumn("total_float", gettext_lazy("Total float (computed)"), example=""),
    ),
)

LINK_COLUMNS = ImportSpec(
    name="planning-koppelingen",
    columns=(
        ImportColumn("predecessor", gettext_lazy("Predecessor"), example="3.1", required=True),
        ImportColumn("successor", gettext_lazy("Successor"), example="3.2", required=True),
        ImportColumn(
            "type",
            gettext_lazy("Type"),
            example="FS",
            help=gettext_lazy("FS, SS, FF or SF; empty: FS."),
        ),
        ImportColumn(
            "lag",
            gettext_lazy("Lag (days)"),
            example=0,
            help=gettext_lazy("Waiting time (positive) or overlap (negative); empty: 0."),
        ),
    ),
)

#: Computed columns of the task sheet (written on export, not read on import).
COMPUTED = ("start", "finish", "total_float")


def _value(task: PlanTask, key: str) -> Any:
    if key == "track":
        return str(task.track.get_kind_display())
    value = getattr(task, key)
    return "" if value is None else value


def plan_workbook(view: PlanView, links: Iterable[PlanLink]) -> bytes:
    """The plan as an Excel workbook: the tasks sheet (with the computed start, finish and
    float as the last columns), the dependencies sheet. Importing it again changes nothing."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    tasks = workbook.active
    assert tasks is not None
    tasks.title = _("Tasks")[:31]
    keys = [column.key for column in TASK_COLUMNS.columns]
    tasks.append(export_row([str(column.label) for column in TASK_COLUMNS.columns]))
    for row in view.rows:
        values = [_value(row.task, key) for key in keys if key not in COMPUTED]
        tasks.append(export_row([*values, row.start, row.finish, row.total_float]))
    sheet = workbook.create_sheet(_("Dependencies")[:31])
    sheet.append(export_row([str(column.label) for column in LINK_COLUMNS.columns]))
    codes = {row.task.pk: row.task.code for row in view.rows}
    for link in links:
        if link.predecessor_id in codes and link.successor_id in codes:
            sheet.append(
                export_row(
                    [codes[link.predecessor_id], codes[link.successor_id], link.type, link.lag]
                )
            )
    for worksheet in (tasks, sheet):
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for cell in worksheet["A"]:
            cell.number_format = "@"  # codes like 1.10 stay text
    for row_cells in tasks.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, (date, datetime)):
                cell.number_format = "DD-MM-YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- MS Project XML (MSPDI) ---------------------------------------------------------------

MSPDI_NS = "http://schemas.microsoft.com/project"
#: MS Project's link types.
MSPDI_LINK_TYPES = {"FF": 0, "FS": 1, "SF": 2, "SS": 3}
#: Tenths of a minute in one 8-hour working day (MS Project's unit of a link lag).
LAG_PER_DAY = 8 * 60 * 10
TRACK_ORDER = (Track.OVERALL, Track.CARE, Track.FLEX_HOMES, Track.TEMPORARY_HOUSING)


def _start(day: date) -> str:
    return f"{day.isoformat()}T08:00:00"


def _finish(day: date) -> str:
    return f"{day.isoformat()}T17:00:00"


def _sub(parent: ET.Element, tag: str, text: object) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = str(text)
    return element


def mspdi(view: PlanView, links: Iterable[PlanLink]) -> bytes:
    """The plan as MS Project XML: one summary task per track with its tasks beneath, the
    dependencies with their lags, constraints, progress and the working-day calendar with
    the Dutch public holidays (or every day working, for a plan in calendar days)."""
    programme = view.programme
    rows = sorted(view.rows, key=lambda row: (TRACK_ORDER.index(Track(row.task.track.kind)), 0))
    project = ET.Element("Project", xmlns=MSPDI_NS)
    _sub(project, "SaveVersion", 12)
    _sub(project, "Name", f"{programme.name}.xml")
    _sub(project, "Title", programme.name)
    _sub(project, "ScheduleFromStart", 1)
    _sub(project, "StartDate", _start(view.start))
    _sub(project, "FinishDate", _finish(view.finish or view.start))
    _sub(project, "CalendarUID", 1)
    _sub(project, "DefaultStartTime", "08:00:00")
    _sub(project, "DefaultFinishTime", "17:00:00")
    _sub(project, "MinutesPerDay", 480)
    _sub(project, "MinutesPerWeek", 2400)
    _sub(project, "DaysPerMonth", 20)
    _calendar(ET.SubElement(project, "Calendars"), programme, view)
    tasks = ET.SubElement(project, "Tasks")
    uid = {row.task.pk: index for index, row in enumerate(rows, start=1 + len(TRACK_ORDER))}
    predecessors: dict[int, list[PlanLink]] = {}
    for link in links:
        if link.predecessor_id in uid and link.successor_id in uid:
            predecessors.setdefault(link.successor_id, []).append(link)
    position = 0
    for number, kind in enumerate(TRACK_ORDER, start=1):
        members = [row for row in rows if row.task.track.kind == kind]
        if not members:
            continue
        position += 1
        summary = ET.SubElement(tasks, "Task")
        _sub(summary, "UID", number)
        _sub(summary, "ID", position)
        _sub(summary, "Name", Track(kind).label)
        _sub(summary, "OutlineNumber", number)
        _sub(summary, "OutlineLevel", 1)
        _sub(summary, "Start", _start(min(row.start for row in members)))
        _sub(summary, "Finish", _finish(max(row.finish for row in members)))
        _sub(summary, "Summary", 1)
        for index, row in enumerate(members, start=1):
            position += 1
            _task(tasks, row, uid, predecessors, position, f"{number}.{index}")
    body: bytes = ET.tostring(project, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body


def _task(
    tasks: ET.Element,
    row: Any,
    uid: dict[int, int],
    predecessors: dict[int, list[PlanLink]],
    position: int,
    outline: str,
) -> None:
    task: PlanTask = row.task
    element = ET.SubElement(tasks, "Task")
    _sub(element, "UID", uid[task.pk])
    _sub(element, "ID", position)
    _sub(element, "Name", task.name)
    _sub(element, "Type", 1)  # fixed duration
    _sub(element, "WBS", task.code)
    _sub(element, "OutlineNumber", outline)
    _sub(element, "OutlineLevel", 2)
    _sub(element, "Start", _finish(row.start) if task.is_milestone else _start(row.start))
    _sub(element, "Finish", _finish(row.finish))
    _sub(element, "Duration", f"PT{task.duration * 8}H0M0S")
    _sub(element, "DurationFormat", 7)  # days
    _sub(element, "Milestone", int(task.is_milestone))
    _sub(element, "Summary", 0)
    _sub(element, "Critical", int(row.critical))
    _sub(element, "PercentComplete", task.percent_complete)
    if task.actual_start is not None:
        _sub(element, "ActualStart", _start(task.actual_start))
    if task.actual_finish is not None:
        _sub(element, "ActualFinish", _finish(task.actual_finish))
    if task.start_no_earlier_than is not None:
        _sub(element, "ConstraintType", 4)  # start no earlier than
        _sub(element, "ConstraintDate", _start(task.start_no_earlier_than))
    if task.finish_no_later_than is not None:
        _sub(element, "Deadline", _finish(task.finish_no_later_than))
    notes = "\n".join(
        part
        for part in (task.owner and _("Owner: %(owner)s") % {"owner": task.owner}, task.notes)
        if part
    )
    if notes:
        _sub(element, "Notes", notes)
    for link in predecessors.get(task.pk, []):
        item = ET.SubElement(element, "PredecessorLink")
        _sub(item, "PredecessorUID", uid[link.predecessor_id])
        _sub(item, "Type", MSPDI_LINK_TYPES[link.type])
        _sub(item, "LinkLag", link.lag * LAG_PER_DAY)
        _sub(item, "LagFormat", 7)


def _calendar(calendars: ET.Element, programme: Programme, view: PlanView) -> None:
    calendar = ET.SubElement(calendars, "Calendar")
    _sub(calendar, "UID", 1)
    _sub(calendar, "Name", _("Standard"))
    _sub(calendar, "IsBaseCalendar", 1)
    week = ET.SubElement(calendar, "WeekDays")
    every_day = programme.calendar == CalendarKind.CALENDAR_DAYS
    for day_type in range(1, 8):  # 1 = Sunday .. 7 = Saturday
        working = every_day or day_type not in (1, 7)
        day = ET.SubElement(week, "WeekDay")
        _sub(day, "DayType", day_type)
        _sub(day, "DayWorking", int(working))
        if working:
            times = ET.SubElement(day, "WorkingTimes")
            for begin, end in (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")):
                time = ET.SubElement(times, "WorkingTime")
                _sub(time, "FromTime", begin)
                _sub(time, "ToTime", end)
    if every_day:
        return
    last = view.finish or view.start
    holidays = adapters.calendar_for(programme).holidays
    for holiday in sorted(day for day in holidays if view.start <= day <= last):
        exception = ET.SubElement(week, "WeekDay")
        _sub(exception, "DayType", 0)
        _sub(exception, "DayWorking", 0)
        period = ET.SubElement(exception, "TimePeriod")
        _sub(period, "FromDate", f"{holiday.isoformat()}T00:00:00")
        _sub(period, "ToDate", f"{holiday.isoformat()}T23:59:00")


# --- iCalendar ------------------------------------------------------------------------------


def ical_text(value: str) -> str:
    """Text escaped for an iCalendar value (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def ical_fold(line: str) -> str:
    """A content line folded at 75 octets (continuation lines start with a space), never
    inside a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = ""
    limit = 75
    for character in line:
        if len((current + character).encode("utf-8")) > limit:
            parts.append(current)
            current = character
            limit = 74  # the leading space counts
        else:
            current += character
    parts.append(current)
    return "\r\n ".join(parts)


class CalendarEvent(Protocol):
    """An all-day event of another app (a communication moment) in the planning's calendar."""

    @property
    def key(self) -> str: ...
    @property
    def day(self) -> date: ...
    @property
    def summary(self) -> str: ...
    @property
    def description(self) -> str: ...


def milestone_days(view: PlanView) -> dict[int, date]:
    """Each milestone's date in ``view``: planned, or the actual date once reached."""
    return {
        row.task.pk: row.task.actual_finish or row.finish
        for row in view.rows
        if row.task.is_milestone
    }


def milestones_ical(
    view: PlanView, *, name: str, host: str, events: Sequence[CalendarEvent] = ()
) -> str:
    """The milestones (tasks of 0 days) of ``view`` as all-day events on their planned date
    (the actual date once reached), with the task's track and owner in the description; and
    ``events`` of other apps (the communication moments) as all-day events."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Onderdak//Programmaplanning//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ical_text(name)}",
    ]
    for row in view.rows:
        task = row.task
        if not task.is_milestone:
            continue
        day = task.actual_finish or row.finish
        description = [task.track.get_kind_display()]
        if task.owner:
            description.append(_("Owner: %(owner)s") % {"owner": task.owner})
        if row.critical:
            description.append(_("On the critical path."))
        if task.actual_finish is not None:
            description.append(_("Reached."))
        lines += [
            "BEGIN:VEVENT",
            f"UID:onderdak-{view.programme.pk}-{task.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{ical_text(f'{task.code} {task.name}')}",
            f"DESCRIPTION:{ical_text(' '.join(description))}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:onderdak-{view.programme.pk}-{event.key}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{ical_text(event.summary)}",
            f"DESCRIPTION:{ical_text(event.description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ical_fold(line) + "\r\n" for line in lines)
