"""Schedule risk and directive readiness pages: start an analysis (the form on the list), read
a stored one, delete it after confirmation. Reads through selectors, writes through services;
a refusal (a plan that cannot be computed, a date in the past) is shown on the form."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onderdak.apps.accounts.selectors import can_change
from onderdak.common.forms import submit

from . import selectors, services
from .forms import ReadinessCheckForm, RiskRunForm
from .models import Programme, ReadinessCheck, RiskRun

PAGE_SIZE = 25


def _programme(request: HttpRequest) -> Programme:
    programme = selectors.programme_shown(user=request.user)
    if programme is None:
        raise Http404
    return programme


def _run(request: HttpRequest, pk: int) -> tuple[Programme, RiskRun]:
    programme = _programme(request)
    run = selectors.risk_run_list(user=request.user).filter(programme=programme, pk=pk).first()
    if run is None:
        raise Http404
    return programme, run


def _check(request: HttpRequest, pk: int) -> tuple[Programme, ReadinessCheck]:
    programme = _programme(request)
    check = (
        selectors.readiness_check_list(user=request.user).filter(programme=programme, pk=pk).first()
    )
    if check is None:
        raise Http404
    return programme, check


@login_required
@require_http_methods(["GET", "POST"])
def risk_run_list(request: HttpRequest) -> HttpResponse:
    programme = _programme(request)
    may_change = can_change(request.user, programme)
    form = RiskRunForm(
        request.POST or None, initial={"runs": 10000, "seed": 1, "target_date": None}
    )
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        run = submit(
            request,
            form,
            lambda data: services.risk_run_create(
                actor=request.user, programme=programme, today=timezone.localdate(), **data
            ),
            success=_("The schedule risk analysis has been run and saved."),
        )
        if run is not None:
            return redirect("programme:risk_run_detail", pk=run.pk)
    runs = selectors.risk_run_list(user=request.user).filter(programme=programme)
    page = Paginator(runs.select_related("created_by"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programme/risk_run_list.html",
        {"programme": programme, "page": page, "form": form, "may_change": may_change},
    )


@login_required
def risk_run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme, run = _run(request, pk)
    finish = run.result.get("finish", {})
    return render(
        request,
        "programme/risk_run_detail.html",
        {
            "programme": programme,
            "run": run,
            "finish": selectors.dated(finish),
            "milestones": [selectors.dated(item) for item in run.result.get("milestones", [])],
            "criticality": run.result.get("criticality", []),
            "histogram": selectors.finish_histogram(
                run.result.get("histogram", []),
                marks={
                    "P50": finish.get("p50"),
                    "P80": finish.get("p80"),
                    "P90": finish.get("p90"),
                },
                target=finish.get("target"),
            ),
            "may_change": can_change(request.user, programme),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_run_delete(request: HttpRequest, pk: int) -> HttpResponse:
    programme, run = _run(request, pk)
    if not can_change(request.user, programme):
        raise PermissionDenied
    if request.method == "POST":
        services.risk_run_delete(actor=request.user, run=run)
        messages.success(request, _("The schedule risk analysis has been deleted."))
        return redirect("programme:risk_run_list")
    return render(request, "programme/risk_run_confirm_delete.html", {"run": run})


@login_required
@require_http_methods(["GET", "POST"])
def readiness_list(request: HttpRequest) -> HttpResponse:
    programme = _programme(request)
    may_change = can_change(request.user, programme)
    today = timezone.localdate()
    initial: dict[str, Any] = {
        "runs": 10000,
        "seed": 1,
        "by_date": date(today.year + 1, today.month, 1),
    }
    form = ReadinessCheckForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        check = submit(
            request,
            form,
            lambda data: services.readiness_check_create(
                actor=request.user, programme=programme, today=today, **data
            ),
            success=_("The readiness check has been computed and saved."),
        )
        if check is not None:
            return redirect("programme:readiness_detail", pk=check.pk)
    checks = selectors.readiness_check_list(user=request.user).filter(programme=programme)
    page = Paginator(checks.select_related("created_by"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "programme/readiness_list.html",
        {"programme": programme, "page": page, "form": form, "may_change": may_change},
    )


@login_required
def readiness_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme, check = _check(request, pk)
    return render(
        request,
        "programme/readiness_detail.html",
        {
            "programme": programme,
            "check": check,
            "summary": selectors.readiness_summary(check),
            "may_change": can_change(request.user, programme),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def readiness_delete(request: HttpRequest, pk: int) -> HttpResponse:
    programme, check = _check(request, pk)
    if not can_change(request.user, programme):
        raise PermissionDenied
    if request.method == "POST":
        services.readiness_check_delete(actor=request.user, check=check)
        messages.success(request, _("The readiness check has been deleted."))
        return redirect("programme:readiness_list")
    return render(request, "programme/readiness_confirm_delete.html", {"check": check})
