"""Schedule risk and directive readiness pages: start an analysis (the form on the list), read
a stored one, delete it after confirmation. Reads through selectors, writes through services;
a refusal (a plan that cannot be computed, a date in the past) is shown on the form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
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
from .plan_views import programme_or_404

PAGE_SIZE = 25


def _run(request: HttpRequest, pk: int) -> tuple[Programme, RiskRun]:
    programme = programme_or_404(request)
    run = selectors.risk_run_list(user=request.user).filter(programme=programme, pk=pk).first()
    if run is None:
        raise Http404
    return programme, run


def _check(request: HttpRequest, pk: int) -> tuple[Programme, ReadinessCheck]:
    programme = programme_or_404(request)
    check = (
        selectors.readiness_check_list(user=request.user).filter(programme=programme, pk=pk).first()
    )
    if check is None:
        raise Http404
    return programme, check


def _computed_list(
    request: HttpRequest,
    *,
    form_class: type[Any],
    initial: dict[str, Any],
    compute: Callable[..., Any],
    success: str,
    detail: str,
    saved: Callable[..., QuerySet[Any]],
    template: str,
) -> HttpResponse:
    """A page of a programme's saved computations (risk runs, readiness checks) with the form
    that computes and saves a new one, for who may change the programme."""
    programme = programme_or_404(request)
    may_change = can_change(request.user, programme)
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        created = submit(
            request,
            form,
            lambda data: compute(
                actor=request.user, programme=programme, today=timezone.localdate(), **data
            ),
            success=success,
        )
        if created is not None:
            return redirect(detail, pk=created.pk)
    items = saved(user=request.user).filter(programme=programme).select_related("created_by")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        template,
        {"programme": programme, "page": page, "form": form, "may_change": may_change},
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_run_list(request: HttpRequest) -> HttpResponse:
    return _computed_list(
        request,
        form_class=RiskRunForm,
        initial={"runs": 10000, "seed": 1, "target_date": None},
        compute=services.risk_run_create,
        success=_("The schedule risk analysis has been run and saved."),
        detail="programme:risk_run_detail",
        saved=selectors.risk_run_list,
        template="programme/risk_run_list.html",
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
    today = timezone.localdate()
    return _computed_list(
        request,
        form_class=ReadinessCheckForm,
        initial={"runs": 10000, "seed": 1, "by_date": date(today.year + 1, today.month, 1)},
        compute=services.readiness_check_create,
        success=_("The readiness check has been computed and saved."),
        detail="programme:readiness_detail",
        saved=selectors.readiness_check_list,
        template="programme/readiness_list.html",
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
