"""Reads of communication and participation, limited to what the user may see; the dates of
moments tied to a milestone follow the programme's schedule (``programme.selectors``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onderdak.apps.accounts.selectors import scope
from onderdak.common.exports import format_number

from .models import (
    CommunicationPlan,
    FollowUp,
    LogEntry,
    Moment,
    MomentStatus,
    Neighbourhood,
    PlanAudience,
    Stakeholder,
)

#: Site stages from which a site's neighbours must have a moment planned.
STAGES_NEEDING_A_MOMENT = ("shortlist", "feasibility", "decision", "realisation")


def stakeholder_list(*, user: Any) -> QuerySet[Stakeholder]:
    return scope(Stakeholder.objects.select_related("organisation"), user)


def plan_list(*, user: Any) -> QuerySet[CommunicationPlan]:
    return scope(CommunicationPlan.objects.select_related("organisation"), user)


def log_entries(*, moment: Moment) -> QuerySet[LogEntry]:
    """The participation log of a moment the caller got through :func:`moment_list`."""
    return LogEntry.objects.filter(moment=moment).prefetch_related("follow_ups")


def follow_up_list(*, user: Any) -> QuerySet[FollowUp]:
    """Follow-up actions of the moments ``user`` may see."""
    return FollowUp.objects.filter(entry__moment__in=moment_list(user=user)).select_related(
        "entry__moment"
    )


def plan_audiences(*, plan: CommunicationPlan) -> QuerySet[PlanAudience]:
    """The participation levels of a plan the caller got through :func:`plan_list`."""
    return PlanAudience.objects.filter(plan=plan).select_related("stakeholder")


def moment_list(*, user: Any) -> QuerySet[Moment]:
    return scope(
        Moment.objects.select_related("organisation", "site", "complex", "milestone", "decision"),
        user,
    )


@dataclass(frozen=True)
class MomentDate:
    """When a moment takes place: on its own date, or its milestone's date plus its offset;
    ``moved`` is by how many days that differs from the date it had when last saved."""

    day: date
    moved: int

    @property
    def moved_text(self) -> str:
        """ "moved 3 days later with its milestone" (or earlier); empty when it did not move."""
        days = abs(self.moved)
        if self.moved > 0:
            text = ngettext(
                "moved %(days)s day later with its milestone",
                "moved %(days)s days later with its milestone",
                days,
            )
        elif self.moved < 0:
            text = ngettext(
                "moved %(days)s day earlier with its milestone",
                "moved %(days)s days earlier with its milestone",
                days,
            )
        else:
            return ""
        return text % {"days": format_number(days)}


def moment_dates(*, user: Any, moments: list[Moment], today: date) -> dict[int, MomentDate]:
    from onderdak.apps.programme.selectors import milestone_dates

    milestones = milestone_dates(
        user=user, task_ids={m.milestone_id for m in moments if m.milestone_id}, today=today
    )
    return dates_following(moments, milestones)


def dates_following(moments: list[Moment], milestones: dict[int, date]) -> dict[int, MomentDate]:
    """Each moment's date: a planned moment tied to a milestone in ``milestones`` (task id to
    its date in the schedule) falls on that date plus its offset, any other on its own date."""
    result: dict[int, MomentDate] = {}
    for moment in moments:
        reached = milestones.get(moment.milestone_id) if moment.milestone_id else None
        if reached is None or moment.status != MomentStatus.PLANNED:
            result[moment.pk] = MomentDate(moment.date, 0)
            continue
        day = reached + timedelta(days=moment.days_from_milestone)
        result[moment.pk] = MomentDate(day, (day - moment.date).days)
    return result


@dataclass(frozen=True)
class CalendarEntry:
    """A moment as an all-day event for the planning's iCalendar file and feed."""

    key: str
    day: date
    summary: str
    description: str


