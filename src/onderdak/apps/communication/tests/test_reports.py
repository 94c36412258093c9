"""The Word export of a communication and participation plan: its sections in order, the
stakeholders on the participation ladder, the moments by date (one moved with its milestone),
what was heard with its follow-up, hostile text kept as plain text, and the empty plan."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import override

import pytest
from docx import Document

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.communication import selectors, services
from onderdak.apps.communication.reports import plan_docx
from onderdak.apps.communication.selectors import MomentDate
from onderdak.apps.programme.models import PlanTask, Programme
from onderdak.apps.sites.models import Site

pytestmark = pytest.mark.django_db

POINT = {"type": "Point", "coordinates": [4.96, 52.34]}
HOSTILE = '=HYPERLINK("https://example.org")\x0b\x0c<script>x</script> School'


def _texts(document: Any) -> list[str]:
    return [p.text for p in document.paragraphs]


def _rows(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _headings(document: Any) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def test_the_plan_for_the_college_has_every_section_in_order(
    users: dict[str, User], organisations: dict[str, Organisation], programme: Programme
) -> None:
    editor, diemen = users["diemen-editor"], organisations["diemen"]
    today = timezone.localdate()
    plan = services.plan_save(
        actor=editor,
        organisation=diemen,
        track="temporary_housing",
        goals="Iedereen weet wat er komt\n\nOmwonenden denken mee",
        key_messages="",
        owner="Team communicatie",
        status="adopted",
    )
    council = services.stakeholder_create(
        actor=editor,
        organisation=diemen,
        name="Wijkraad Noord",
        kind="neighbourhood_council",
        influence=4,
        interest=5,
    )
    school = services.stakeholder_create(
        actor=editor, organisation=diemen, name=HOSTILE, kind="school", influence=1, interest=4
    )
    services.plan_audiences_set(
        actor=editor, plan=plan, levels={council: "decide", school: "consult"}
    )
    site = Site.objects.create(
        organisation=diemen, name="Sportpark", geometry=POINT, stage="shortlist"
    )
    milestone = PlanTask.objects.get(programme=programme, code="3.2")
    evening = services.moment_create(
        actor=editor,
        organisation=diemen,
        title="Informatieavond",
        kind="information_evening",
        milestone=milestone,
        days_from_milestone=7,
        owner="Communicatie",
        audience=[council, school],
    )
    letter = services.moment_create(
        actor=editor,
        organisation=diemen,
        title="Brief aan omwonenden",
        kind="residents_letter",
        date=today,
        status="done",
        site=site,
        audience=[school],
    )
    services.log_entry_create(
        actor=editor,
        moment=letter,
        summary="Zorgen over verkeer\n=SUM(A1:A2)",
        participants=40,
        themes="verkeer",
        sentiment="concerned",
        response="Verkeersonderzoek",
        follow_ups=[
            {"action": "Verkeerstelling", "owner": "Mobiliteit", "due": today + timedelta(days=7)}
        ],
    )
    audiences = list(selectors.plan_audiences(plan=plan))
    assert len(audiences) == 2
    # a name with NUL, which no database keeps, as the report could still be handed it
    hostile = next(a for a in audiences if a.stakeholder_id == school.pk)
    hostile.stakeholder.name = "\x00" + hostile.stakeholder.name
    moments = list(
        selectors.moment_list(user=editor).prefetch_related("audience", "log_entries__follow_ups")
    )
    found = {m.pk: m for m in moments}
    moved = MomentDate(evening.date + timedelta(days=3), 3)
    given = [(found[evening.pk], moved), (found[letter.pk], MomentDate(letter.date, 0))]

    with override("en"):
        data = plan_docx(plan=plan, audiences=audiences, moments=given, today=today)
    document = Document(io.BytesIO(data))

    assert _headings(document) == [
        "Communication and participation plan: Track 3: structural temporary housing need",
        "Goals",
        "Key messages",
        "Participation per stakeholder",
        "Moments",
        "What we heard and what we did",
        f"Brief aan omwonenden · {today:%d-%m-%Y}",
    ]
    texts = _texts(document)
    assert f"{diemen.name} · {today:%d-%m-%Y} · Status: Adopted · Owner: Team communicatie" in texts
    goals = texts.index("Goals")
    assert texts[goals + 1 : goals + 4] == [
        "Iedereen weet wat er komt",
        "Omwonenden denken mee",
        "Key messages",
    ]
    assert texts[texts.index("Key messages") + 1] == "Not filled in yet."
    assert "You said: Zorgen over verkeer\n=SUM(A1:A2)" in texts
    assert "Participants: 40 · Themes: verkeer · Sentiment: Concerned" in texts
    assert "We did: Verkeersonderzoek" in texts
    assert texts[-1] == f"Made with Onderdak on {today:%d-%m-%Y}."

    levels, planned, follow_up = document.tables
    clean = '=HYPERLINK("https://example.org")<script>x</script> School'
    assert _rows(levels) == [
        ["Stakeholder", "Kind", "Participation level", "Approach"],
        [clean, "School", "Consult", "Keep informed"],  # consult comes before decide
        ["Wijkraad Noord", "Neighbourhood council", "Decide", "Manage closely"],
    ]
    rows = _rows(planned)
    assert rows[0] == ["Date", "Moment", "Kind", "Status", "Audience", "Belongs to", "Owner"]
    assert rows[1] == [
        today.strftime("%d-%m-%Y"),
        "Brief aan omwonenden",
        "Letter to residents",
        "Done",
        clean,
        "Sportpark",
        "",
    ]
    assert rows[2] == [
        f"{moved.day:%d-%m-%Y} (moved 3 days later with its milestone)",
        "Informatieavond",
        "Information evening",
        "Planned",
        f"{clean}, Wijkraad Noord",
        "Shortlist",
        "Communicatie",
    ]
    assert _rows(follow_up) == [
        ["Action", "Owner", "Due", "Done"],
        ["Verkeerstelling", "Mobiliteit", f"{today + timedelta(days=7):%d-%m-%Y}", "no"],
    ]
    everything = "".join(texts) + "".join(c for t in document.tables for r in _rows(t) for c in r)
    assert not any(character in everything for character in "\x00\x0b\x0c")


def test_an_empty_plan_says_what_is_missing(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    plan = services.plan_save(
        actor=users["diemen-editor"], organisation=organisations["diemen"], track="overall"
    )
    today = timezone.localdate()
    with override("en"):
        data = plan_docx(plan=plan, audiences=[], moments=[], today=today)
    document = Document(io.BytesIO(data))
    texts = _texts(document)
    assert texts[0] == "Communication and participation plan: Overall programme"
    assert texts[1] == f"{organisations['diemen'].name} · {today:%d-%m-%Y} · Status: Draft"
    assert texts.count("Not filled in yet.") == 2  # goals and key messages
    assert "No participation levels have been set." in texts
    assert "No moments have been planned yet." in texts
    assert texts[texts.index("What we heard and what we did") + 1] == "Nothing logged yet."
    assert document.tables == []


def test_a_moment_moved_one_day_earlier_is_said_in_the_singular(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    editor, diemen = users["diemen-editor"], organisations["diemen"]
    plan = services.plan_save(actor=editor, organisation=diemen, track="care")
    today = timezone.localdate()
    moment = services.moment_create(
        actor=editor, organisation=diemen, title="Persbericht", kind="press_release", date=today
    )
    with override("en"):
        data = plan_docx(
            plan=plan,
            audiences=[],
            moments=[(moment, MomentDate(today - timedelta(days=1), -1))],
            today=today,
        )
    (table,) = Document(io.BytesIO(data)).tables
    day = today - timedelta(days=1)
    assert _rows(table)[1][0] == f"{day:%d-%m-%Y} (moved 1 day earlier with its milestone)"
