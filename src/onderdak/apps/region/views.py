"""Regional pages: the region's dashboard, exchange scenarios and results, agreements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from onderdak.apps.quotas import selectors as quota_selectors
from onderdak.common.charts import to_svg
from onderdak.common.validation import messages_by_field
from onderdak.common.vocabulary import TargetGroup

if TYPE_CHECKING:
    from onderdak.apps.geo.models import Region

from . import adapters, charts, reasons, selectors, services
from .forms import (
    AgreementForm,
    AgreementFromResultForm,
    ApprovalForm,
    EntryForm,
    ScenarioCreateForm,
    StatusForm,
)
from .models import Agreement, AgreementStatus, Scenario, ScenarioResult


def _region(request: HttpRequest, code: str) -> Region:
    region = selectors.visible_regions(user=request.user).filter(code=code).first()
    if region is None:
        raise Http404
    return region


def _scenario(request: HttpRequest, pk: int) -> Scenario:
    try:
        return selectors.scenario_get(user=request.user, pk=pk)
    except Scenario.DoesNotExist:
        raise Http404 from None


def _messages_of(error: ValidationError) -> list[str]:
    return [
        f"{key}: {'; '.join(texts)}" if key else "; ".join(texts)
        for key, texts in messages_by_field(error).items()
    ]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    regions = list(selectors.working_regions(user=request.user))
    if len(regions) == 1:
        return redirect("region:dashboard", code=regions[0].code)
    return render(request, "region/index.html", {"regions": regions})


@login_required
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    region = _region(request, code)
    table = quota_selectors.region_table(region=region)
    return render(
        request,
        "region/dashboard.html",
        {
            "region": region,
            "labels": table.labels,
            "table": table.rows,
            "scenarios": selectors.scenario_list(user=request.user).filter(region=region),
            "agreements": selectors.agreement_list(user=request.user).filter(region=region),
            "netting": selectors.netting(region=region),
            "can_work": selectors.can_work_on(request.user, region),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scenario_create(request: HttpRequest, code: str) -> HttpResponse:
    region = _region(request, code)
    if not selectors.can_work_on(request.user, region):
        raise PermissionDenied
    form = ScenarioCreateForm(
        request.POST or None, initial={"name": _("Exchange %(region)s") % {"region": region.name}}
    )
    if request.method == "POST" and form.is_valid():
        rounds, points, costs = form.selection()
        try:
            scenario = services.scenario_create_from_quotas(
                actor=request.user,
                region=region,
                name=form.cleaned_data["name"],
                mode=form.cleaned_data["mode"],
                rounds=rounds,
                points=points,
                costs=costs,
                fairness_min_ratio=form.cleaned_data["fairness_min_ratio"],
                fairness_max_ratio=form.cleaned_data["fairness_max_ratio"],
            )
        except ValidationError as error:
            for text in _messages_of(error):
                form.add_error(None, text)
        else:
            messages.success(
                request,
                _("The scenario has been created. Enter capacities and costs, then solve it."),
            )
            return redirect("region:scenario_detail", pk=scenario.pk)
    return render(request, "region/scenario_create.html", {"form": form, "region": region})


@login_required
@require_http_methods(["GET", "POST"])
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = _scenario(request, pk)
    can_work = selectors.can_work_on(request.user, scenario.region)
    entries = list(
        scenario.entries.select_related("municipality").order_by(
            "municipality__name", "target_group"
        )
    )
    bound = request.method == "POST" and can_work
    forms = [
        (e, EntryForm(request.POST if bound else None, instance=e, prefix=f"e{e.pk}"))
        for e in entries
    ]
    if request.method == "POST":
        if not can_work:
            raise PermissionDenied
        if all(form.is_valid() for _e, form in forms):
            changes = {
                e.pk: {k: form.cleaned_data[k] for k in form.changed_data}
                for e, form in forms
                if form.changed_data
            }
            try:
                count = services.scenario_entries_update(
                    actor=request.user, scenario=scenario, changes=changes
                )
            except ValidationError as error:
                for text in _messages_of(error):
                    messages.error(request, text)
            else:
                if count:
                    messages.success(
                        request,
                        ngettext("%(count)d line saved.", "%(count)d lines saved.", count)
                        % {"count": count},
                    )
                if request.POST.get("then") == "solve":
                    return _solve(request, scenario)
                return redirect("region:scenario_detail", pk=scenario.pk)
        else:
            messages.error(
                request,
                _("Some values are not valid; nothing has been saved. See the marked cells."),
            )
    names = {m.municipality.code: m.municipality.name for m in scenario.members.all()}
    results = [
        (result, reasons.infeasible_reason(result.solution, names))
        for result in scenario.results.all()[:20]
    ]
    return render(
        request,
        "region/scenario_detail.html",
        {
            "scenario": scenario,
            "forms": forms,
            "can_work": can_work,
            "groups": scenario.groups.all(),
            "results": results,
            "notes": [
                reasons.input_note(code)
                for code in selectors.input_notes(adapters.scenario_as_input(scenario))
            ],
        },
    )


def _solve(request: HttpRequest, scenario: Scenario) -> HttpResponse:
    from onderdak.engines.exchange import ExchangeInputError

    try:
        result = services.scenario_solve(actor=request.user, scenario=scenario)
    except ExchangeInputError as error:
        messages.error(
            request,
            _("The scenario cannot be solved: %(reason)s") % {"reason": reasons.input_error(error)},
        )
        return redirect("region:scenario_detail", pk=scenario.pk)
    return redirect("region:result_detail", pk=result.pk)


@login_required
@require_POST
def scenario_solve(request: HttpRequest, pk: int) -> HttpResponse:
    """Solve the scenario as saved (the page's button saves the table's edits first)."""
    scenario = _scenario(request, pk)
    if not selectors.can_work_on(request.user, scenario.region):
        raise PermissionDenied
    return _solve(request, scenario)


@login_required
@require_http_methods(["GET", "POST"])
def scenario_delete(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = _scenario(request, pk)
    if not selectors.can_work_on(request.user, scenario.region):
        raise PermissionDenied
    if request.method == "POST":
        code = scenario.region.code
        services.scenario_delete(actor=request.user, scenario=scenario)
        messages.success(request, _("The scenario has been deleted."))
        return redirect("region:dashboard", code=code)
    return render(request, "region/scenario_confirm_delete.html", {"scenario": scenario})


def _group_label(group: str) -> str:
    return str(TargetGroup(group).label) if group in TargetGroup.values else group


def _prices(prices: dict[str, Any]) -> list[tuple[str, Any]]:
    """(label, price) per group; a within_province group has a price per province."""
    found: list[tuple[str, Any]] = []
    for group, price in prices.items():
        if isinstance(price, dict):
            found.extend(
                (
                    _("%(group)s in %(province)s")
                    % {"group": _group_label(group), "province": province},
                    value,
                )
                for province, value in price.items()
            )
        else:
            found.append((_group_label(group), price))
    return found


def _result_rows(result: ScenarioResult, names: dict[str, str]) -> list[dict[str, Any]]:
    """Per municipality and group: owed, provided, difference; from the stored input and solution."""
    provided = result.solution.get("provided") or {}
    rows = []
    for item in result.input.get("municipalities", []):
        code = item["code"]
        cells = []
        for group in result.input.get("groups", {}):
            owed = item["obligation"][group]
            given = (provided.get(code) or {}).get(group)
            cells.append(
                {
                    "group": group,
                    "owed": owed,
                    "provided": given,
                    "capacity": item["capacity"][group],
                    "difference": None if given is None else given - owed,
                }
            )
        explanation = (result.solution.get("explanation") or {}).get(code, {})
        rows.append(
            {
                "code": code,
                "name": names.get(code, code),
                "cells": cells,
                "compensation": (result.solution.get("compensation") or {}).get(code),
                "explanation": explanation,
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        result = selectors.result_get(user=request.user, pk=pk)
    except ScenarioResult.DoesNotExist:
        raise Http404 from None
    scenario = result.scenario
    can_work = selectors.can_work_on(request.user, scenario.region)
    form = AgreementFromResultForm(
        request.POST or None,
        initial={"title": _("Exchange agreement %(name)s") % {"name": scenario.name}},
    )
    if request.method == "POST":
        if not can_work:
            raise PermissionDenied
        if form.is_valid():
            try:
                agreement = services.agreement_create_from_result(
                    actor=request.user, result=result, title=form.cleaned_data["title"]
                )
            except ValidationError as error:
                for text in _messages_of(error):
                    messages.error(request, text)
            else:
                messages.success(request, _("A draft agreement has been made from this result."))
                return redirect("region:agreement_detail", pk=agreement.pk)
    names = {
        m.municipality.code: m.municipality.name
        for m in scenario.members.select_related("municipality")
    }
    spec = charts.transfer_chart(
        result.solution.get("transfers") or [],
        names,
        {g: _group_label(g) for g in result.input.get("groups", {})},
    )
    return render(
        request,
        "region/result_detail.html",
        {
            "result": result,
            "scenario": scenario,
            "reasons": reasons.infeasible_reason(result.solution, names),
            "notes": [reasons.input_note(code) for code in selectors.input_notes(result.input)],
            "rows": _result_rows(result, names),
            "groups": [_group_label(g) for g in result.input.get("groups", {})],
            "form": form,
            "can_work": can_work,
            "prices": _prices(result.solution.get("prices") or {}),
            "province_totals": [
                {**row, "group_label": _group_label(row["group"])}
                for row in adapters.province_totals(result.input, result.solution)
            ],
            "transfers": [
                {
                    **t,
                    "from_name": names.get(t["from"], t["from"]),
                    "to_name": names.get(t["to"], t["to"]),
                    "group_label": _group_label(t["group"]),
                }
                for t in result.solution.get("transfers") or []
            ],
            "chart": to_svg(spec, title=_("Transfers between municipalities")) if spec else None,
        },
    )


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    agreements = selectors.agreement_list(user=request.user).order_by("-created_at")
    return render(request, "region/agreement_list.html", {"agreements": agreements})


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    try:
        return selectors.agreement_get(user=request.user, pk=pk)
    except Agreement.DoesNotExist:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    can_change = selectors.can_change_agreement(request.user, agreement)
    form = AgreementForm(request.POST or None, instance=_agreement(request, pk))
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.agreement_update(
                    actor=request.user, agreement=agreement, **form.cleaned_data
                )
            except ValidationError as error:
                for field_name, texts in messages_by_field(error).items():
                    for text in texts:
                        form.add_error(field_name if field_name in form.fields else None, text)
            else:
                messages.success(request, _("The agreement has been saved."))
                return redirect("region:agreement_detail", pk=agreement.pk)
    approvable = [] if agreement.binding else selectors.approvable_parties(request.user, agreement)
    consent = selectors.agreement_consent(agreement=agreement)
    approved = {p.municipality.pk for p in consent.parties if p.approval is not None}
    approvable = [m for m in approvable if m.pk not in approved]
    return render(
        request,
        "region/agreement_detail.html",
        {
            "agreement": agreement,
            "form": form,
            "can_change": can_change,
            "consent": consent,
            "approval_form": ApprovalForm(parties=approvable) if approvable else None,
            "status_form": StatusForm(initial={"status": agreement.status}),
        },
    )


@login_required
@require_POST
def agreement_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """A party (or the region's coordinator on its behalf) approves the agreement."""
    agreement = _agreement(request, pk)
    parties = selectors.approvable_parties(request.user, agreement)
    if not parties:
        raise PermissionDenied
    form = ApprovalForm(request.POST, parties=parties)
    if not form.is_valid():
        for texts in form.errors.values():
            for text in texts:
                messages.error(request, str(text))
        return redirect("region:agreement_detail", pk=agreement.pk)
    municipality = next(m for m in parties if m.pk == form.cleaned_data["party"])
    try:
        services.agreement_approve(
            actor=request.user,
            agreement=agreement,
            municipality=municipality,
            decided_on=form.cleaned_data["decided_on"],
        )
    except ValidationError as error:
        for text in _messages_of(error):
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("The approval of %(party)s has been recorded.") % {"party": municipality.name},
        )
    return redirect("region:agreement_detail", pk=agreement.pk)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the status after a confirmation page that shows the effect on every party."""
    agreement = _agreement(request, pk)
    if not selectors.can_change_agreement(request.user, agreement):
        raise PermissionDenied
    form = StatusForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return redirect("region:agreement_detail", pk=agreement.pk)
    status = form.cleaned_data["status"]
    consent = selectors.agreement_consent(agreement=agreement, status=status)
    if request.method == "POST" and request.POST.get("confirmed") == "1":
        try:
            services.agreement_set_status(
                actor=request.user, agreement=agreement, status=status, on=form.cleaned_data["on"]
            )
        except ValidationError as error:
            for text in _messages_of(error):
                messages.error(request, text)
        else:
            if agreement.binding:
                messages.success(
                    request,
                    _("The agreement is binding: the obligations of the parties have changed."),
                )
            else:
                messages.success(request, _("The status has been changed."))
        return redirect("region:agreement_detail", pk=agreement.pk)
    return render(
        request,
        "region/agreement_confirm_status.html",
        {
            "agreement": agreement,
            "consent": consent,
            "status": status,
            "status_label": AgreementStatus(status).label,
            "on": form.cleaned_data["on"],
            "blocked": consent.binding_after and not agreement.binding and bool(consent.missing),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    if not selectors.can_change_agreement(request.user, agreement):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.agreement_delete(actor=request.user, agreement=agreement)
        except ValidationError as error:
            for text in _messages_of(error):
                messages.error(request, text)
            return redirect("region:agreement_detail", pk=agreement.pk)
        messages.success(request, _("The agreement has been deleted."))
        return redirect("region:agreement_list")
    return render(request, "region/agreement_confirm_delete.html", {"agreement": agreement})