def calendar_entries(
    *, organisation: Any, track: str | None, milestones: dict[int, date], user: Any = None
) -> list[CalendarEntry]:
    """The moments (not cancelled) of ``organisation`` on their current dates, for a calendar:
    of one track or all (``track`` None). With ``user`` only what that user may see; without
    one, for the feed whose secret address is the access (``milestones``: the schedule's
    milestone dates, as the planning just computed them)."""
    found = moment_list(user=user) if user is not None else Moment.objects.all()
    found = found.filter(organisation=organisation).exclude(status=MomentStatus.CANCELLED)
    if track:
        found = found.filter(track=track)
    moments = list(found.select_related("site", "complex").order_by("date", "pk"))
    dates = dates_following(moments, milestones)
    entries = []
    for moment in moments:
        about = [x.name for x in (moment.site, moment.complex) if x is not None]
        details = [str(moment.get_kind_display()), *about]
        if moment.channel:
            details.append(_("Channel: %(channel)s") % {"channel": moment.channel})
        if moment.owner:
            details.append(_("Owner: %(owner)s") % {"owner": moment.owner})
        if moment.status == MomentStatus.DONE:
            details.append(_("Held."))
        entries.append(
            CalendarEntry(
                f"moment-{moment.pk}", dates[moment.pk].day, moment.title, " · ".join(details)
            )
        )
    return entries


@dataclass(frozen=True)
class Warning:
    """Something the communication advisor should act on, worded for the page."""

    kind: str  # "site_without_moment", "moment_overdue" or "follow_up_overdue"
    text: str
    url: str


@dataclass(frozen=True)
class Agenda:
    """The overview's warnings and the next planned moments, from one schedule of the plan."""

    warnings: list[Warning]
    upcoming: list[tuple[Moment, MomentDate]]


def warnings(*, user: Any, today: date) -> list[Warning]:
    return agenda(user=user, today=today).warnings


def agenda(*, user: Any, today: date, upcoming: int = 10) -> Agenda:
    """Sites on the shortlist or further whose neighbours have no moment (planned or held),
    planned moments whose date has passed and follow-up actions past their due date; and the
    first ``upcoming`` planned moments from ``today``."""
    from onderdak.apps.accounts.selectors import user_organisations
    from onderdak.apps.sites.selectors import site_list
    from onderdak.common.urls import reverse

    moments = list(moment_list(user=user).exclude(status=MomentStatus.CANCELLED))
    covered = {m.site_id for m in moments if m.site_id}
    # only the user's own municipality's sites: a partner's shared site is the partner's to
    # cover (its moments are not shared with us)
    sites = (
        site_list(user=user)
        .filter(stage__in=STAGES_NEEDING_A_MOMENT, organisation__in=user_organisations(user))
        .order_by("name")
    )
    found = [
        Warning(
            "site_without_moment",
            _("%(site)s is at stage “%(stage)s” and no moment is planned for its neighbours.")
            % {"site": site.name, "stage": site.get_stage_display()},
            reverse("communication:moment_create") + f"?locatie={site.pk}",
        )
        for site in sites
        if site.pk not in covered
    ]
    planned = [m for m in moments if m.status == MomentStatus.PLANNED]
    dates = moment_dates(user=user, moments=planned, today=today)
    found += [
        Warning(
            "moment_overdue",
            _("%(moment)s was planned for %(day)s and is not marked as done.")
            % {"moment": moment.title, "day": dates[moment.pk].day.strftime("%d-%m-%Y")},
            reverse("communication:moment_update", args=[moment.pk]),
        )
        for moment in planned
        if dates[moment.pk].day < today
    ]
    late = follow_up_list(user=user).filter(done=False, due__lt=today).order_by("due", "pk")
    found += [
        Warning(
            "follow_up_overdue",
            _("Follow-up “%(action)s” (%(owner)s) was due on %(day)s.")
            % {"action": item.action, "owner": item.owner, "day": item.due.strftime("%d-%m-%Y")},
            reverse("communication:moment_update", args=[item.entry.moment_id]),
        )
        for item in late
    ]
    coming = sorted(
        (m for m in planned if dates[m.pk].day >= today), key=lambda m: (dates[m.pk].day, m.pk)
    )
    return Agenda(found, [(m, dates[m.pk]) for m in coming[:upcoming]])


