"""Communication and participation: stakeholders on the grid, plans with participation levels,
moments that follow their milestone, the warnings, and access per municipality."""

from __future__ import annotations

import io
from datetime import timedelta

from django.test import Client
from django.utils import timezone

import pytest
from docx import Document
from tests.fixtures import logged_in

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.communication import selectors, services
from onderdak.apps.communication.models import (
    CommunicationPlan,
    Moment,
    PlanAudience,
    Stakeholder,
)
from onderdak.apps.programme import services as programme_services
from onderdak.apps.programme.models import PlanTask, Programme
from onderdak.apps.sites.models import Site
from onderdak.apps.sites.selectors import site_list as site_list_for

pytestmark = pytest.mark.django_db

POINT = {"type": "Point", "coordinates": [4.96, 52.34]}


def test_a_stakeholder_is_added_drawn_on_the_grid_and_scoped(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    editor = logged_in(users["diemen-editor"])
    response = editor.post(
        "/communicatie/belanghebbenden/nieuw/",
        {
            "organisation": organisations["diemen"].pk,
            "name": "Wijkraad Noord",
            "kind": "neighbourhood_council",
            "influence": "4",
            "interest": "5",
            "contact_role": "voorzitter",
            "tracks": ["temporary_housing"],
        },
    )
    assert response.status_code == 302
    stakeholder = Stakeholder.objects.get()
    assert stakeholder.quadrant == "manage" and stakeholder.tracks == ["temporary_housing"]
    page = editor.get("/communicatie/belanghebbenden/").content.decode()
    assert "<circle" in page and "Wijkraad Noord" in page and "Nauw betrekken" in page
    assert (
        logged_in(users["uithoorn-editor"])
        .get(f"/communicatie/belanghebbenden/{stakeholder.pk}/wijzigen/")
        .status_code
        == 404
    )
    viewer = logged_in(users["diemen-viewer"])
    assert viewer.get("/communicatie/belanghebbenden/nieuw/").status_code == 403
    refused = editor.post(
        "/communicatie/belanghebbenden/nieuw/",
        {
            "organisation": organisations["diemen"].pk,
            "name": "Wijkraad Noord",
            "kind": "neighbourhood_council",
            "influence": "9",
            "interest": "0",
        },
    )
    assert refused.status_code == 200
    errors = refused.context["form"].errors
    assert "influence" in errors and "interest" in errors
    assert Stakeholder.objects.count() == 1


def test_a_moment_follows_its_milestone_and_says_so(
    users: dict[str, User], organisations: dict[str, Organisation], programme: Programme
) -> None:
    editor = users["diemen-editor"]
    milestone = PlanTask.objects.get(code="3.2")
    moment = services.moment_create(
        actor=editor,
        organisation=organisations["diemen"],
        title="Informatieavond",
        kind="information_evening",
        milestone=milestone,
        days_from_milestone=7,
    )
    today = timezone.localdate()
    planned = selectors.moment_dates(user=editor, moments=[moment], today=today)[moment.pk]
    assert planned.moved == 0
    before = moment.date
    # the work takes five working days more: the milestone, and the moment, move a week
    programme_services.task_update(
        actor=users["diemen-admin"], task=PlanTask.objects.get(code="3.1"), duration=15
    )
    moved = selectors.moment_dates(user=editor, moments=[moment], today=today)[moment.pk]
    assert moved.day == before + timedelta(days=7) and moved.moved == 7
    shown = logged_in(editor).get(f"/communicatie/momenten/{moment.pk}/wijzigen/")
    page = shown.content.decode()
    assert "bevestigt de nieuwe datum" in page
    assert shown.context["form"]["date"].value() == moved.day  # the field shows the new date
    services.moment_update(actor=editor, moment=moment, title="Informatieavond")
    moment.refresh_from_db()
    assert moment.date == moved.day  # saving took the new date
    assert selectors.moment_dates(user=editor, moments=[moment], today=today)[moment.pk].moved == 0


def test_a_shortlisted_site_without_a_moment_is_flagged_until_one_is_planned(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    diemen = organisations["diemen"]
    site = Site.objects.create(
        organisation=diemen, name="Sportpark", geometry=POINT, stage="shortlist"
    )
    Site.objects.create(organisation=diemen, name="Kavel", geometry=POINT, stage="longlist")
    editor = users["diemen-editor"]
    today = timezone.localdate()
    kinds = [(w.kind, w.text) for w in selectors.warnings(user=editor, today=today)]
    assert kinds == [("site_without_moment", kinds[0][1])] and "Sportpark" in kinds[0][1]
    page = logged_in(editor).get(f"/communicatie/momenten/nieuw/?locatie={site.pk}")
    assert page.context["form"].initial["site"] == site
    moment = services.moment_create(
        actor=editor,
        organisation=diemen,
        title="Brief aan omwonenden",
        kind="residents_letter",
        date=today - timedelta(days=2),
        site=site,
    )
    warnings = selectors.warnings(user=editor, today=today)
    assert [w.kind for w in warnings] == ["moment_overdue"]  # the site is covered; the letter late
    services.moment_update(actor=editor, moment=moment, status="done")
    assert selectors.warnings(user=editor, today=today) == []
    overview = logged_in(editor).get("/communicatie/").content.decode()
    assert "Communicatie en participatie" in overview


def test_a_plan_per_track_with_participation_levels(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    diemen = organisations["diemen"]
    editor = logged_in(users["diemen-editor"])
    assert (
        logged_in(users["diemen-viewer"])
        .post("/communicatie/plannen/nieuw/", {"track": "care"})
        .status_code
        == 403
    )
    drawn = editor.post("/communicatie/plannen/nieuw/", {"track": "care"})
    plan = CommunicationPlan.objects.get(track="care")
    url = f"/communicatie/plannen/{plan.pk}/"
    assert drawn.status_code == 302 and drawn["Location"] == url
    saved = editor.post(
        url,
        {
            "goals": "Iedereen weet wat er komt",
            "key_messages": "",
            "owner": "Team communicatie",
            "status": "adopted",
        },
    )
    assert saved.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "adopted"
    school = services.stakeholder_create(
        actor=users["diemen-editor"], organisation=diemen, name="School", kind="school"
    )
    editor.post(url, {"part": "levels", f"level-{school.pk}": "consult"})
    assert PlanAudience.objects.get(plan=plan, stakeholder=school).level == "consult"
    editor.post(url, {"part": "levels", f"level-{school.pk}": "hack"})
    assert not PlanAudience.objects.exists()  # an unknown level takes the stakeholder out
    viewer = logged_in(users["diemen-viewer"])
    assert viewer.get(url).status_code == 200
    assert viewer.post(url, {"goals": "x", "status": "draft"}).status_code == 403
    other = logged_in(users["uithoorn-editor"])
    assert other.get(url).status_code == 404
    assert other.post("/communicatie/plannen/nieuw/", {"track": "nope"}).status_code == 404
    # a viewer reads a stakeholder's page but may not change it
    page = viewer.get(f"/communicatie/belanghebbenden/{school.pk}/wijzigen/")
    assert page.status_code == 200 and '<form method="post" class="utrecht-form"' not in (
        page.content.decode()
    )
    read_only = page.content.decode()
    assert "wijzigen" not in read_only.split("<title>")[1].split("</title>")[0]
    for label in ("Aanpak", "Sporen", "Locaties", "Complexen"):
        assert f"<dt>{label}</dt>" in read_only
    assert viewer.post(f"/communicatie/belanghebbenden/{school.pk}/wijzigen/").status_code == 403
    # the plan as Word for the college: a reader downloads it, another municipality gets a 404
    editor.post(url, {"part": "levels", f"level-{school.pk}": "advise"})
    word = viewer.get(f"/communicatie/plannen/{plan.pk}/word/")
    assert word["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        'filename="communicatieplan-spoor-1-zorg-en-ondersteuning-' in word["Content-Disposition"]
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "Iedereen weet wat er komt" in text and "Participatie per belanghebbende" in text
    assert other.get(f"/communicatie/plannen/{plan.pk}/word/").status_code == 404


def test_a_moment_needs_a_date_or_a_milestone_and_stays_in_its_municipality(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    editor = logged_in(users["diemen-editor"])
    empty = editor.post(
        "/communicatie/momenten/nieuw/",
        {
            "organisation": organisations["diemen"].pk,
            "title": "<script>x</script>",
            "kind": "press_release",
            "track": "overall",
            "status": "planned",
            "days_from_milestone": "0",
        },
    )
    assert empty.status_code == 200 and empty.context["form"].errors["date"]
    assert not Moment.objects.exists()
    moment = services.moment_create(
        actor=users["diemen-editor"],
        organisation=organisations["diemen"],
        title="Persbericht",
        kind="press_release",
        date=timezone.localdate(),
    )
    read_only = (
        logged_in(users["diemen-viewer"])
        .get(f"/communicatie/momenten/{moment.pk}/wijzigen/")
        .content.decode()
    )
    for label in ("Kanaal", "Doelgroep", "Boodschap", "Locatie", "Complex"):
        assert f"<dt>{label}</dt>" in read_only
    other = logged_in(users["uithoorn-editor"])
    assert other.get(f"/communicatie/momenten/{moment.pk}/wijzigen/").status_code == 404
    assert other.post(f"/communicatie/momenten/{moment.pk}/verwijderen/").status_code == 404
    assert "Persbericht" not in other.get("/communicatie/momenten/").content.decode()
    confirm = editor.get(f"/communicatie/momenten/{moment.pk}/verwijderen/").content.decode()
    assert "Weet u zeker" in confirm
    assert editor.post(f"/communicatie/momenten/{moment.pk}/verwijderen/").status_code == 302
    assert not Moment.objects.exists()


def test_the_demo_flags_one_shortlisted_site(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    from onderdak.apps.communication.demo import DEMO_LABEL, demo_seed
    from onderdak.apps.geo.models import Municipality
    from onderdak.apps.housing.demo import demo_seed as housing_seed
    from onderdak.apps.programme.demo import demo_seed as programme_seed
    from onderdak.apps.sites.demo import demo_seed as sites_seed

    editor, diemen = users["diemen-editor"], organisations["diemen"]
    sites_seed(
        actor=editor, organisation=diemen, boundary=Municipality.objects.get(code="GM0384").boundary
    )
    housing_seed(actor=editor, organisation=diemen)
    programme_seed(actor=editor, organisations=organisations)
    assert demo_seed(actor=editor, organisation=diemen) == 4
    assert demo_seed(actor=editor, organisation=diemen) == 0  # idempotent
    assert CommunicationPlan.objects.filter(organisation=diemen).count() == 4
    assert all(DEMO_LABEL in s.name for s in Stakeholder.objects.all())
    flagged = selectors.warnings(user=editor, today=timezone.localdate())
    assert [w.kind for w in flagged] == ["site_without_moment", "follow_up_overdue"]
    evening = Moment.objects.get(kind="information_evening")
    assert evening.milestone is not None and evening.complex is not None
    (entry,) = evening.log_entries.all()
    assert entry.follow_ups.count() == 2


def test_a_log_entry_with_follow_ups_lands_whole_and_late_ones_are_flagged(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    from onderdak.apps.communication.models import FollowUp, LogEntry

    today = timezone.localdate()
    moment = services.moment_create(
        actor=users["diemen-editor"],
        organisation=organisations["diemen"],
        title="Informatieavond",
        kind="information_evening",
        date=today - timedelta(days=3),
        status="done",
    )
    editor = logged_in(users["diemen-editor"])
    url = f"/communicatie/momenten/{moment.pk}/wijzigen/"
    form = {
        "part": "log",
        "summary": "Zorgen over verkeer",
        "participants": "40",
        "themes": "verkeer",
        "sentiment": "concerned",
        "response": "Verkeersonderzoek",
        "follow-TOTAL_FORMS": "2",
        "follow-INITIAL_FORMS": "0",
        "follow-0-action": "Verkeerstelling",
        "follow-0-owner": "Mobiliteit",
        "follow-0-due": (today - timedelta(days=1)).isoformat(),
        "follow-1-action": "Terugkoppeling",
        "follow-1-owner": "Communicatie",
        "follow-1-due": "morgen",
    }
    refused = editor.post(url, form)
    assert refused.status_code == 200 and not LogEntry.objects.exists()  # a bad date: nothing
    form["follow-1-due"] = (today + timedelta(days=7)).isoformat()
    assert editor.post(url, form).status_code == 302
    entry = LogEntry.objects.get()
    assert entry.follow_ups.count() == 2
    warnings = selectors.warnings(user=users["diemen-editor"], today=today)
    assert [w.kind for w in warnings] == ["follow_up_overdue"]
    late = FollowUp.objects.get(action="Verkeerstelling")
    viewer = logged_in(users["diemen-viewer"])
    page = viewer.get(url).content.decode()
    assert "Zorgen over verkeer" in page and "Verkeerstelling" in page
    assert viewer.post(url, {"part": "done", "follow_up": late.pk, "done": "1"}).status_code == 403
    editor.post(url, {"part": "done", "follow_up": late.pk, "done": "1"})
    late.refresh_from_db()
    assert late.done and selectors.warnings(user=users["diemen-editor"], today=today) == []


def test_the_month_calendar_and_the_planning_calendar_show_moments_on_their_current_date(
    users: dict[str, User], organisations: dict[str, Organisation], programme: Programme
) -> None:
    editor = users["diemen-editor"]
    diemen = organisations["diemen"]
    milestone = PlanTask.objects.get(code="3.2")
    tied = services.moment_create(
        actor=editor,
        organisation=diemen,
        title="Bewonersavond, mijlpaal",
        kind="information_evening",
        track="temporary_housing",
        milestone=milestone,
        days_from_milestone=1,
    )
    services.moment_create(
        actor=editor,
        organisation=diemen,
        title="Raadsinformatiebrief; eigen datum",
        kind="council_letter",
        track="care",
        date=tied.date,
    )
    # the milestone moves a week: the tied moment follows it into the calendar and the feed
    programme_services.task_update(
        actor=users["diemen-admin"], task=PlanTask.objects.get(code="3.1"), duration=15
    )
    day = tied.date + timedelta(days=7)
    client = logged_in(users["diemen-viewer"])
    page = client.get(f"/communicatie/momenten/kalender/?maand={day:%Y-%m}").content.decode()
    assert "Bewonersavond, mijlpaal" in page and "7 dagen" in page
    care = client.get(f"/communicatie/momenten/kalender/?maand={day:%Y-%m}&spoor=care")
    assert "Bewonersavond" not in care.content.decode()
    this_month = timezone.localdate().replace(day=1)
    for wrong in ("9999-99", "abc", "2026-13", "1999-01", "-", "2026-1-1"):
        shown = client.get(f"/communicatie/momenten/kalender/?maand={wrong}")
        assert shown.status_code == 200 and shown.context["first"] == this_month
    other = logged_in(users["uithoorn-editor"]).get(
        f"/communicatie/momenten/kalender/?maand={day:%Y-%m}"
    )
    assert "Bewonersavond" not in other.content.decode()

    # the list is in the order of the current dates too: the tied moment moved past the letter
    listed = client.get("/communicatie/momenten/").content.decode()
    assert listed.index("Raadsinformatiebrief") < listed.index("Bewonersavond, mijlpaal")

    ics = client.get("/planning/uitwisseling/mijlpalen.ics").content.decode()
    assert "SUMMARY:Bewonersavond\\, mijlpaal" in ics and f"DTSTART;VALUE=DATE:{day:%Y%m%d}" in ics
    assert "SUMMARY:Raadsinformatiebrief\\; eigen datum" in ics
    only = client.get("/planning/uitwisseling/mijlpalen.ics?spoor=care").content.decode()
    assert "Raadsinformatiebrief" in only and "Bewonersavond" not in only
    token = programme_services.calendar_link_renew(actor=users["diemen-admin"], programme=programme)
    feed = Client().get(f"/planning/agenda/{token}/alles.ics").content.decode()
    assert f"DTSTART;VALUE=DATE:{day:%Y%m%d}" in feed and "moment-" in feed


def test_a_partners_shared_site_is_not_our_warning_nor_our_choice(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    """Uithoorn reads Diemen's shared site, but covering it with a moment is Diemen's work
    (Diemen's moments are not shared): no warning for Uithoorn, and Uithoorn's forms offer
    only Uithoorn's own records, since a moment may only name records of its organisation."""
    diemen = organisations["diemen"]
    site = Site.objects.create(
        organisation=diemen, name="Gedeelde locatie", geometry=POINT, stage="shortlist", shared=True
    )
    other = users["uithoorn-editor"]
    assert site in list(site_list_for(user=other))
    assert all(
        w.kind != "site_without_moment"
        for w in selectors.warnings(user=other, today=timezone.localdate())
    )
    assert any(
        w.kind == "site_without_moment"
        for w in selectors.warnings(user=users["diemen-viewer"], today=timezone.localdate())
    )
    client = logged_in(other)
    form = client.get(f"/communicatie/momenten/nieuw/?locatie={site.pk}").context["form"]
    assert site not in form.fields["site"].queryset and not form.initial.get("site")
    stakeholder_form = client.get("/communicatie/belanghebbenden/nieuw/").context["form"]
    assert site not in stakeholder_form.fields["sites"].queryset
