"""The plan in and out: the exchange page (downloads, the Excel import, the calendar link),
the downloads themselves and the milestone calendar feed. Reads through selectors, writes
through services; an import that is refused shows every problem and writes nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onderdak.apps.accounts.selectors import can_change
from onderdak.apps.communication.selectors import calendar_entries
from onderdak.common.exports import download
from onderdak.common.forms import UploadForm
from onderdak.common.imports import ImportRejected
from onderdak.common.urls import reverse

from . import exchange as formats
from . import selectors, services
from .models import PlanLink, Programme, Track
from .plan_views import programme_or_404


def _name(programme: Programme, extension: str) -> str:
    return f"{slugify(programme.name) or 'planning'}.{extension}"


def _view_and_links(
    programme: Programme, kind: str | None = None
) -> tuple[selectors.PlanView, list[PlanLink]]:
    track = programme.tracks.filter(kind=kind).first() if kind else None
    view = selectors.plan_view(programme=programme, track=track, today=timezone.localdate())
    return view, list(PlanLink.objects.filter(programme=programme).order_by("pk"))


@login_required
@require_http_methods(["GET", "POST"])
def exchange_page(request: HttpRequest) -> HttpResponse:
    programme = programme_or_404(request)
    may_change = can_change(request.user, programme)
    form = UploadForm(request.POST or None, request.FILES or None, extensions=(".xlsx",))
    errors = None
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.plan_import(
                    actor=request.user,
                    programme=programme,
                    content=upload.read(),
                    filename=upload.name,
                )
            except ImportRejected as rejection:
                errors = rejection.errors
            else:
                messages.success(
                    request,
                    _(
                        "Imported: %(created)s tasks added, %(updated)s changed; "
                        "%(links_created)s dependencies added, %(links_updated)s changed."
                    )
                    % {
                        "created": result.created,
                        "updated": result.updated,
                        "links_created": result.links_created,
                        "links_updated": result.links_updated,
                    },
                )
                return redirect("programme:plan")
    feeds = []
    if programme.calendar_token:
        for kind in ("alles", *Track.values):
            path = reverse(
                "programme:calendar_feed",
                kwargs={"token": programme.calendar_token, "kind": kind},
            )
            label = _("All tracks") if kind == "alles" else Track(kind).label
            feeds.append((label, request.build_absolute_uri(path)))
    return render(
        request,
        "programme/exchange.html",
        {
            "programme": programme,
            "form": form,
            "errors": errors,
            "may_change": may_change,
            "feeds": feeds,
            "tracks": Track.choices,
        },
    )


@login_required
def plan_xlsx(request: HttpRequest) -> HttpResponse:
    programme = programme_or_404(request)
    view, links = _view_and_links(programme)
    return download(formats.plan_workbook(view, links), _name(programme, "xlsx"))


@login_required
def plan_mspdi(request: HttpRequest) -> HttpResponse:
    programme = programme_or_404(request)
    view, links = _view_and_links(programme)
    if view.error:
        messages.error(request, view.error)
        return redirect("programme:exchange")
    return download(formats.mspdi(view, links), _name(programme, "xml"))


def _kind(raw: str | None) -> str | None:
    if raw in (None, "", "alles"):
        return None
    if raw not in Track.values:
        raise Http404
    return raw


@login_required
def milestones_ics(request: HttpRequest) -> HttpResponse:
    programme = programme_or_404(request)
    kind = _kind(request.GET.get("spoor"))
    view, _links = _view_and_links(programme, kind)
    name = programme.name if kind is None else f"{programme.name}: {Track(kind).label}"
    events = calendar_entries(
        organisation=programme.organisation,
        track=kind,
        milestones=formats.milestone_days(view),
        user=request.user,
    )
    text = formats.milestones_ical(view, name=name, host=request.get_host(), events=events)
    return download(text, _name(programme, "ics"))


@login_required
@require_http_methods(["GET", "POST"])
def calendar_link(request: HttpRequest) -> HttpResponse:
    """Make, renew or remove the calendar link; renewing or removing an existing one stops
    every subscribed calendar, so that asks for confirmation first (GET shows what happens)."""
    programme = programme_or_404(request)
    if not can_change(request.user, programme):
        raise PermissionDenied
    action = request.POST.get("action") or request.GET.get("action") or "renew"
    if action not in ("renew", "remove"):
        raise Http404
    if request.method == "GET":
        if not programme.calendar_token:
            return redirect("programme:exchange")
        return render(
            request,
            "programme/calendar_link_confirm.html",
            {"programme": programme, "action": action},
        )
    if action == "remove":
        services.calendar_link_remove(actor=request.user, programme=programme)
        messages.success(request, _("The calendar link has been removed."))
    else:
        services.calendar_link_renew(actor=request.user, programme=programme)
        messages.success(
            request, _("A new calendar link has been made; an earlier one no longer works.")
        )
    return redirect("programme:exchange")


def calendar_feed(request: HttpRequest, token: str, kind: str) -> HttpResponse:
    """The milestones and communication moments as an iCalendar feed for calendar apps (no login: the secret key in the
    address is the access; a wrong key is a 404)."""
    programme = selectors.programme_by_calendar_token(token)
    if programme is None:
        raise Http404
    track = _kind(kind)
    view, _links = _view_and_links(programme, track)
    name = programme.name if track is None else f"{programme.name}: {Track(track).label}"
    events = calendar_entries(
        organisation=programme.organisation, track=track, milestones=formats.milestone_days(view)
    )
    text = formats.milestones_ical(view, name=name, host=request.get_host(), events=events)
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
