"""Communication pages under /communicatie/. Reads through selectors, writes through services;
a service's refusal is shown on the form and nothing is written."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from onderdak.apps.accounts.selectors import (
    can_change,
    may_create_in,
    organisations_with_ids,
    primary_organisation,
    writable_organisations,
)
from onderdak.apps.housing.selectors import complex_list
from onderdak.apps.programme.selectors import decision_list, milestone_choices
from onderdak.apps.sites.selectors import site_list
from onderdak.common.exports import download, format_number
from onderdak.common.forms import UploadForm, object_id, submit
from onderdak.common.imports import ImportRejected
from onderdak.common.tables import Column, table_or_export

from . import selectors, services
from .forms import FollowUpFormSet, LogEntryForm, MomentForm, PlanForm, StakeholderForm
from .models import Moment, MomentStatus, ParticipationLevel, Stakeholder, Track
from .reports import plan_docx

STAKEHOLDER_COLUMNS = (
    Column("name", gettext_lazy("Name"), lambda s: s.name, "name"),
    Column("kind", gettext_lazy("Kind"), lambda s: s.get_kind_display(), "kind"),
    Column("influence", gettext_lazy("Influence"), lambda s: s.influence, "influence", True),
    Column("interest", gettext_lazy("Interest"), lambda s: s.interest, "interest", True),
    Column("quadrant", gettext_lazy("Approach"), lambda s: s.quadrant_label),
    Column("contact_role", gettext_lazy("Contact role"), lambda s: s.contact_role, "contact_role"),
)
PAGE_SIZE = 25


def _stakeholder(request: HttpRequest, pk: int) -> Stakeholder:
    found = selectors.stakeholder_list(user=request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _moment(request: HttpRequest, pk: int) -> Moment:
    found = selectors.moment_list(user=request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    organisation = primary_organisation(request.user)
    plans = {
        plan.track: plan
        for plan in selectors.plan_list(user=request.user).filter(organisation=organisation)
    }
    agenda = selectors.agenda(user=request.user, today=today)
    return render(
        request,
        "communication/overview.html",
        {
            "warnings": agenda.warnings,
            "tracks": [(value, label, plans.get(value)) for value, label in Track.choices],
            "upcoming": agenda.upcoming,
            "stakeholders": selectors.stakeholder_list(user=request.user).count(),
            "may_create": writable_organisations(request.user).exists(),
        },
    )


@dataclass(frozen=True)
class Dot:
    x: int
    y: int
    stakeholder: Stakeholder


GRID, CELL, MARGIN = 400, 80, 40


def _grid(stakeholders: list[Stakeholder]) -> list[Dot]:
    """Each stakeholder as a dot on the power-interest grid (interest across, influence up);
    several in one cell are spread over it."""
    cells: dict[tuple[int, int], list[Stakeholder]] = {}
    for item in stakeholders:
        cells.setdefault((item.interest, item.influence), []).append(item)
    dots = []
    for (interest, influence), members in cells.items():
        for index, item in enumerate(members[:9]):
            # one dot in the cell's centre, two side by side, more on a 3 x 3 pattern
            if len(members) == 1:
                dx = dy = 0
            elif len(members) == 2:
                dx, dy = (index * 2 - 1) * 14, 0
            else:
                dx, dy = (index % 3 - 1) * 22, (index // 3 - 1) * 22
            x = MARGIN + (interest - 1) * CELL + CELL // 2 + dx
            y = MARGIN + (5 - influence) * CELL + CELL // 2 + dy
            dots.append(Dot(x, y, item))
    return dots


@login_required
def stakeholder_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.stakeholder_list(user=request.user)
    kind = request.GET.get("soort", "")
    if kind:
        queryset = queryset.filter(kind=kind)
    state, export = table_or_export(
        request,
        queryset,
        columns=STAKEHOLDER_COLUMNS,
        search_fields=("name", "contact_role", "notes"),
        default_sort="name",
        export_name="belanghebbenden",
    )
    if export:
        return export
    return render(
        request,
        "communication/stakeholder_list.html",
        {
            "table": state,
            "dots": _grid(list(queryset.order_by("name")[:300])),
            "size": GRID + 2 * MARGIN,
            "cells": range(5),
            "cell": CELL,
            "margin": MARGIN,
            "kind": kind,
            "kinds": Stakeholder._meta.get_field("kind").choices,
            "may_create": writable_organisations(request.user).exists(),
        },
    )


def _suggested(request: HttpRequest) -> dict[str, Any]:
    """A new stakeholder prefilled from the site page's suggestion: the residents of a
    neighbourhood near a site (``?locatie=<site>&buurt=<neighbourhood>``)."""
    site_id, area_id = object_id(request.GET.get("locatie")), object_id(request.GET.get("buurt"))
    site = _own_sites(request).filter(pk=site_id).first() if site_id else None
    area = (
        selectors.neighbourhood_list(user=request.user).filter(pk=area_id).first()
        if area_id
        else None
    )
    if site is None:
        return {}
    initial: dict[str, Any] = {"sites": [site], "organisation": site.organisation}
    if area is not None and area.organisation_id == site.organisation_id:
        initial.update(
            name=selectors.residents_name(area),
            kind="residents",
            interest=4,
            influence=2,
            tracks=["temporary_housing"],
        )
    return initial


def _own_sites(request: HttpRequest) -> QuerySet[Any]:
    """The sites of the organisations the user may create for (a form is prefilled only with
    those: a record may only name records of its own organisation)."""
    return site_list(user=request.user).filter(
        organisation__in=writable_organisations(request.user)
    )


def _form_organisations(request: HttpRequest, instance: Any) -> QuerySet[Any]:
    """The organisations a form is for: the record's own once it exists (fixed), else those
    the user may create for. Its choices (sites, stakeholders, ...) are only theirs, since a
    record may only name records of its own organisation."""
    if instance is not None:
        return organisations_with_ids(instance.organisation_id)
    return writable_organisations(request.user)


def _stakeholder_form(
    request: HttpRequest, instance: Stakeholder | None, initial: dict[str, Any] | None = None
) -> StakeholderForm:
    organisations = _form_organisations(request, instance)
    return StakeholderForm(
        request.POST or None,
        instance=instance,
        initial=initial or {},
        organisations=organisations,
        sites=site_list(user=request.user).filter(organisation__in=organisations).order_by("name"),
        complexes=complex_list(user=request.user)
        .filter(organisation__in=organisations)
        .order_by("name"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_create(request: HttpRequest) -> HttpResponse:
    if not writable_organisations(request.user).exists():
        raise PermissionDenied
    form = _stakeholder_form(request, None, _suggested(request))
    created = submit(
        request,
        form,
        lambda data: services.stakeholder_create(actor=request.user, **data),
        success=_("The stakeholder has been saved."),
    )
    if created is not None:
        return redirect("communication:stakeholder_list")
    return render(
        request, "communication/stakeholder_form.html", {"form": form, "stakeholder": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_update(request: HttpRequest, pk: int) -> HttpResponse:
    stakeholder = _stakeholder(request, pk)
    may_change = can_change(request.user, stakeholder)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    form = _stakeholder_form(request, _stakeholder(request, pk))
    form.fields["organisation"].disabled = True

    def change(data: dict[str, Any]) -> Stakeholder:
        data.pop("organisation", None)
        return services.stakeholder_update(actor=request.user, stakeholder=stakeholder, **data)

    if submit(request, form, change, success=_("The stakeholder has been changed.")) is not None:
        return redirect("communication:stakeholder_list")
    context: dict[str, Any] = {"form": form, "stakeholder": stakeholder, "may_change": may_change}
    if not may_change:  # what the read-only page shows besides the grid position
        context["track_labels"] = [Track(track).label for track in stakeholder.tracks]
        context["linked_sites"] = site_list(user=request.user).filter(
            pk__in=stakeholder.sites.values("pk")
        )
        context["linked_complexes"] = complex_list(user=request.user).filter(
            pk__in=stakeholder.complexes.values("pk")
        )
    return render(request, "communication/stakeholder_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_delete(request: HttpRequest, pk: int) -> HttpResponse:
    stakeholder = _stakeholder(request, pk)
    if not can_change(request.user, stakeholder):
        raise PermissionDenied
    if request.method == "POST":
        services.stakeholder_delete(actor=request.user, stakeholder=stakeholder)
        messages.success(request, _("The stakeholder has been deleted."))
        return redirect("communication:stakeholder_list")
    return render(
        request,
        "communication/confirm_delete.html",
        {"record": stakeholder, "back": "communication:stakeholder_list"},
    )


@login_required
@require_http_methods(["POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    """Draw up the plan of a track (an empty draft) for the user's organisation."""
    track = request.POST.get("track", "")
    organisation = primary_organisation(request.user)
    if track not in Track.values or organisation is None:
        raise Http404
    if not may_create_in(request.user, organisation):
        raise PermissionDenied
    plan = services.plan_save(actor=request.user, organisation=organisation, track=track)
    return redirect("communication:plan_update", pk=plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def plan_update(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_list(user=request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    organisation, track = plan.organisation, plan.track
    may_change = can_change(request.user, plan)
    stakeholders = list(
        selectors.stakeholder_list(user=request.user).filter(organisation=organisation)
    )
    if request.method == "POST" and request.POST.get("part") == "levels":
        if not may_change:
            raise PermissionDenied
        chosen = {s: request.POST.get(f"level-{s.pk}") or None for s in stakeholders}
        levels = {s: v if v in ParticipationLevel.values else None for s, v in chosen.items()}
        services.plan_audiences_set(actor=request.user, plan=plan, levels=levels)
        messages.success(request, _("The participation levels have been saved."))
        return redirect("communication:plan_update", pk=plan.pk)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        saved = submit(
            request,
            form,
            lambda data: services.plan_save(
                actor=request.user, organisation=organisation, track=track, **data
            ),
            success=_("The communication plan has been saved."),
        )
        if saved is not None:
            return redirect("communication:plan_update", pk=plan.pk)
    current = {a.stakeholder_id: a.level for a in selectors.plan_audiences(plan=plan)}
    moments = list(
        selectors.moment_list(user=request.user).filter(organisation=organisation, track=track)
    )
    dates = selectors.moment_dates(user=request.user, moments=moments, today=timezone.localdate())
    return render(
        request,
        "communication/plan_form.html",
        {
            "form": form,
            "plan": plan,
            "track_label": Track(track).label,
            "levels": ParticipationLevel.choices,
            "audience": [(s, current.get(s.pk, "")) for s in stakeholders],
            "may_change": may_change,
            "moments": [(m, dates[m.pk]) for m in sorted(moments, key=lambda m: dates[m.pk].day)],
        },
    )


@login_required
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan as a Word document for the college: goals, key messages, participation per
    stakeholder, the moments on their current dates and what was heard and done."""
    plan = selectors.plan_list(user=request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    today = timezone.localdate()
    moments = list(
        selectors.moment_list(user=request.user)
        .filter(organisation=plan.organisation, track=plan.track)
        .prefetch_related("audience", "log_entries__follow_ups")
    )
    dates = selectors.moment_dates(user=request.user, moments=moments, today=today)
    content = plan_docx(
        plan=plan,
        audiences=list(selectors.plan_audiences(plan=plan)),
        moments=[(m, dates[m.pk]) for m in moments],
        today=today,
    )
    name = slugify(_("communication plan %(track)s") % {"track": plan.get_track_display()})
    return download(content, f"{name}-{today.isoformat()}.docx")


@login_required
def moment_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    queryset = selectors.moment_list(user=request.user)
    track, status = request.GET.get("spoor", ""), request.GET.get("status", "")
    if track:
        queryset = queryset.filter(track=track)
    if status:
        queryset = queryset.filter(status=status)
    # ordered by the current date: a moment tied to a milestone may have moved past others
    moments = list(queryset)
    dates = selectors.moment_dates(user=request.user, moments=moments, today=today)
    moments.sort(key=lambda m: (dates[m.pk].day, m.pk))
    page = Paginator(moments, PAGE_SIZE).get_page(request.GET.get("page"))
    moments = list(page.object_list)
    return render(
        request,
        "communication/moment_list.html",
        {
            "page": page,
            "rows": [(m, dates[m.pk]) for m in moments],
            "track": track,
            "status": status,
            "tracks": Track.choices,
            "statuses": MomentStatus.choices,
            "today": today,
            "may_create": writable_organisations(request.user).exists(),
        },
    )


def _month(raw: str | None, today: date) -> date:
    """The first day of the month in ``?maand=2027-03``; this month when absent or wrong."""
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        return date(year, month, 1) if 2000 <= year <= 2099 else today.replace(day=1)
    except ValueError:
        return today.replace(day=1)


@login_required
def moment_calendar(request: HttpRequest) -> HttpResponse:
    """All moments across the tracks in a month, one week a row (Monday first)."""
    today = timezone.localdate()
    first = _month(request.GET.get("maand"), today)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    track = request.GET.get("spoor", "")
    track = track if track in Track.values else ""
    rows = selectors.moments_between(
        user=request.user, first=first, last=last, today=today, track=track
    )
    by_day: dict[date, list[tuple[Moment, selectors.MomentDate]]] = {}
    for moment, when in rows:
        by_day.setdefault(when.day, []).append((moment, when))
    weeks = [
        [(day, by_day.get(day, [])) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    return render(
        request,
        "communication/moment_calendar.html",
        {
            "first": first,
            "weeks": weeks,
            "count": len(rows),
            "previous": f"{previous:%Y-%m}" if previous.year >= 2000 else None,
            "next": f"{following:%Y-%m}" if following.year <= 2099 else None,
            "this_month": f"{today:%Y-%m}",
            "today": today,
            "track": track,
            "tracks": Track.choices,
        },
    )


def _moment_form(
    request: HttpRequest, instance: Moment | None, initial: dict[str, Any], *, bound: bool = True
) -> MomentForm:
    user = request.user
    organisations = _form_organisations(request, instance)
    return MomentForm(
        (request.POST or None) if bound else None,
        instance=instance,
        initial=initial,
        organisations=organisations,
        choices={
            "audience": selectors.stakeholder_list(user=user)
            .filter(organisation__in=organisations)
            .order_by("name"),
            "site": site_list(user=user).filter(organisation__in=organisations).order_by("name"),
            "complex": complex_list(user=user)
            .filter(organisation__in=organisations)
            .order_by("name"),
            "milestone": milestone_choices(user=user).filter(
                programme__organisation__in=organisations
            ),
            "decision": decision_list(user=user)
            .filter(organisation__in=organisations)
            .order_by("-decided_on"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def moment_create(request: HttpRequest) -> HttpResponse:
    if not writable_organisations(request.user).exists():
        raise PermissionDenied
    initial: dict[str, Any] = {}
    chosen = object_id(request.GET.get("locatie"))
    site = _own_sites(request).filter(pk=chosen).first() if chosen else None
    if site is not None:
        initial.update(
            site=site,
            kind="information_evening",
            title=_("Information evening %(site)s") % {"site": site.name},
        )
    form = _moment_form(request, None, initial)
    created = submit(
        request,
        form,
        lambda data: services.moment_create(actor=request.user, **data),
        success=_("The moment has been saved."),
    )
    if created is not None:
        return redirect("communication:moment_list")
    return render(request, "communication/moment_form.html", {"form": form, "moment": None})


@login_required
@require_http_methods(["GET", "POST"])
def moment_update(request: HttpRequest, pk: int) -> HttpResponse:
    moment = _moment(request, pk)
    may_change = can_change(request.user, moment)
    part = request.POST.get("part", "moment")
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = _moment_form(request, _moment(request, pk), {}, bound=part == "moment")
    form.fields["organisation"].disabled = True
    log_form = LogEntryForm(data if part == "log" else None)
    follow_ups = FollowUpFormSet(data if part == "log" else None, prefix="follow")
    if part == "done" and request.method == "POST":
        chosen = object_id(request.POST.get("follow_up"))
        found = selectors.follow_up_list(user=request.user).filter(entry__moment=moment)
        item = found.filter(pk=chosen).first() if chosen else None
        if item is None:
            raise Http404
        services.follow_up_set_done(
            actor=request.user, follow_up=item, done=request.POST.get("done") == "1"
        )
        messages.success(request, _("The follow-up action has been updated."))
        return redirect("communication:moment_update", pk=pk)
    if part == "log" and request.method == "POST":
        if log_form.is_valid() and follow_ups.is_valid():
            actions = [f.cleaned_data for f in follow_ups if f.cleaned_data]
            saved = submit(
                request,
                log_form,
                lambda values: services.log_entry_create(
                    actor=request.user, moment=moment, follow_ups=actions, **values
                ),
                success=_("The log entry has been saved."),
            )
            if saved is not None:
                return redirect("communication:moment_update", pk=pk)
    elif part == "moment":

        def change(values: dict[str, Any]) -> Moment:
            values.pop("organisation", None)
            typed = values.get("date")
            saved = services.moment_update(actor=request.user, moment=moment, **values)
            if saved.milestone_id and typed is not None and typed != saved.date:
                messages.info(
                    request,
                    _("The moment follows its milestone, so it falls on %(day)s.")
                    % {"day": saved.date.strftime("%d-%m-%Y")},
                )
            return saved

        if submit(request, form, change, success=_("The moment has been changed.")) is not None:
            return redirect("communication:moment_list")
    dates = selectors.moment_dates(user=request.user, moments=[moment], today=timezone.localdate())
    if not form.is_bound and dates[moment.pk].moved:
        form.initial["date"] = dates[moment.pk].day  # where the milestone now puts it
    return render(
        request,
        "communication/moment_form.html",
        {
            "form": form,
            "moment": moment,
            "when": dates[moment.pk],
            "may_change": may_change,
            "entries": selectors.log_entries(moment=moment),
            "log_form": log_form,
            "follow_ups": follow_ups,
            "today": timezone.localdate(),
            # for the read-only page: the site and complex as far as the user may see them
            "linked_site": site_list(user=request.user).filter(pk=moment.site_id).first()
            if moment.site_id and not may_change
            else None,
            "linked_complex": complex_list(user=request.user).filter(pk=moment.complex_id).first()
            if moment.complex_id and not may_change
            else None,
        },
    )


def _moment_delete_effect(moment: Moment) -> str:
    entries = selectors.log_entries(moment=moment)
    count = entries.count()
    if not count:
        return ""
    actions = sum(len(entry.follow_ups.all()) for entry in entries)
    return ngettext(
        "Its participation log goes with it: %(entries)s entry with %(actions)s follow-up actions.",
        "Its participation log goes with it: %(entries)s entries with %(actions)s follow-up "
        "actions.",
        count,
    ) % {"entries": format_number(count), "actions": format_number(actions)}


@login_required
@require_http_methods(["GET", "POST"])
def moment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    moment = _moment(request, pk)
    if not can_change(request.user, moment):
        raise PermissionDenied
    if request.method == "POST":
        services.moment_delete(actor=request.user, moment=moment)
        messages.success(request, _("The moment has been deleted."))
        return redirect("communication:moment_list")
    return render(
        request,
        "communication/confirm_delete.html",
        {
            "record": moment,
            "back": "communication:moment_list",
            "effect": _moment_delete_effect(moment),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def neighbourhood_list(request: HttpRequest) -> HttpResponse:
    """The municipality's neighbourhoods (to suggest the stakeholders around a site), with the
    GeoJSON import for who may write."""
    organisation = primary_organisation(request.user)
    may_import = may_create_in(request.user, organisation)
    form = UploadForm(request.POST or None, request.FILES or None, extensions=(".geojson", ".json"))
    errors: list[str] = []
    if request.method == "POST":
        if not may_import or organisation is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                done = services.neighbourhoods_import(
                    actor=request.user,
                    organisation=organisation,
                    content=form.cleaned_data["file"].read(),
                )
            except ImportRejected as rejected:
                errors = [str(error) for error in rejected.errors]
            else:
                messages.success(
                    request,
                    _("Neighbourhoods imported: %(created)s new, %(updated)s changed.")
                    % {
                        "created": format_number(done.created),
                        "updated": format_number(done.updated),
                    },
                )
                return redirect("communication:neighbourhood_list")
    queryset = selectors.neighbourhood_list(user=request.user).order_by("name")
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "communication/neighbourhood_list.html",
        {
            "page": page,
            "form": form,
            "errors": errors,
            "may_import": may_import,
            "own": queryset.filter(organisation=organisation).count() if organisation else 0,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def neighbourhood_remove(request: HttpRequest) -> HttpResponse:
    """Remove the whole list of the user's municipality, after confirmation."""
    organisation = primary_organisation(request.user)
    if organisation is None or not may_create_in(request.user, organisation):
        raise PermissionDenied
    if request.method == "POST":
        removed = services.neighbourhoods_remove(actor=request.user, organisation=organisation)
        messages.success(
            request,
            ngettext(
                "%(count)s neighbourhood has been removed.",
                "%(count)s neighbourhoods have been removed.",
                removed,
            )
            % {"count": format_number(removed)},
        )
        return redirect("communication:neighbourhood_list")
    count = selectors.neighbourhood_list(user=request.user).filter(organisation=organisation)
    return render(
        request,
        "communication/neighbourhood_confirm_remove.html",
        {"count": count.count(), "organisation": organisation},
    )
