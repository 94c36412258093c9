"""Writes for regional cooperation: scenarios, solving them, agreements and their status.

Every write is validated, audited and atomic. An agreement that becomes binding (agreed or
approved) changes both parties' effective obligations through ``quotas.services``; withdrawing
it, or setting it back to draft, removes that change again.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from onderdak.apps.audit.models import AuditAction
from onderdak.apps.audit.services import (
    audit_record,
    audited_delete,
    audited_update,
    snapshot,
)
from onderdak.apps.geo import selectors as geo_selectors
from onderdak.apps.geo.models import Municipality, Region
from onderdak.apps.quotas import services as quota_services
from onderdak.apps.quotas.models import MunicipalQuota, QuotaRound

from . import adapters, selectors
from .models import (
    Agreement,
    AgreementLine,
    AgreementStatus,
    Scenario,
    ScenarioEntry,
    ScenarioGroup,
    ScenarioMember,
    ScenarioResult,
)


def _require(user: Any, region: Region) -> None:
    if not selectors.can_work_on(user, region):
        raise PermissionDenied


@transaction.atomic
def scenario_create_from_quotas(
    *,
    actor: Any,
    region: Region,
    name: str,
    mode: str,
    rounds: Iterable[QuotaRound],
    points: Mapping[str, float] | None = None,
    costs: Mapping[str, Decimal] | None = None,
    fairness_min_ratio: float | None = None,
    fairness_max_ratio: float | None = None,
) -> Scenario:
    """A scenario for the region's members with obligations from the quota rounds.

    Capacity starts equal to the obligation (no exchange possible until someone enters more)
    and the cost per place at ``costs`` (default 0); both are edited afterwards.
    """
    _require(actor, region)
    rounds = list(rounds)
    if not rounds:
        raise ValidationError({"rounds": "Kies ten minste één taakstellingsronde."})
    groups = [r.target_group for r in rounds]
    if len(set(groups)) != len(groups):
        raise ValidationError({"rounds": "Kies per doelgroep één ronde."})
    scenario = Scenario(
        region=region,
        name=name,
        mode=mode,
        fairness_min_ratio=fairness_min_ratio,
        fairness_max_ratio=fairness_max_ratio,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    scenario.full_clean()
    scenario.save()
    members = list(Municipality.objects.filter(region_memberships__region=region).order_by("name"))
    populations = {
        m.pk: getattr(m, "population", None)
        for m in geo_selectors.municipality_list().filter(pk__in=[m.pk for m in members])
    }
    ScenarioMember.objects.bulk_create(
        ScenarioMember(scenario=scenario, municipality=m, population=populations.get(m.pk) or 1)
        for m in members
    )
    figures = {
        (q.round_id, q.municipality_id): q.effective
        for q in MunicipalQuota.objects.filter(round__in=rounds, municipality__in=members)
    }
    missing = [
        f"{m.name} ({r.name})" for r in rounds for m in members if figures.get((r.pk, m.pk)) is None
    ]
    if missing:
        raise ValidationError(
            {
                "rounds": f"Geen taakstelling bekend voor: {', '.join(missing[:5])}. Bereken of importeer de ronde eerst."
            }
        )
    for order, round in enumerate(rounds):
        ScenarioGroup.objects.create(
            scenario=scenario,
            target_group=round.target_group,
            round=round,
            points=(points or {}).get(round.target_group, 1.0),
            order=order,
        )
    entries = []
    for m in members:
        for round in rounds:
            obligation = figures[(round.pk, m.pk)] or 0
            entries.append(
                ScenarioEntry(
                    scenario=scenario,
                    municipality=m,
                    target_group=round.target_group,
                    obligation=obligation,
                    capacity=obligation,
                    cost_per_place=(costs or {}).get(round.target_group, Decimal(0)),
                )
            )
    ScenarioEntry.objects.bulk_create(entries)
    audit_record(
        actor=actor, action=AuditAction.CREATE, instance=scenario, after=snapshot(scenario)
    )
    return scenario


ENTRY_FIELDS = ("obligation", "capacity", "cost_per_place", "max_take_over", "max_hand_off")


@transaction.atomic
def scenario_entries_update(
    *, actor: Any, scenario: Scenario, changes: Mapping[int, Mapping[str, Any]]
) -> int:
    """Change entries (entry id -> field values); all are validated before any is saved."""
    _require(actor, scenario.region)
    entries = {e.pk: e for e in scenario.entries.filter(pk__in=list(changes))}
    unknown = set(changes) - set(entries)
    if unknown:
        raise ValidationError(f"Onbekende regels: {sorted(unknown)}")
    errors: dict[str, Any] = {}
    before = {pk: {f: str(getattr(e, f)) for f in ENTRY_FIELDS} for pk, e in entries.items()}
    for pk, values in changes.items():
        entry = entries[pk]
        for name, value in values.items():
            if name not in ENTRY_FIELDS:
                raise ValidationError(f"Veld {name} kan niet worden gewijzigd.")
            setattr(entry, name, value)
        try:
            entry.full_clean()
        except ValidationError as error:
            errors[f"{entry.municipality.name} / {entry.get_target_group_display()}"] = (
                error.messages
            )
    if errors:
        raise ValidationError(errors)
    changed = [
        e
        for pk, e in entries.items()
        if {f: str(getattr(e, f)) for f in ENTRY_FIELDS} != before[pk]
    ]
    ScenarioEntry.objects.bulk_update(changed, list(ENTRY_FIELDS))
    if changed:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=scenario,
            before={"entries": {str(e.pk): before[e.pk] for e in changed}},
            after={
                "entries": {
                    str(e.pk): {f: str(getattr(e, f)) for f in ENTRY_FIELDS} for e in changed
                }
            },
        )
    return len(changed)


@transaction.atomic
def scenario_update(*, actor: Any, scenario: Scenario, **changes: Any) -> Scenario:
    _require(actor, scenario.region)
    audited_update(
        actor=actor,
        instance=scenario,
        changes=changes,
        allowed=("name", "description", "mode", "fairness_min_ratio", "fairness_max_ratio"),
    )
    return scenario


@transaction.atomic
def scenario_delete(*, actor: Any, scenario: Scenario) -> None:
    _require(actor, scenario.region)
    audited_delete(actor=actor, instance=scenario)


@transaction.atomic
def scenario_solve(*, actor: Any, scenario: Scenario) -> ScenarioResult:
    """Run the exchange engine on the scenario as it is now and store the result."""
    _require(actor, scenario.region)
    problem = adapters.problem_from_scenario(scenario)
    started = time.perf_counter()
    solution = adapters.solve(problem)
    seconds = time.perf_counter() - started
    result = ScenarioResult.objects.create(
        scenario=scenario,
        solved_by=actor if getattr(actor, "is_authenticated", False) else None,
        status=solution["status"],
        reason=solution["reason"],
        total_cost=adapters.money(solution["total_cost"]),
        baseline_cost=adapters.money(solution["baseline_cost"]),
        solution=solution,
        input=adapters.problem_as_dict(problem),
        seconds=round(seconds, 4),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=result,
        after={"status": result.status, "total_cost": str(result.total_cost)},
    )
    return result


def _agreement_url(agreement: Agreement) -> str:
    return reverse("region:agreement_detail", args=[agreement.pk])


def _sync_adjustments(actor: Any, agreement: Agreement) -> None:
    lines: list[quota_services.AdjustmentLine] = []
    if agreement.binding:
        for line in agreement.lines.all():
            lines.append(
                quota_services.AdjustmentLine(
                    line.round_id, line.from_municipality_id, -line.places
                )
            )
            lines.append(
                quota_services.AdjustmentLine(line.round_id, line.to_municipality_id, line.places)
            )
    quota_services.adjustments_replace(
        actor=actor,
        source=f"agreement:{agreement.pk}",
        label=agreement.title,
        url=_agreement_url(agreement),
        lines=lines,
    )


@transaction.atomic
def agreement_create_from_result(*, actor: Any, result: ScenarioResult, title: str) -> Agreement:
    """A draft agreement with one line per bilateral transfer of an optimal result."""
    scenario = result.scenario
    _require(actor, scenario.region)
    if result.status != "optimal":
        raise ValidationError("Alleen een optimale uitkomst kan een afspraak worden.")
    agreement = Agreement(region=scenario.region, title=title, from_result=result)
    agreement.full_clean()
    agreement.save()
    rounds = {g.target_group: g.round for g in scenario.groups.all()}
    codes = {
        m.municipality.code: m.municipality for m in scenario.members.select_related("municipality")
    }
    prices = {k: Decimal(str(v)) for k, v in (result.solution.get("prices") or {}).items()}
    compensating = scenario.mode == "compensation"
    for transfer in result.solution.get("transfers", []):
        round = rounds.get(transfer["group"])
        if round is None:
            raise ValidationError(
                f"De doelgroep {transfer['group']} heeft geen taakstellingsronde."
            )
        places = int(transfer["places"])
        amount = (
            (prices.get(transfer["group"], Decimal(0)) * places).quantize(Decimal("0.01"))
            if compensating
            else Decimal(0)
        )
        line = AgreementLine(
            agreement=agreement,
            round=round,
            from_municipality=codes[transfer["from"]],
            to_municipality=codes[transfer["to"]],
            places=places,
            compensation=amount,
        )
        line.full_clean()
        line.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, instance=agreement, after=snapshot(agreement)
    )
    return agreement


@transaction.atomic
def agreement_set_status(
    *, actor: Any, agreement: Agreement, status: str, on: date | None = None
) -> Agreement:
    """Move an agreement to ``status``; binding statuses change the parties' obligations."""
    if not selectors.can_change_agreement(actor, agreement):
        raise PermissionDenied
    if status not in AgreementStatus.values:
        raise ValidationError({"status": f"Onbekende status {status}."})
    if (
        status in (AgreementStatus.AGREED, AgreementStatus.APPROVED)
        and not agreement.lines.exists()
    ):
        raise ValidationError({"status": "Een afspraak zonder regels kan niet worden vastgesteld."})
    before = snapshot(agreement)
    agreement.status = status
    if status == AgreementStatus.AGREED:
        agreement.agreed_on = on or agreement.agreed_on
    if status == AgreementStatus.APPROVED:
        agreement.approved_on = on or agreement.approved_on
        agreement.agreed_on = agreement.agreed_on or on
    agreement.full_clean()
    agreement.save()
    _sync_adjustments(actor, agreement)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=agreement,
        before=before,
        after=snapshot(agreement),
    )
    return agreement


#: What a user may change of an agreement (its status has its own service).
AGREEMENT_FIELDS = frozenset({"title", "documents", "notes", "agreed_on", "approved_on"})


@transaction.atomic
def agreement_update(*, actor: Any, agreement: Agreement, **changes: Any) -> Agreement:
    if not selectors.can_change_agreement(actor, agreement):
        raise PermissionDenied
    audited_update(actor=actor, instance=agreement, changes=changes, allowed=AGREEMENT_FIELDS)
    _sync_adjustments(actor, agreement)
    return agreement


@transaction.atomic
def agreement_delete(*, actor: Any, agreement: Agreement) -> None:
    if not selectors.can_change_agreement(actor, agreement):
        raise PermissionDenied
    if agreement.binding:
        raise ValidationError(
            "Een vastgestelde afspraak kan niet worden verwijderd; trek hem eerst in."
        )
    audit_record(
        actor=actor, action=AuditAction.DELETE, instance=agreement, before=snapshot(agreement)
    )
    quota_services.adjustments_replace(
        actor=actor, source=f"agreement:{agreement.pk}", label="", url="", lines=[]
    )
    agreement.delete()
