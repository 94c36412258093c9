"""Demo data (made up and labelled so): Diemen's communication plans per track and the
overarching one, stakeholders around the demo sites and complexes, and moments tied to a
site, a complex, a milestone and the college decision; two demo sites are put on the
shortlist, one of them without a moment for its neighbours (the overview flags it)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from . import selectors, services
from .models import MomentStatus, Track

DEMO_LABEL = "(demo, verzonnen)"

_PLANS = {
    Track.OVERALL: (
        "Inwoners, raad en partners weten dat opvang een structurele taak is, wat er per spoor "
        "gebeurt en waar zij kunnen meepraten.",
        "Diemen vangt structureel op, samen met de regio. Wie in de buurt woont, hoort het van "
        "ons eerst.",
        "Communicatieadviseur programma",
    ),
    Track.CARE: (
        "Partners in zorg en ondersteuning kennen de dienstencatalogus en hun rol.",
        "Elke dienst heeft een eigenaar en een budget.",
        "Communicatieadviseur sociaal domein",
    ),
    Track.FLEX_HOMES: (
        "Omwonenden van de Diemerdreef en de Maalderij zijn op tijd geïnformeerd en hebben "
        "kunnen meepraten over beheer en inrichting.",
        "De flexwoningen verhuizen; beheer en aanspreekpunt blijven dichtbij.",
        "Projectleider flexwonen",
    ),
    Track.TEMPORARY_HOUSING: (
        "Omwonenden van locaties op de shortlist horen het voordat de raad besluit.",
        "Geen locatie zonder gesprek met de buurt.",
        "Communicatieadviseur ruimte",
    ),
}

_STAKEHOLDERS: tuple[tuple[str, str, int, int, str, list[str]], ...] = (
    ("Wijkraad Diemen-Noord", "neighbourhood_council", 4, 5, "voorzitter", ["temporary_housing"]),
    ("Omwonenden Diemerdreef", "residents", 2, 5, "bewonerscommissie", ["flex_homes"]),
    ("Basisschool De Linde", "school", 2, 4, "directeur", ["care"]),
    ("Woningcorporatie", "housing_corporation", 5, 3, "wijkconsulent", ["temporary_housing"]),
    ("COA", "coa", 4, 3, "locatiemanager", ["care", "flex_homes"]),
    ("Veiligheidsregio", "safety_region", 3, 2, "adviseur crisisbeheersing", []),
    ("Gemeenteraad", "council", 5, 4, "griffie", ["overall"]),
    ("Lokale pers", "press", 3, 3, "redactie", ["overall"]),
    (
        "Bewoners flexwoningen Maalderij",
        "flex_residents",
        1,
        5,
        "bewonerscommissie",
        ["flex_homes"],
    ),
)


_AREAS = (
    ("Noordwest", "Noord", "Noordoost"),
    ("West", "Midden", "Oost"),
    ("Zuidwest", "Zuid", "Zuidoost"),
)


def neighbourhoods_geojson(boundary: Any) -> bytes:
    """A made-up division of the municipality into nine demo neighbourhoods: its real
    boundary cut by a 3 x 3 grid (not the CBS buurten, which the demo does not ship)."""
    import json

    from shapely.geometry import box, mapping, shape

    area = shape(boundary)
    west, south, east, north = area.bounds
    width, height = (east - west) / 3, (north - south) / 3
    features = []
    for row, names in enumerate(_AREAS):
        for column, name in enumerate(names):
            cell = box(
                west + column * width,
                north - (row + 1) * height,
                west + (column + 1) * width,
                north - row * height,
            )
            part = area.intersection(cell)
            if part.is_empty or part.geom_type not in ("Polygon", "MultiPolygon"):
                continue
            features.append(
                {
                    "type": "Feature",
                    "properties": {"buurtnaam": f"Demobuurt {name} {DEMO_LABEL}"},
                    "geometry": mapping(part),
                }
            )
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def demo_seed(*, actor: Any, organisation: Any, boundary: Any = None) -> int:
    """Idempotent: skipped when the demo stakeholders are there. Returns the moments made.
    With the municipality's ``boundary``, also nine made-up neighbourhoods."""
    from onderdak.apps.housing.selectors import complex_list
    from onderdak.apps.programme.selectors import decision_list, milestone_choices
    from onderdak.apps.sites.selectors import site_list
    from onderdak.apps.sites.services import site_set_stage

    if selectors.stakeholder_list(user=actor).filter(name__endswith=DEMO_LABEL).exists():
        return 0
    today = timezone.localdate()
    if boundary is not None:
        services.neighbourhoods_import(
            actor=actor, organisation=organisation, content=neighbourhoods_geojson(boundary)
        )
    for track, (goals, messages, owner) in _PLANS.items():
        services.plan_save(
            actor=actor,
            organisation=organisation,
            track=track,
            goals=f"{goals} {DEMO_LABEL}",
            key_messages=messages,
            owner=owner,
            status="adopted" if track != Track.TEMPORARY_HOUSING else "in_progress",
        )
    sites = list(site_list(user=actor).filter(organisation=organisation).order_by("pk")[:2])
    complexes = {c.name: c for c in complex_list(user=actor).filter(organisation=organisation)}
    made = {}
    for name, kind, influence, interest, role, tracks in _STAKEHOLDERS:
        made[name] = services.stakeholder_create(
            actor=actor,
            organisation=organisation,
            name=f"{name} {DEMO_LABEL}",
            kind=kind,
            influence=influence,
            interest=interest,
            contact_role=role,
            tracks=tracks,
            sites=sites[:1] if kind in ("residents", "neighbourhood_council") else [],
            complexes=[complexes["Diemerdreef"]]
            if name == "Omwonenden Diemerdreef" and "Diemerdreef" in complexes
            else [],
        )
    plan = selectors.plan_list(user=actor).get(organisation=organisation, track=Track.FLEX_HOMES)
    services.plan_audiences_set(
        actor=actor,
        plan=plan,
        levels={
            made["Omwonenden Diemerdreef"]: "consult",
            made["Bewoners flexwoningen Maalderij"]: "advise",
            made["COA"]: "coproduce",
        },
    )
    milestones = {task.code: task for task in milestone_choices(user=actor)}
    college = decision_list(user=actor).filter(organisation=organisation).order_by("decided_on")
    first_decision = college.first()
    moments: list[dict[str, Any]] = [
        {
            "title": f"Informatieavond verhuizing flexwoningen Diemerdreef {DEMO_LABEL}",
            "kind": "information_evening",
            "track": Track.FLEX_HOMES,
            "milestone": milestones.get("2.3"),
            "days_from_milestone": -14,
            "complex": complexes.get("Diemerdreef"),
            "status": MomentStatus.DONE,
            "channel": "Buurthuis",
            "audience": [made["Omwonenden Diemerdreef"], made["COA"]],
        },
        {
            "title": f"Raadsinformatiebrief structurele inbedding {DEMO_LABEL}",
            "kind": "council_letter",
            "track": Track.OVERALL,
            "decision": first_decision,
            "date": first_decision.decided_on + timedelta(days=7) if first_decision else today,
            "status": MomentStatus.DONE,
            "audience": [made["Gemeenteraad"]],
        },
        {
            "title": f"Keukentafelgesprekken omwonenden shortlistlocatie {DEMO_LABEL}",
            "kind": "consultation",
            "track": Track.TEMPORARY_HOUSING,
            "site": sites[0] if sites else None,
            "date": today + timedelta(days=21),
            "audience": [made["Wijkraad Diemen-Noord"], made["Woningcorporatie"]],
        },
        {
            "title": f"Persbericht shortlist tijdelijke woningen {DEMO_LABEL}",
            "kind": "press_release",
            "track": Track.TEMPORARY_HOUSING,
            "milestone": milestones.get("3.3"),
            "days_from_milestone": 1,
            "status": MomentStatus.DONE,
            "audience": [made["Lokale pers"]],
        },
    ]
    count = 0
    evening = None
    for spec in moments:
        if spec.get("milestone", "none") is None:
            continue  # the programme's milestone is not there
        values = {k: v for k, v in spec.items() if v is not None and k != "audience"}
        made_moment = services.moment_create(
            actor=actor, organisation=organisation, audience=spec["audience"], **values
        )
        if values["kind"] == "information_evening":
            evening = made_moment
        count += 1
    if evening is not None:
        services.log_entry_create(
            actor=actor,
            moment=evening,
            summary="Zorgen over parkeren en verlichting op het pad naar de school; vragen over "
            f"wie aanspreekpunt is na de verhuizing {DEMO_LABEL}",
            participants=64,
            themes="parkeren, veiligheid, beheer",
            sentiment="concerned",
            response="Extra verlichting langs het pad en een vast spreekuur van de beheerder.",
            follow_ups=[
                {
                    "action": f"Verlichting pad Diemerdreef laten plaatsen {DEMO_LABEL}",
                    "owner": "Openbare ruimte",
                    "due": today - timedelta(days=10),
                },
                {
                    "action": f"Spreekuur beheerder aankondigen in bewonersbrief {DEMO_LABEL}",
                    "owner": "Communicatie",
                    "due": today + timedelta(days=14),
                },
            ],
        )
    for site in sites:  # both on the shortlist; the second has no moment for its neighbours
        site_set_stage(actor=actor, site=site, stage="shortlist")
    return count
