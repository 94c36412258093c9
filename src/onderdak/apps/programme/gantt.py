"""The Gantt chart of a plan as server-side SVG: bars (milestones as diamonds), dependency
arrows, the critical path, baseline bars, progress, today and the target date.

Readable when printed: critical tasks are drawn with a thick dark outline and a hatch, not by
colour alone; every bar has a ``<title>`` with its dates and float for screen readers and
tooltips. Pure string building from a :class:`~onderdak.apps.programme.selectors.PlanView`;
no JavaScript.
"""

from __future__ import annotations

from datetime import date, timedelta
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import CalendarKind, PlanLink
from .selectors import PlanRow, PlanView

ROW = 26
LABEL = 300
HEAD = 40
DAY = 3.0  # pixels per calendar day
MARGIN = 16


def _x(day: date, origin: date) -> float:
    return LABEL + (day - origin).days * DAY


def _title(row: PlanRow) -> str:
    if row.task.is_milestone:
        when = date_format(row.finish, "j F Y")
    else:
        when = f"{date_format(row.start, 'j F Y')} \u2013 {date_format(row.finish, 'j F Y')}"
    parts = [f"{row.task.code} {row.task.name}", when]
    if row.task.programme.calendar == CalendarKind.WORKING_DAYS:
        slack = _("total float %(days)s working days")
    else:
        slack = _("total float %(days)s days")
    parts.append(slack % {"days": row.total_float})
    if row.critical:
        parts.append(_("critical"))
    if row.slip:
        parts.append(_("%(days)s days later than the baseline") % {"days": row.slip})
    return escape(". ".join(parts))


def window_start(view: PlanView) -> date | None:
    """Where the chart starts by default: a month before the earliest unfinished task or
    today, whichever is earlier (None: everything is shown, nothing finished long ago)."""
    open_starts = [r.start for r in view.rows if r.task.actual_finish is None]
    since = min([*open_starts, view.today]) - timedelta(days=31)
    if all(r.finish >= since for r in view.rows):
        return None
    return since


def shown_rows(view: PlanView, since: date | None) -> list[PlanRow]:
    """The rows on the chart: those that finish on or after ``since`` (all when None)."""
    return [r for r in view.rows if since is None or r.finish >= since]


def gantt_svg(view: PlanView, *, title: str, since: date | None = None) -> str:
    """The chart of ``view`` (its rows in plan order, grouped by track in the overall plan),
    from ``since`` on when given (tasks that finished before it are left out, bars that
    started before it are cut at its edge)."""
    rows = shown_rows(view, since)
    if view.track is None:
        rows.sort(
            key=lambda r: (r.task.track.kind != "overall", r.task.track.kind, r.task.position)
        )
    if not rows:
        return ""
    days = [r.start for r in rows] + [r.finish for r in rows] + [view.today]
    days += [r.baseline_start for r in rows if r.baseline_start]
    days += [r.baseline_finish for r in rows if r.baseline_finish]
    if view.target_date:
        days.append(view.target_date)
    origin = (since or min(days)).replace(day=1)
    if since is not None:
        rows = [_clip(r, origin) for r in rows]
    end = max(days) + timedelta(days=31)
    width = _x(end, origin) + MARGIN
    height = HEAD + ROW * len(rows) + MARGIN
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="od-gantt" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {width:.0f} {height}" width="{width:.0f}" '
        f'height="{height}" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        '<defs><pattern id="od-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#000" '
        'stroke-width="1.5"/></pattern>'
        '<marker id="od-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#333"/></marker>'
        '<marker id="od-arrow-critical" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#a00"/></marker></defs>',
    ]
    out.extend(_axis(origin, end, height))
    positions = _bars(view, rows, origin, width, out)
    out.extend(_links(view, rows, positions))
    out.extend(_lines(view, origin, height))
    out.append("</svg>")
    return "".join(out)


def _clip(row: PlanRow, origin: date) -> PlanRow:
    from dataclasses import replace

    return replace(
        row,
        start=max(row.start, origin),
        baseline_start=max(row.baseline_start, origin) if row.baseline_start else None,
        baseline_finish=row.baseline_finish
        if row.baseline_finish is None or row.baseline_finish >= origin
        else None,
    )


def _axis(origin: date, end: date, height: int) -> list[str]:
    out = []
    month = origin
    while month < end:
        x = _x(month, origin)
        out.append(
            f'<line x1="{x:.1f}" y1="{HEAD - 14}" x2="{x:.1f}" y2="{height - MARGIN}" '
            'stroke="#ddd" stroke-width="1"/>'
        )
        label = (
            date_format(month, "M Y")
            if month.month == 1 or month == origin
            else date_format(month, "M")
        )
        out.append(f'<text x="{x + 2:.1f}" y="{HEAD - 18}" fill="#333">{escape(label)}</text>')
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


