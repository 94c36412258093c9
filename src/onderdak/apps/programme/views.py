"""The decision log pages (under Planning): list, detail, create, change, delete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from onderdak.apps.accounts.selectors import can_change, writable_organisations
from onderdak.apps.audit.selectors import audit_for_object
from onderdak.common.forms import submit
from onderdak.common.tables import Column, table_or_export

from . import selectors, services
from .forms import DecisionForm
from .models import Decision

COLUMNS = (
    Column("decided_on", gettext_lazy("Date"), lambda d: d.decided_on, "decided_on"),
    Column("title", gettext_lazy("Title"), lambda d: d.title, "title"),
    Column("body", gettext_lazy("Decided by"), lambda d: d.get_body_display(), "body"),
    Column("track", gettext_lazy("Track"), lambda d: d.get_track_display(), "track"),
    Column(
        "organisation",
        gettext_lazy("Organisation"),
        lambda d: d.organisation.name,
        "organisation__name",
    ),
    Column("shared", gettext_lazy("Shared"), lambda d: _("yes") if d.shared else _("no"), "shared"),
)
SEARCH_FIELDS = ("title", "summary", "reference", "organisation__name")


def _get(request: HttpRequest, pk: int) -> Decision:
    try:
        return selectors.decision_get(user=request.user, pk=pk)
    except Decision.DoesNotExist:
        raise Http404 from None


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.decision_list(user=request.user)
    track = request.GET.get("track", "")
    if track:
        queryset = queryset.filter(track=track)
    state, export = table_or_export(
        request,
        queryset,
        columns=COLUMNS,
        search_fields=SEARCH_FIELDS,
        default_sort="-decided_on",
        export_name="besluiten",
    )
    if export:
        return export
    return render(
        request,
        "programme/decision_list.html",
        {
            "table": state,
            "track": track,
            "tracks": Decision._meta.get_field("track").choices,
            "can_create": writable_organisations(request.user).exists(),
        },
    )


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _get(request, pk)
    history = audit_for_object(
        user=request.user, object_type="programme.Decision", object_id=str(pk)
    )
    return render(
        request,
        "programme/decision_detail.html",
        {
            "decision": decision,
            "can_change": can_change(request.user, decision),
            "history": history,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest) -> HttpResponse:
    organisations = writable_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = DecisionForm(request.POST or None, organisations=organisations)
    decision = submit(
        request,
        form,
        lambda data: services.decision_create(actor=request.user, **data),
        success=_("The decision has been saved."),
    )
    if decision is not None:
        return redirect("programme:decision_detail", pk=decision.pk)
    return render(request, "programme/decision_form.html", {"form": form, "decision": None})


@login_required
@require_http_methods(["GET", "POST"])
def decision_update(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _get(request, pk)
    if not can_change(request.user, decision):
        raise PermissionDenied
    form = DecisionForm(
        request.POST or None,
        instance=selectors.decision_get(user=request.user, pk=pk),
        organisations=writable_organisations(request.user)
        | type(decision.organisation).objects.filter(pk=decision.organisation_id),
    )

    def change(data: dict[str, Any]) -> Decision:
        data.pop("organisation", None)
        return services.decision_update(actor=request.user, decision=decision, **data)

    if submit(request, form, change, success=_("The decision has been changed.")) is not None:
        return redirect("programme:decision_detail", pk=decision.pk)
    return render(request, "programme/decision_form.html", {"form": form, "decision": decision})


@login_required
@require_http_methods(["GET", "POST"])
def decision_delete(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _get(request, pk)
    if not can_change(request.user, decision):
        raise PermissionDenied
    if request.method == "POST":
        services.decision_delete(actor=request.user, decision=decision)
        messages.success(request, _("The decision has been deleted."))
        return redirect("programme:decision_list")
    return render(request, "programme/decision_confirm_delete.html", {"decision": decision})
