"""The plan's pages: the table with inline editing, and the forms for the programme, its
tracks, tasks, dependencies and baselines. Reads through selectors, writes through services;
a service's refusal (a cycle, a code used twice) is shown on the form, nothing is written."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onderdak.apps.accounts.selectors import can_change
from onderdak.apps.audit.selectors import audit_for_object
from onderdak.apps.housing.selectors import complex_list
from onderdak.apps.sites.selectors import site_list
from onderdak.common.forms import add_model_errors, object_id, submit

from . import selectors, services
from .forms import BaselineForm, LinkForm, ProgrammeForm, TaskForm, TaskRowForm, TrackForm
from .models import Baseline, PlanLink, PlanTask, Programme, ProgrammeTrack

PAGE_SIZE = 100
ROW_FIELDS = tuple(TaskRowForm.base_fields)


def programme_or_404(request: HttpRequest) -> Programme:
    """The programme the user is shown (their own, or the region's they coordinate), or 404."""
    programme = selectors.programme_shown(user=request.user)
    if programme is None:
        raise Http404
    return programme


def _changeable(request: HttpRequest) -> Programme:
    programme = programme_or_404(request)
    if not can_change(request.user, programme):
        raise PermissionDenied
    return programme


def _task(request: HttpRequest, programme: Programme, pk: int) -> PlanTask:
    task = selectors.task_list(user=request.user).filter(programme=programme, pk=pk).first()
    if task is None:
        raise Http404
    return task


def _link(request: HttpRequest, programme: Programme, pk: int) -> PlanLink:
    link = selectors.link_list(user=request.user).filter(programme=programme, pk=pk).first()
    if link is None:
        raise Http404
    return link


def _row_initial(task: PlanTask) -> dict[str, Any]:
    return {name: getattr(task, name) for name in ROW_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def plan_table(request: HttpRequest) -> HttpResponse:
    """Every task with its scheduled dates; an editor changes name, duration, owner, progress
    and actual dates in place and saves the page at once (all rows or none)."""
    programme = selectors.programme_shown(user=request.user)
    if programme is None:
        return render(
            request,
            "programme/plan_table.html",
            {
                "programme": None,
                "may_create": selectors.organisation_to_start_programme(user=request.user)
                is not None,
            },
        )
    may_change = can_change(request.user, programme)
    kind = request.GET.get("spoor", "")
    track = programme.tracks.filter(kind=kind).first() if kind else None
    query = request.GET.get("q", "").strip()
    view = selectors.plan_view(programme=programme, track=track, today=timezone.localdate())
    rows = [
        r
        for r in view.rows
        if not query or query.lower() in f"{r.task.code} {r.task.name} {r.task.owner}".lower()
    ]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    forms_by_pk = {
        row.task.pk: TaskRowForm(
            request.POST if request.method == "POST" else None,
            prefix=f"t{row.task.pk}",
            initial=_row_initial(row.task),
        )
        for row in shown
    }
    for row in shown:
        for field in forms_by_pk[row.task.pk].fields.values():
            field.widget.attrs["aria-label"] = f"{field.label} {row.task.code} {row.task.name}"
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if all(form.is_valid() for form in forms_by_pk.values()):
            changed = _save_rows(request, shown, forms_by_pk)
            if changed is not None:
                if changed:
                    messages.success(
                        request, _("%(count)s tasks have been changed.") % {"count": changed}
                    )
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect(request.get_full_path())
    return render(
        request,
        "programme/plan_table.html",
        {
            "programme": programme,
            "view": view,
            "track": track,
            "tracks": programme.tracks.all(),
            "query": query,
            "page": page,
            "rows": [(row, forms_by_pk[row.task.pk]) for row in shown],
            "may_change": may_change,
            "has_errors": any(form.errors for form in forms_by_pk.values()),
        },
    )


def _save_rows(
    request: HttpRequest, rows: list[selectors.PlanRow], forms_by_pk: dict[int, TaskRowForm]
) -> int | None:
    """Save every changed row in one transaction; ``None`` when a service refused one (its
    error is on that row's form and nothing is written)."""
    changed = 0
    current: TaskRowForm | None = None
    try:
        with transaction.atomic():
            for row in rows:
                form = forms_by_pk[row.task.pk]
                if not form.has_changed():
                    continue
                changes = {name: form.cleaned_data[name] for name in form.changed_data}
                current = form
                services.task_update(actor=request.user, task=row.task, **changes)
                changed += 1
    except ValidationError as error:
        assert current is not None
        add_model_errors(current, error)
        return None
    return changed


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    if selectors.programme_shown(user=request.user) is not None:
        return redirect("programme:programme_update")
    organisation = selectors.organisation_to_start_programme(user=request.user)
    if organisation is None:
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None)
    programme = submit(
        request,
        form,
        lambda data: services.programme_create(
            actor=request.user, organisation=organisation, **data
        ),
        success=_("The programme has been created with its four tracks."),
    )
    if programme is not None:
        return redirect("programme:plan")
    return render(request, "programme/plan_form.html", {"form": form, "kind": "programme_new"})


@login_required
@require_http_methods(["GET", "POST"])
def programme_update(request: HttpRequest) -> HttpResponse:
    programme = _changeable(request)
    form = ProgrammeForm(request.POST or None, instance=programme)
    done = submit(
        request,
        form,
        lambda data: services.programme_update(actor=request.user, programme=programme, **data),
        success=_("The programme has been changed."),
    )
    if done is not None:
        return redirect("programme:overview")
    programme.refresh_from_db()
    return render(
        request,
        "programme/plan_form.html",
        {"form": form, "kind": "programme", "programme": programme},
    )


@login_required
@require_http_methods(["GET", "POST"])
def track_update(request: HttpRequest, kind: str) -> HttpResponse:
    programme = _changeable(request)
    track = programme.tracks.filter(kind=kind).first()
    if track is None:
        raise Http404
    form = TrackForm(request.POST or None, instance=track)

    def change(data: dict[str, Any]) -> ProgrammeTrack:
        return services.track_update(actor=request.user, track=track, **data)

    if submit(request, form, change, success=_("The track has been changed.")) is not None:
        return redirect("programme:overview")
    return render(
        request, "programme/plan_form.html", {"form": form, "kind": "track", "track": track}
    )


def _task_form(request: HttpRequest, programme: Programme, task: PlanTask | None) -> TaskForm:
    initial: dict[str, Any] = {}
    if task is None and request.GET.get("spoor"):
        initial["track"] = programme.tracks.filter(kind=request.GET["spoor"]).first()
    return TaskForm(
        request.POST or None,
        instance=task,
        initial=initial,
        programme=programme,
        sites=site_list(user=request.user),
        complexes=complex_list(user=request.user),
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest) -> HttpResponse:
    programme = _changeable(request)
    form = _task_form(request, programme, None)
    task = submit(
        request,
        form,
        lambda data: services.task_create(actor=request.user, programme=programme, **data),
        success=_("The task has been added."),
    )
    if task is not None:
        return redirect("programme:task_detail", pk=task.pk)
    return render(request, "programme/plan_form.html", {"form": form, "kind": "task_new"})


@login_required
@require_http_methods(["GET", "POST"])
def task_update(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _changeable(request)
    task = _task(request, programme, pk)
    # the form validates onto its own copy, so the service audits the changes against the
    # task as stored (as decision_update does)
    form = _task_form(request, programme, _task(request, programme, pk))

    def change(data: dict[str, Any]) -> PlanTask:
        return services.task_update(actor=request.user, task=task, **data)

    if submit(request, form, change, success=_("The task has been changed.")) is not None:
        return redirect("programme:task_detail", pk=task.pk)
    return render(request, "programme/plan_form.html", {"form": form, "kind": "task", "task": task})


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_or_404(request)
    task = _task(request, programme, pk)
    view = selectors.plan_view(programme=programme, today=timezone.localdate())
    row = next((r for r in view.rows if r.task.pk == task.pk), None)
    links = selectors.link_list(user=request.user).filter(programme=programme)
    return render(
        request,
        "programme/task_detail.html",
        {
            "task": task,
            "row": row,
            "view": view,
            "incoming": links.filter(successor=task).select_related("predecessor"),
            "outgoing": links.filter(predecessor=task).select_related("successor"),
            "may_change": can_change(request.user, programme),
            "history": audit_for_object(
                user=request.user, object_type="programme.PlanTask", object_id=str(pk), limit=20
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_delete(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _changeable(request)
    task = _task(request, programme, pk)
    links = selectors.link_list(user=request.user).filter(programme=programme)
    affected = list(links.filter(predecessor=task) | links.filter(successor=task))
    if request.method == "POST":
        services.task_delete(actor=request.user, task=task)
        messages.success(request, _("The task and its dependencies have been deleted."))
        return redirect("programme:plan")
    return render(request, "programme/task_confirm_delete.html", {"task": task, "links": affected})


@login_required
@require_http_methods(["GET", "POST"])
def link_create(request: HttpRequest) -> HttpResponse:
    programme = _changeable(request)
    initial: dict[str, Any] = {}
    for name, key in (("predecessor", "van"), ("successor", "naar")):
        chosen = object_id(request.GET.get(key))
        if chosen is not None:
            initial[name] = programme.tasks.filter(pk=chosen).first()
    form = LinkForm(request.POST or None, initial=initial, programme=programme)
    link = submit(
        request,
        form,
        lambda data: services.link_create(actor=request.user, programme=programme, **data),
        success=_("The dependency has been added."),
    )
    if link is not None:
        return redirect("programme:task_detail", pk=link.successor_id)
    return render(request, "programme/plan_form.html", {"form": form, "kind": "link_new"})


@login_required
@require_http_methods(["GET", "POST"])
def link_update(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _changeable(request)
    link = _link(request, programme, pk)
    form = LinkForm(
        request.POST or None, instance=_link(request, programme, pk), programme=programme
    )

    def change(data: dict[str, Any]) -> PlanLink:
        return services.link_update(actor=request.user, link=link, **data)

    if submit(request, form, change, success=_("The dependency has been changed.")) is not None:
        return redirect("programme:task_detail", pk=link.successor_id)
    return render(request, "programme/plan_form.html", {"form": form, "kind": "link", "link": link})


@login_required
@require_POST
def link_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Deleting one dependency is small and undone by adding it again; the button sits on the
    task page beside the dependency it removes, and the audit trail keeps it."""
    programme = _changeable(request)
    link = _link(request, programme, pk)
    back = link.successor_id
    services.link_delete(actor=request.user, link=link)
    messages.success(request, _("The dependency has been deleted."))
    return redirect("programme:task_detail", pk=back)


@login_required
@require_http_methods(["GET", "POST"])
def baseline_list(request: HttpRequest) -> HttpResponse:
    programme = programme_or_404(request)
    may_change = can_change(request.user, programme)
    today = timezone.localdate()
    form = BaselineForm(request.POST or None, initial={"adopted_on": today})
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        baseline = submit(
            request,
            form,
            lambda data: services.baseline_save(
                actor=request.user, programme=programme, today=today, **data
            ),
            success=_("The baseline has been saved."),
        )
        if baseline is not None:
            return redirect("programme:baseline_list")
    baselines = selectors.baseline_list(user=request.user).filter(programme=programme)
    return render(
        request,
        "programme/baseline_list.html",
        {"baselines": baselines, "form": form, "may_change": may_change},
    )


@login_required
@require_http_methods(["GET", "POST"])
def baseline_delete(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _changeable(request)
    baseline: Baseline | None = (
        selectors.baseline_list(user=request.user).filter(programme=programme, pk=pk).first()
    )
    if baseline is None:
        raise Http404
    if request.method == "POST":
        services.baseline_delete(actor=request.user, baseline=baseline)
        messages.success(request, _("The baseline has been deleted."))
        return redirect("programme:baseline_list")
    return render(request, "programme/baseline_confirm_delete.html", {"baseline": baseline})