def _bars(
    view: PlanView, rows: list[PlanRow], origin: date, width: float, out: list[str]
) -> dict[int, tuple[float, float, float]]:
    positions: dict[int, tuple[float, float, float]] = {}  # task pk -> (x start, x end, y mid)
    track = None
    for index, row in enumerate(rows):
        y = HEAD + index * ROW
        mid = y + ROW / 2
        if view.track is None and row.task.track_id != track:
            track = row.task.track_id
            out.append(
                f'<line x1="0" y1="{y}" x2="{width:.0f}" y2="{y}" stroke="#999" stroke-width="1"/>'
            )
        label = f"{row.task.code} {row.task.name}"
        if len(label) > 48:
            label = label[:47] + "…"
        weight = ' font-weight="bold"' if row.critical else ""
        out.append(f'<text x="4" y="{mid + 4:.1f}" fill="#000"{weight}>{escape(label)}</text>')
        x0, x1 = _x(row.start, origin), _x(row.finish + timedelta(days=1), origin)
        if row.baseline_start and row.baseline_finish:
            b0 = _x(row.baseline_start, origin)
            b1 = _x(row.baseline_finish + timedelta(days=1), origin)
            out.append(
                f'<rect class="od-gantt-baseline" x="{b0:.1f}" y="{y + ROW - 7}" '
                f'width="{max(b1 - b0, 2):.1f}" height="3" fill="#888"/>'
            )
        css = "od-gantt-task od-gantt-critical" if row.critical else "od-gantt-task"
        if row.task.is_milestone:
            cx = _x(row.finish + timedelta(days=1), origin)
            size = 7
            out.append(
                f'<path class="{css}" d="M{cx:.1f},{mid - size:.1f} L{cx + size:.1f},{mid:.1f} '
                f'L{cx:.1f},{mid + size:.1f} L{cx - size:.1f},{mid:.1f} z" '
                f'fill="{"#a00" if row.critical else "#246"}" stroke="#000" '
                f'stroke-width="{2 if row.critical else 1}"><title>{_title(row)}</title></path>'
            )
            positions[row.task.pk] = (cx, cx, mid)
            continue
        bar = max(x1 - x0, 2)
        out.append(
            f'<g class="{css}"><title>{_title(row)}</title>'
            f'<rect x="{x0:.1f}" y="{y + 5}" width="{bar:.1f}" height="{ROW - 14}" '
            f'fill="{"#f2c4c4" if row.critical else "#c9d8ea"}" '
            f'stroke="{"#a00" if row.critical else "#246"}" '
            f'stroke-width="{2.5 if row.critical else 1}"/>'
        )
        if row.critical:
            out.append(
                f'<rect x="{x0:.1f}" y="{y + 5}" width="{bar:.1f}" height="{ROW - 14}" '
                'fill="url(#od-hatch)" opacity="0.25"/>'
            )
        if row.task.percent_complete:
            done = bar * row.task.percent_complete / 100
            out.append(
                f'<rect class="od-gantt-progress" x="{x0:.1f}" y="{y + 9}" width="{done:.1f}" '
                f'height="{ROW - 22}" fill="#333"/>'
            )
        out.append("</g>")
        positions[row.task.pk] = (x0, x0 + bar, mid)
    return positions


def _link_text(link: PlanLink) -> str:
    text = str(link.get_type_display())
    if link.lag:
        text += ", " + _("lag %(days)s") % {"days": link.lag}
    return text


def _links(
    view: PlanView, rows: list[PlanRow], positions: dict[int, tuple[float, float, float]]
) -> list[str]:
    out = []
    # dependency arrows: from the predecessor's start or finish to the successor's start or finish
    critical = {row.task.pk for row in rows if row.critical}
    codes = {row.task.pk: row.task.code for row in rows}
    for link in view.links:
        if link.predecessor_id not in positions or link.successor_id not in positions:
            continue
        p0, p1, py = positions[link.predecessor_id]
        s0, s1, sy = positions[link.successor_id]
        fx = p1 if link.type in ("FS", "FF") else p0
        tx = s0 if link.type in ("FS", "SS") else s1
        both = link.predecessor_id in critical and link.successor_id in critical
        colour, marker = ("#a00", "od-arrow-critical") if both else ("#333", "od-arrow")
        step = fx + 6 if link.type in ("FS", "FF") else fx - 6
        enter = tx - 6 if link.type in ("FS", "SS") else tx + 6
        path = (
            f"M{fx:.1f},{py:.1f} H{step:.1f} V{(py + sy) / 2:.1f} H{enter:.1f} V{sy:.1f} H{tx:.1f}"
        )
        out.append(
            f'<path class="od-gantt-link{" od-gantt-link-critical" if both else ""}" d="{path}" '
            f'fill="none" stroke="{colour}" stroke-width="{1.8 if both else 1}" '
            f'marker-end="url(#{marker})"><title>{escape(codes[link.predecessor_id])} → '
            f"{escape(codes[link.successor_id])}: {escape(_link_text(link))}</title></path>"
        )
    return out


def _lines(view: PlanView, origin: date, height: int) -> list[str]:
    out = []
    # today and the target date
    tx = _x(view.today, origin)
    today, target = escape(_("today")), escape(_("target date"))
    out.append(
        f'<line class="od-gantt-today" x1="{tx:.1f}" y1="{HEAD - 12}" x2="{tx:.1f}" '
        f'y2="{height - MARGIN}" stroke="#06c" stroke-width="1.5" stroke-dasharray="4 3"/>'
        f'<text x="{tx + 3:.1f}" y="{HEAD - 4}" fill="#06c">{today}</text>'
    )
    if view.target_date:
        gx = _x(view.target_date + timedelta(days=1), origin)
        out.append(
            f'<line class="od-gantt-target" x1="{gx:.1f}" y1="{HEAD - 12}" x2="{gx:.1f}" '
            f'y2="{height - MARGIN}" stroke="#a00" stroke-width="2"/>'
            f'<text x="{gx + 3:.1f}" y="{HEAD - 4}" fill="#a00">{target}</text>'
        )
    return out
