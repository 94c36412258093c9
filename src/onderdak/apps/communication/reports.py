"""The communication and participation plan of one track as a Word document for the college:
goals, key messages, the participation level per stakeholder, the moments on their current
dates (and how far they moved with their milestone) and what was heard at them with what is
done with it ("you said, we did").

Built from what the plan page read through the selectors; only the moments' own related
records (site, complex, milestone, decision, audience, log entries and follow-ups) are read
here. Every text goes through ``common.exports.word_text`` (no characters that break the
file; numbers and dates the Dutch way)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from onderdak.common.exports import word_text

from .models import CommunicationPlan, LogEntry, Moment, ParticipationLevel, PlanAudience
from .selectors import MomentDate

__all__ = ["plan_docx"]

#: The rungs of the participation ladder in their order, from inform up to decide.
LADDER = {level: rung for rung, level in enumerate(ParticipationLevel.values)}

TABLE_STYLE = "Light Grid Accent 1"


def _paragraph(document: Any, text: Any, style: str | None = None) -> Any:
    return document.add_paragraph(word_text(text), style=style)


def _heading(document: Any, text: Any, level: int) -> None:
    document.add_heading(word_text(text), level=level)


def _lines(document: Any, text: str) -> None:
    """Each non-empty line of ``text`` as its own paragraph; none: the placeholder."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    if not lines:
        _paragraph(document, _("Not filled in yet."))
    for line in lines:
        _paragraph(document, line)


def _table(document: Any, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = TABLE_STYLE
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = word_text(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = word_text(text)


def _labelled(document: Any, fields: Sequence[tuple[Any, Any]]) -> None:
    """One paragraph of ``label: text`` pairs (labels bold), separated by a middle dot."""
    paragraph = document.add_paragraph()
    for number, (label, text) in enumerate(fields):
        if number:
            paragraph.add_run(" · ")
        paragraph.add_run(word_text(f"{label}: ")).bold = True
        paragraph.add_run(word_text(text))


def _day(when: MomentDate) -> str:
    """The moment's date, with by how many days it moved with its milestone if it did."""
    day = word_text(when.day)
    if not when.moved:
        return day
    return f"{day} ({when.moved_text})"


def _belongs_to(moment: Moment) -> str:
    """The site, complex, milestone and decision the moment is about (whichever are set)."""
    names = [
        moment.site.name if moment.site is not None else "",
        moment.complex.name if moment.complex is not None else "",
        moment.milestone.name if moment.milestone is not None else "",
        moment.decision.title if moment.decision is not None else "",
    ]
    return ", ".join(name for name in names if name)


def plan_docx(
    *,
    plan: CommunicationPlan,
    audiences: list[PlanAudience],
    moments: list[tuple[Moment, MomentDate]],
    today: date,
) -> bytes:
    """The plan as a .docx file: ``audiences`` from ``selectors.plan_audiences`` and
    ``moments`` with their dates from ``selectors.moment_dates``, as the plan page has them."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    style: Any = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    _heading(
        document,
        _("Communication and participation plan: %(track)s") % {"track": plan.get_track_display()},
        0,
    )
    facts = [plan.organisation.name, word_text(today)]
    facts.append(_("Status: %(status)s") % {"status": plan.get_status_display()})
    if plan.owner:
        facts.append(_("Owner: %(owner)s") % {"owner": plan.owner})
    _paragraph(document, " · ".join(facts))
    _heading(document, _("Goals"), 1)
    _lines(document, plan.goals)
    _heading(document, _("Key messages"), 1)
    _lines(document, plan.key_messages)
    _participation(document, audiences)
    ordered = sorted(moments, key=lambda item: (item[1].day, item[0].date, item[0].pk))
    _moments(document, ordered)
    _heard(document, ordered)
    _paragraph(document, _("Made with Onderdak on %(date)s.") % {"date": word_text(today)})
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _participation(document: Any, audiences: list[PlanAudience]) -> None:
    _heading(document, _("Participation per stakeholder"), 1)
    if not audiences:
        _paragraph(document, _("No participation levels have been set."))
        return
    ordered = sorted(
        audiences,
        key=lambda a: (LADDER.get(a.level, len(LADDER)), a.stakeholder.name.casefold(), a.pk),
    )
    _table(
        document,
        (_("Stakeholder"), _("Kind"), _("Participation level"), _("Approach")),
        (
            (
                a.stakeholder.name,
                a.stakeholder.get_kind_display(),
                a.get_level_display(),
                a.stakeholder.quadrant_label,
            )
            for a in ordered
        ),
    )


def _moments(document: Any, moments: list[tuple[Moment, MomentDate]]) -> None:
    _heading(document, _("Moments"), 1)
    if not moments:
        _paragraph(document, _("No moments have been planned yet."))
        return
    _table(
        document,
        (
            _("Date"),
            _("Moment"),
            _("Kind"),
            _("Status"),
            _("Audience"),
            _("Belongs to"),
            _("Owner"),
        ),
        (
            (
                _day(when),
                moment.title,
                moment.get_kind_display(),
                moment.get_status_display(),
                ", ".join(s.name for s in moment.audience.all()),
                _belongs_to(moment),
                moment.owner,
            )
            for moment, when in moments
        ),
    )


def _heard(document: Any, moments: list[tuple[Moment, MomentDate]]) -> None:
    """Per moment with a participation log: what was heard, what is done with it and the
    follow-up actions."""
    _heading(document, _("What we heard and what we did"), 1)
    logged = [(m, when, list(m.log_entries.all())) for m, when in moments]
    logged = [item for item in logged if item[2]]
    if not logged:
        _paragraph(document, _("Nothing logged yet."))
        return
    for moment, when, entries in logged:
        _heading(document, f"{moment.title} · {word_text(when.day)}", 2)
        for entry in entries:
            _entry(document, entry)


def _entry(document: Any, entry: LogEntry) -> None:
    _labelled(document, [(_("You said"), entry.summary)])
    facts: list[tuple[Any, Any]] = []
    if entry.participants is not None:
        facts.append((_("Participants"), entry.participants))
    if entry.themes:
        facts.append((_("Themes"), entry.themes))
    facts.append((_("Sentiment"), entry.get_sentiment_display()))
    _labelled(document, facts)
    _labelled(document, [(_("We did"), entry.response or _("Not filled in yet."))])
    follow_ups = list(entry.follow_ups.all())
    if follow_ups:
        _paragraph(document, _("Follow-up actions"))
        _table(
            document,
            (_("Action"), _("Owner"), _("Due"), _("Done")),
            ((f.action, f.owner, f.due, f.done) for f in follow_ups),
        )
