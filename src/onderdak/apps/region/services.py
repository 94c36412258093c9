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
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from onderdak.apps.audit.services import (
    audit_record,
    audited_delete,
    audited_update,
    snapshot,
)
from onderdak.apps.quotas import selectors as quota_selectors
from onderdak.apps.quotas import services as quota_services
from onderdak.common.urls import reverse
from onderdak.common.vocabulary import target_group_label

from . import adapters, selectors
from .models import (
    BINDING_STATUSES,
    Agreement,
    AgreementApproval,
    AgreementLine,
    AgreementStatus,
    Scenario,
    ScenarioEntry,
    ScenarioGroup,
    ScenarioMember,
    ScenarioResult,
)

if TYPE_CHECKING:
    from onderdak.apps.geo.models import Municipality, Region
    from onderdak.apps.quotas.models import QuotaRound


class AuditAction:
    """The audit trail's actions (``audit.models.AuditAction`` values)."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


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
        raise ValidationError({"rounds": _("Choose at least one quota round.")})
    groups = [r.target_group for r in rounds]
    if len(set(groups)) != len(groups):
        raise ValidationError({"rounds": _("Choose one round per target group.")})
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
    members = list(selectors.region_members(region=region))
    ScenarioMember.objects.bulk_create(
        ScenarioMember(
            scenario=scenario, municipality=m, population=getattr(m, "population", None) or 1
        )
        for m in members
    )
    figures = quota_selectors.figures(
        round_ids=[r.pk for r in rounds], municipality_ids=[m.pk for m in members]
    )
    missing = [
        f"{m.name} ({r.name})" for r in rounds for m in members if figures.get((r.pk, m.pk)) is None
    ]
    if missing:
        raise ValidationError(
            {
                "rounds": _("No quota known for: %(missing)s. Compute or import the round first.")
                % {"missing": ", ".join(missing[:5])}
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
        raise ValidationError(
            _("Unknown lines: %(lines)s.")
            % {"lines": ", ".join(str(pk) for pk in sorted(unknown))},
            code="unknown",
        )
    errors: dict[str, Any] = {}
    before = {pk: {f: str(getattr(e, f)) for f in ENTRY_FIELDS} for pk, e in entries.items()}
    for pk, values in changes.items():
        entry = entries[pk]
        for name, value in values.items():
            if name not in ENTRY_FIELDS:
                raise ValueError(f"not editable: {name}")
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


def _audit_for_parties(
    *,
    actor: Any,
    action: str,
    instance: Any,
    parties: Iterable[Municipality],
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """One audit entry per party's organisation, so that every party's administrators see a
    change that alters (or may alter) its obligations; one entry without organisation when no
    party has one."""
    organisations = [
        organisation.pk
        for organisation in (getattr(m, "organisation", None) for m in parties)
        if organisation is not None
    ]
    if not organisations:
        audit_record(actor=actor, action=action, instance=instance, before=before, after=after)
        return
    for organisation_id in organisations:
        entry = audit_record(
            actor=actor, action=action, instance=instance, before=before, after=after
        )
        if entry.organisation_id != organisation_id:
            type(entry).objects.filter(pk=entry.pk).update(organisation_id=organisation_id)


def _effect(consent: selectors.Consent) -> dict[str, Any]:
    """The effect of a status change on each party, for the audit trail."""
    return {
        party.municipality.name: {
            change.round.name: [change.before, change.after] for change in party.changes
        }
        for party in consent.parties
    }


@transaction.atomic
def agreement_create_from_result(*, actor: Any, result: ScenarioResult, title: str) -> Agreement:
    """A draft agreement with one line per bilateral transfer of an optimal result."""
    scenario = result.scenario
    _require(actor, scenario.region)
    if result.status != "optimal":
        raise ValidationError(
            _("Only an optimal result can become an agreement."), code="not_optimal"
        )
    agreement = Agreement(region=scenario.region, title=title, from_result=result)
    agreement.full_clean()
    agreement.save()
    rounds = {g.target_group: g.round for g in scenario.groups.all()}
    codes = {
        m.municipality.code: m.municipality for m in scenario.members.select_related("municipality")
    }
    prices = result.solution.get("prices") or {}
    provinces = {
        str(m.get("code")): m.get("province") for m in result.input.get("municipalities") or []
    }
    compensating = scenario.mode == "compensation"
    for transfer in result.solution.get("transfers", []):
        round = rounds.get(transfer["group"])
        if round is None:
            raise ValidationError(
                _("The target group %(group)s has no quota round.")
                % {"group": target_group_label(transfer["group"])},
                code="no_round",
            )
        places = int(transfer["places"])
        amount = (
            # a within_province group's deal stays in one province: that province's price
            (
                adapters.price_of(prices, transfer["group"], provinces.get(transfer["from"]))
                * places
            ).quantize(Decimal("0.01"))
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
def agreement_approve(
    *, actor: Any, agreement: Agreement, municipality: Municipality, decided_on: date
) -> AgreementApproval:
    """Record that ``municipality`` (a party) consents to the agreement: its college decided on
    ``decided_on``. Its own editor or administrator records it, or the region's coordinator on
    its behalf. A binding agreement is not approved again."""
    if municipality.pk not in {m.pk for m in selectors.approvable_parties(actor, agreement)}:
        raise PermissionDenied
    if agreement.binding:
        raise ValidationError(
            _("The agreement is already binding; withdraw it before approving it again."),
            code="binding",
        )
    if agreement.approvals.filter(municipality=municipality).exists():
        raise ValidationError(
            _("%(party)s has already approved this agreement.") % {"party": municipality.name},
            code="approved",
        )
    on_behalf = municipality.pk not in selectors.region_access(actor).write_municipalities
    approval = AgreementApproval(
        agreement=agreement,
        municipality=municipality,
        decided_on=decided_on,
        on_behalf=on_behalf,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    approval.full_clean()
    approval.save()
    _audit_for_parties(
        actor=actor,
        action=AuditAction.CREATE,
        instance=approval,
        parties=[municipality],
        after=snapshot(approval),
    )
    return approval


@transaction.atomic
def agreement_set_status(
    *, actor: Any, agreement: Agreement, status: str, on: date | None = None
) -> Agreement:
    """Move an agreement to ``status``; binding statuses change the parties' obligations.

    Binding needs every party's approval (:func:`agreement_approve`); leaving the binding
    statuses removes the change of obligations and the approvals (binding again asks again).
    The change is audited for every party's organisation with its effect on each party.
    """
    if not selectors.can_change_agreement(actor, agreement):
        raise PermissionDenied
    if status not in AgreementStatus.values:
        raise ValidationError({"status": _("Unknown status %(status)s.") % {"status": status}})
    binding_after = status in BINDING_STATUSES
    if binding_after and not agreement.lines.exists():
        raise ValidationError({"status": _("An agreement without lines cannot be made binding.")})
    consent = selectors.agreement_consent(agreement=agreement, status=status)
    if binding_after and not agreement.binding and consent.missing:
        raise ValidationError(
            {
                "status": ValidationError(
                    _(
                        "Every party must approve before the agreement becomes binding. "
                        "Not approved yet: %(parties)s."
                    )
                    % {"parties": ", ".join(m.name for m in consent.missing)},
                    code="consent_missing",
                )
            }
        )
    before = snapshot(agreement)
    was_binding = agreement.binding
    agreement.status = status
    if status == AgreementStatus.AGREED:
        agreement.agreed_on = on or agreement.agreed_on or _last_decision(agreement)
    if status == AgreementStatus.APPROVED:
        agreement.approved_on = on or agreement.approved_on
        agreement.agreed_on = agreement.agreed_on or _last_decision(agreement) or on
    agreement.full_clean()
    agreement.save()
    if was_binding and not agreement.binding:
        agreement.approvals.all().delete()
    _sync_adjustments(actor, agreement)
    _audit_for_parties(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=agreement,
        parties=[p.municipality for p in consent.parties],
        before=before,
        after={**snapshot(agreement), "effect": _effect(consent)},
    )
    return agreement


def _last_decision(agreement: Agreement) -> date | None:
    """The date of the last party's decision: the day the agreement was agreed."""
    dates = [a.decided_on for a in agreement.approvals.all()]
    return max(dates) if dates else None


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
            _("A binding agreement cannot be deleted; withdraw it first."), code="binding"
        )
    _audit_for_parties(
        actor=actor,
        action=AuditAction.DELETE,
        instance=agreement,
        parties=selectors.agreement_parties(agreement),
        before=snapshot(agreement),
    )
    quota_services.adjustments_replace(
        actor=actor, source=f"agreement:{agreement.pk}", label="", url="", lines=[]
    )
    agreement.delete()