def moments_between(
    *, user: Any, first: date, last: date, today: date, track: str = ""
) -> list[tuple[Moment, MomentDate]]:
    """The moments ``user`` may see that fall from ``first`` to ``last`` (inclusive) on their
    current date (a moment tied to a milestone moves with it), by date; cancelled ones too,
    so the calendar shows what was called off."""
    found = moment_list(user=user)
    if track:
        found = found.filter(track=track)
    # a moment tied to a milestone may have moved into the window from anywhere
    found = found.filter(models.Q(date__range=(first, last)) | models.Q(milestone__isnull=False))
    moments = list(found)
    dates = moment_dates(user=user, moments=moments, today=today)
    inside = [m for m in moments if first <= dates[m.pk].day <= last]
    return [(m, dates[m.pk]) for m in sorted(inside, key=lambda m: (dates[m.pk].day, m.title))]


def neighbourhood_list(*, user: Any) -> QuerySet[Neighbourhood]:
    return scope(Neighbourhood.objects.select_related("organisation"), user)


#: The radii (metres) offered for the neighbourhoods around a site, in order, and the default.
RADII = (250, 500, 1000, 2000)
DEFAULT_RADIUS = 500


def residents_name(neighbourhood: Neighbourhood) -> str:
    """The name a stakeholder for the residents of ``neighbourhood`` is suggested under."""
    return _("Residents of %(neighbourhood)s") % {"neighbourhood": neighbourhood.name}


def residents_names(neighbourhood: Neighbourhood) -> set[str]:
    """:func:`residents_name` in every language of the interface, case folded: a stakeholder of
    the municipality with one of these names is the neighbourhood's residents."""
    from django.conf import settings
    from django.utils import translation

    names = set()
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            names.add(residents_name(neighbourhood).casefold())
    return names


@dataclass(frozen=True)
class Nearby:
    """A neighbourhood within the radius of a site, and the stakeholder already recorded for
    its residents (the municipality's stakeholder with the suggested name), if any."""

    neighbourhood: Neighbourhood
    metres: int
    stakeholder: Stakeholder | None


def neighbourhoods_near(*, user: Any, site: Any, radius: int) -> list[Nearby]:
    """The neighbourhoods of the site's municipality within ``radius`` metres of the site (0
    when the site lies inside), nearest first; none when the site has no usable place."""
    from onderdak.common.geometry import usable_shape
    from onderdak.engines.siting.distance import distances_from
    from onderdak.engines.siting.model import SitingInputError

    origin = usable_shape(site.geometry)
    found = list(neighbourhood_list(user=user).filter(organisation=site.organisation_id))
    shapes = [(n, usable_shape(n.geometry)) for n in found]
    shapes = [(n, shape) for n, shape in shapes if shape is not None]
    if origin is None or not shapes:
        return []
    try:
        metres = distances_from(origin, [shape for _n, shape in shapes])
    except SitingInputError:
        return []
    recorded = {
        s.name.casefold(): s
        for s in stakeholder_list(user=user).filter(organisation=site.organisation_id)
    }
    result = []
    for (neighbourhood, _shape), distance in zip(shapes, metres.tolist(), strict=True):
        if distance > radius:
            continue
        match = next((recorded[n] for n in residents_names(neighbourhood) if n in recorded), None)
        result.append(Nearby(neighbourhood, round(distance), match))
    return sorted(result, key=lambda item: (item.metres, item.neighbourhood.name))


@dataclass(frozen=True)
class Related:
    """The stakeholders and moments of one site or complex, for its own page."""

    stakeholders: list[Stakeholder]
    moments: list[tuple[Moment, MomentDate]]


def related_to(*, user: Any, today: date, site: Any = None, complex: Any = None) -> Related:
    """What the communication module holds about ``site`` or ``complex`` (one of the two):
    its stakeholders and its moments on their current dates (cancelled ones last)."""
    if site is not None:
        stakeholders = stakeholder_list(user=user).filter(sites=site)
        moments = list(moment_list(user=user).filter(site=site))
    else:
        stakeholders = stakeholder_list(user=user).filter(complexes=complex)
        moments = list(moment_list(user=user).filter(complex=complex))
    dates = moment_dates(user=user, moments=moments, today=today)
    moments.sort(key=lambda m: (m.status == MomentStatus.CANCELLED, dates[m.pk].day, m.pk))
    return Related(list(stakeholders.order_by("name")), [(m, dates[m.pk]) for m in moments])
