"""Demo seed of the programme's decision log (``onderdak demo``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from . import selectors, services
from .models import Decision, DecisionBody, Track

DEMO_LABEL = "(demo, verzonnen)"


def demo_seed(*, actor: Any, organisations: dict[str, Any]) -> None:
    """The decision log: Diemen's real college decision of 4 April 2023 and made-up ones,
    labelled so (some shared with the Duo+ partners); and Diemen's programme plan
    (:func:`plan_seed`, after the sites and complexes it links to)."""
    plan_seed(actor=actor, organisation=organisations["diemen"])
    examples = [
        (
            organisations["diemen"],
            date(2023, 4, 4),
            DecisionBody.COLLEGE,
            Track.OVERALL,
            True,
            "Structurele inbedding opvang ontheemden, asielzoekers en statushouders",
            "Het college bedt de opvang structureel in als één programma met drie sporen: zorg en "
            "ondersteuning, flexwoningen voor ontheemden en structurele tijdelijke huisvesting. "
            "Bron: raadsinformatiebrief gemeente Diemen, collegebesluit 4 april 2023.",
        ),
        (
            organisations["diemen"],
            date(2023, 6, 20),
            DecisionBody.COLLEGE,
            Track.FLEX_HOMES,
            False,
            f"Beheer flexwoningen Bergwijkdreef naar externe beheerder {DEMO_LABEL}",
            "Verzonnen voorbeeld voor de demo.",
        ),
        (
            organisations["ouder-amstel"],
            date(2023, 9, 12),
            DecisionBody.COLLEGE,
            Track.CARE,
            True,
            f"Regionale inkoop taalaanbod inburgering via Duo+ {DEMO_LABEL}",
            "Verzonnen voorbeeld voor de demo; gedeeld met de Duo+-partners.",
        ),
        (
            organisations["uithoorn"],
            date(2023, 10, 3),
            DecisionBody.COUNCIL,
            Track.TEMPORARY_HOUSING,
            False,
            f"Longlist locaties tijdelijke huisvesting vastgesteld {DEMO_LABEL}",
            "Verzonnen voorbeeld voor de demo; niet gedeeld, dus alleen zichtbaar voor Uithoorn.",
        ),
    ]
    for organisation, decided_on, body, track, shared, title, summary in examples:
        Decision.objects.update_or_create(
            organisation=organisation,
            title=title,
            defaults={
                "decided_on": decided_on,
                "body": body,
                "track": track,
                "shared": shared,
                "summary": summary,
            },
        )


# --- the programme plan -----------------------------------------------------------------------

#: (code, track, name, duration, estimate (o, m, p) or None, owner, done, links to the record)
#: Durations in working days. Tasks up to mid-2024 are done (actual dates follow the plan);
#: the open tasks start relative to the day the demo is made, so the plan is current.
_PLAN: tuple[tuple[str, str, str, int, tuple[int, int, int] | None, str], ...] = (
    (
        "0.1",
        "overall",
        "Collegebesluit structurele inbedding (4 april 2023)",
        0,
        None,
        "Programmamanager",
    ),
    (
        "0.2",
        "overall",
        "Programmamanager en beleidsmedewerker aangesteld",
        25,
        (15, 25, 45),
        "Directie",
    ),
    ("0.3", "overall", "Planning per spoor opgesteld", 30, (20, 30, 45), "Programmamanager"),
    (
        "0.4",
        "overall",
        "Totaalplanning gereed (voor het zomerreces 2023)",
        0,
        None,
        "Programmamanager",
    ),
    (
        "1.1",
        "care",
        "Inventarisatie zorg en ondersteuning",
        20,
        (15, 20, 30),
        "Beleidsmedewerker zorg",
    ),
    (
        "1.2",
        "care",
        "Zorgcatalogus opgesteld met partners",
        30,
        (20, 30, 50),
        "Beleidsmedewerker zorg",
    ),
    ("1.3", "care", "Zorgcatalogus vastgesteld door het college", 0, None, "Wethouder zorg"),
    (
        "1.4",
        "care",
        "Structurele eigenaar per dienst belegd",
        40,
        (30, 40, 70),
        "Beleidsmedewerker zorg",
    ),
    ("2.1", "flex_homes", "Vergunning Diemerdreef en Maalderij", 60, (40, 60, 100), "Vergunningen"),
    (
        "2.2",
        "flex_homes",
        "Verplaatsing flexwoningen naar Diemerdreef",
        40,
        (30, 40, 60),
        "Projectleider flexwonen",
    ),
    (
        "2.3",
        "flex_homes",
        "Flexwoningen Diemerdreef in gebruik",
        0,
        None,
        "Projectleider flexwonen",
    ),
    (
        "2.4",
        "flex_homes",
        "Verplaatsing flexwoningen naar Maalderij",
        30,
        (25, 30, 50),
        "Projectleider flexwonen",
    ),
    ("2.5", "flex_homes", "Flexwoningen Maalderij in gebruik", 0, None, "Projectleider flexwonen"),
    (
        "3.1",
        "temporary_housing",
        "Locatieonderzoek tijdelijke huisvesting",
        60,
        (40, 60, 90),
        "Ruimtelijke ordening",
    ),
    (
        "3.2",
        "temporary_housing",
        "Van longlist naar shortlist",
        40,
        (30, 40, 70),
        "Ruimtelijke ordening",
    ),
    ("3.3", "temporary_housing", "Shortlist vastgesteld door de raad", 0, None, "Wethouder wonen"),
)
#: Open tasks, started relative to today: (code, track, name, duration, estimate, owner,
#: started this many working days ago (None: not started), percent complete, places, groups)
_OPEN: tuple[
    tuple[
        str, str, str, int, tuple[int, int, int] | None, str, int | None, int, int | None, list[str]
    ],
    ...,
] = (
    (
        "2.6",
        "flex_homes",
        "Verkoop flexwoningen aan een corporatie",
        80,
        (60, 80, 140),
        "Grondzaken",
        30,
        40,
        None,
        [],
    ),
    (
        "2.7",
        "flex_homes",
        "Koopovereenkomst corporatie getekend",
        0,
        None,
        "Wethouder wonen",
        None,
        0,
        None,
        [],
    ),
    (
        "3.4",
        "temporary_housing",
        "Omgevingsvergunning tijdelijke woningen locatie A",
        50,
        (35, 50, 90),
        "Vergunningen",
        10,
        20,
        None,
        [],
    ),
    (
        "3.5",
        "temporary_housing",
        "Bouw en plaatsing tijdelijke woningen locatie A",
        60,
        (45, 60, 110),
        "Projectleider tijdelijke huisvesting",
        None,
        0,
        None,
        [],
    ),
    (
        "3.6",
        "temporary_housing",
        "Tijdelijke woningen locatie A opgeleverd (36 plaatsen)",
        0,
        None,
        "Projectleider tijdelijke huisvesting",
        None,
        0,
        36,
        ["status_holder", "urgent"],
    ),
    (
        "3.7",
        "temporary_housing",
        "Uitbreiding Maalderij met 8 units (24 plaatsen)",
        45,
        (30, 45, 80),
        "Projectleider flexwonen",
        None,
        0,
        None,
        [],
    ),
    (
        "3.8",
        "temporary_housing",
        "Uitbreiding Maalderij opgeleverd",
        0,
        None,
        "Projectleider flexwonen",
        None,
        0,
        24,
        [],
    ),
    (
        "1.5",
        "care",
        "Contracten taal en begeleiding structureel ingekocht",
        60,
        (40, 60, 90),
        "Inkoop",
        20,
        50,
        None,
        [],
    ),
)
#: (predecessor, successor, type, lag): cross-track links marked with #
_LINKS: tuple[tuple[str, str, str, int], ...] = (
    ("0.1", "0.2", "FS", 0),
    ("0.1", "0.3", "FS", 5),
    ("0.3", "0.4", "FS", 0),
    ("0.1", "1.1", "FS", 0),
    ("1.1", "1.2", "FS", 0),
    ("1.2", "1.3", "FS", 0),
    ("1.3", "1.4", "FS", 0),
    ("1.3", "0.4", "FS", 0),  # cross-track: the care catalogue is part of the overall plan
    ("0.1", "2.1", "FS", 0),
    ("2.1", "2.2", "FS", 0),
    ("2.2", "2.3", "FS", 0),
    ("2.2", "2.4", "SS", 20),
    ("2.4", "2.5", "FS", 0),
    ("0.1", "3.1", "FS", 0),
    ("3.1", "3.2", "SS", 30),
    ("3.2", "3.3", "FS", 0),
    ("3.3", "0.4", "FF", -20),  # cross-track
    ("2.5", "2.6", "FS", 0),
    ("2.6", "2.7", "FS", 0),
    ("3.3", "3.4", "FS", 0),
    ("3.4", "3.5", "FS", 0),
    ("3.5", "3.6", "FS", 0),
    ("2.5", "3.7", "FS", 0),  # cross-track: the extension waits for the Maalderij in use
    ("3.7", "3.8", "FS", 0),
    ("1.4", "1.5", "SS", 0),
    ("1.5", "3.6", "SF", 0),  # cross-track: support contracted before the homes are delivered
)

_TRACKS = {
    "overall": (
        "Opvang en huisvesting structureel ingebed als één programma, voorbereid op een "
        "aanwijzing van het Rijk.",
        "Projectwethouder (demo)",
        "Programmamanager (demo)",
        "on_track",
    ),
    "care": (
        "Elke benodigde dienst voor ontheemden, asielzoekers en statushouders heeft een "
        "structurele eigenaar en budget.",
        "Wethouder zorg (demo)",
        "Beleidsmedewerker zorg (demo)",
        "on_track",
    ),
    "flex_homes": (
        "De flexwoningen van de Bergwijkdreef verplaatst naar Diemerdreef en Maalderij, daarna "
        "verkocht aan een corporatie.",
        "Wethouder wonen (demo)",
        "Projectleider flexwonen (demo)",
        "at_risk",
    ),
    "temporary_housing": (
        "Structurele tijdelijke huisvesting voor statushouders en andere woningzoekenden.",
        "Wethouder ruimtelijke ordening (demo)",
        "Projectleider tijdelijke huisvesting (demo)",
        "on_track",
    ),
}


def plan_seed(*, actor: Any, organisation: Any) -> int:
    """Diemen's programme as in the letter: the three tracks and the overall track, made-up
    tasks (labelled) from the college decision of 4 April 2023 to the summer recess 2023 and
    beyond, cross-track links, a baseline as adopted, a risk run and a readiness check for a
    directive of 50 extra places. Returns the number of tasks made (0 when it exists)."""
    from onderdak.apps.housing.selectors import complex_list
    from onderdak.apps.sites.selectors import site_list

    from . import adapters, services
    from .models import PlanTask, Programme

    if Programme.objects.filter(organisation=organisation).exists():
        return 0
    today = timezone.localdate()
    programme = services.programme_create(
        actor=actor,
        organisation=organisation,
        name="Programma opvang en huisvesting",
        start_date=date(2023, 4, 4),
        target_date=today + timedelta(days=150),
        target_label=f"Programma structureel ingebed {DEMO_LABEL}",
        project_alderman="Projectwethouder (demo)",
        shared=False,
    )
    tracks = {track.kind: track for track in programme.tracks.all()}
    for kind, (goal, alderman, lead, status) in _TRACKS.items():
        services.track_update(
            actor=actor, track=tracks[kind], goal=goal, alderman=alderman, lead=lead, status=status
        )
    complexes = {c.name: c for c in complex_list(user=actor).filter(organisation=organisation)}
    sites = list(site_list(user=actor).filter(organisation=organisation).order_by("pk")[:1])
    tasks: dict[str, PlanTask] = {}
    for code, kind, name, duration, estimate, owner in _PLAN:
        record: dict[str, Any] = {}
        if code == "2.3" and "Diemerdreef" in complexes:
            record = {"complex": complexes["Diemerdreef"]}
        if code in ("2.5",) and "Maalderij" in complexes:
            record = {"complex": complexes["Maalderij"]}
        if code == "3.3" and sites:
            record = {"site": sites[0]}
        tasks[code] = services.task_create(
            actor=actor,
            programme=programme,
            track=tracks[kind],
            code=code,
            name=f"{name} {DEMO_LABEL}",
            duration=duration,
            optimistic=estimate[0] if estimate else None,
            most_likely=estimate[1] if estimate else None,
            pessimistic=estimate[2] if estimate else None,
            owner=owner,
            **record,
        )
    calendar = adapters.calendar_for(programme)
    for code, kind, name, duration, estimate, owner, started, percent, places, groups in _OPEN:
        record = {}
        if code == "3.8" and "Maalderij" in complexes:
            record = {"complex": complexes["Maalderij"]}
        if code == "3.6" and sites:
            record = {"site": sites[0]}
        start = calendar.add_workdays(today, -started) if started is not None else None
        tasks[code] = services.task_create(
            actor=actor,
            programme=programme,
            track=tracks[kind],
            code=code,
            name=f"{name} {DEMO_LABEL}",
            duration=duration,
            optimistic=estimate[0] if estimate else None,
            most_likely=estimate[1] if estimate else None,
            pessimistic=estimate[2] if estimate else None,
            owner=owner,
            actual_start=start,
            percent_complete=percent,
            start_no_earlier_than=None if start else calendar.next_workday(today),
            units=places,
            target_groups=groups,
            **record,
        )
    for predecessor, successor, kind, lag in _LINKS:
        services.link_create(
            actor=actor,
            programme=programme,
            predecessor=tasks[predecessor],
            successor=tasks[successor],
            type=kind,
            lag=lag,
        )
    # the letter's target: the overall planning ready before the summer recess 2023
    services.task_update(actor=actor, task=tasks["0.4"], finish_no_later_than=date(2023, 7, 14))
    # the done part: actual dates as scheduled, with a little slip on the flex homes
    view = selectors.plan_view(programme=programme, today=today)
    for row in view.rows:
        if row.task.code in {code for code, *_ in _PLAN}:
            slip = 10 if row.task.code.startswith("2.") else 0
            services.task_update(
                actor=actor,
                task=row.task,
                actual_start=row.start + timedelta(days=slip) if row.task.duration else None,
                actual_finish=row.finish + timedelta(days=slip),
                percent_complete=100,
            )
    services.baseline_save(
        actor=actor,
        programme=programme,
        name=f"Herijkte planning {DEMO_LABEL}",
        adopted_on=today - timedelta(days=30),
        today=today,
    )
    # news after the baseline: the builder needs three more weeks for location A
    services.task_update(
        actor=actor,
        task=tasks["3.5"],
        duration=75,
        optimistic=55,
        most_likely=75,
        pessimistic=120,
        notes=f"Bouwer meldt drie weken vertraging door levering units {DEMO_LABEL}",
    )
    _seed_analyses(actor=actor, programme=programme, today=today)
    return len(tasks)


def _seed_analyses(*, actor: Any, programme: Any, today: date) -> None:
    """A risk run and the readiness check for a directive of 50 extra places."""
    services.risk_run_create(
        actor=actor,
        programme=programme,
        runs=10000,
        seed=2023,
        distribution="triangular",
        target_date=programme.target_date,
        today=today,
    )
    services.readiness_check_create(
        actor=actor,
        programme=programme,
        places=50,
        target_group="status_holder",
        by_date=date(today.year + 1, 7, 1),
        runs=10000,
        seed=2023,
        title=f"Aanwijzing 50 extra plaatsen statushouders {DEMO_LABEL}",
        today=today,
    )
