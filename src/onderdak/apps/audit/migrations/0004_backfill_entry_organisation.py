"""Give every audit entry without an organisation the organisation it belongs to.

The same rules as ``audit.services.audit_organisation``, on the historical models: the record's
``organisation`` (the stored state before/after names it, or the record still exists), else the
organisation of a record it points to (two steps through its foreign keys, e.g. a placement ->
its household), else the acting user's first organisation (municipalities first). Entries for
which none is found stay as they are (superusers still see them).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _organisation_of(apps: Any, obj: Any, depth: int) -> int | None:
    if obj._meta.label == "accounts.Organisation":
        return int(obj.pk)
    value = getattr(obj, "organisation_id", None)
    if isinstance(value, int):
        return value
    try:
        linked = getattr(obj, "organisation", None)  # a municipality's organisation
    except Exception:
        linked = None
    if linked is not None and getattr(linked, "pk", None) is not None:
        return int(linked.pk)
    if depth == 0:
        return None
    for field in obj._meta.concrete_fields:
        if not (field.many_to_one or field.one_to_one) or getattr(obj, field.attname) is None:
            continue
        try:
            target = getattr(obj, field.name)
        except Exception:
            continue
        found = _organisation_of(apps, target, depth - 1)
        if found is not None:
            return found
    return None


def _from_state(model: Any, state: dict[str, Any]) -> Any:
    """An unsaved instance with the foreign keys of a stored state (a deleted record)."""
    values = {}
    for field in model._meta.concrete_fields:
        if (field.many_to_one or field.one_to_one) and isinstance(state.get(field.name), int):
            values[field.attname] = state[field.name]
    return model(**values)


def backfill(apps: Any, schema_editor: Any) -> None:
    entry_model = apps.get_model("audit", "AuditEntry")
    membership_model = apps.get_model("accounts", "Membership")
    for entry in entry_model.objects.filter(organisation__isnull=True).iterator():
        found: int | None = None
        state = entry.after or entry.before or {}
        if isinstance(state, dict) and isinstance(state.get("organisation"), int):
            found = state["organisation"]
        if found is None:
            try:
                model = apps.get_model(entry.object_type)
            except (LookupError, ValueError):
                model = None
            if model is not None:
                obj = model._default_manager.filter(pk=entry.object_id).first()
                if obj is None and isinstance(state, dict):
                    obj = _from_state(model, state)
                if obj is not None:
                    found = _organisation_of(apps, obj, depth=2)
        if found is None and entry.actor_id is not None:
            memberships = membership_model.objects.filter(user_id=entry.actor_id).select_related(
                "organisation"
            )
            ranked = sorted(
                memberships,
                key=lambda m: (m.organisation.kind != "municipality", m.organisation.name),
            )
            found = ranked[0].organisation_id if ranked else None
        if found is not None:
            entry_model.objects.filter(pk=entry.pk).update(organisation_id=found)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_entry_concerns_organisations"),
        ("accounts", "0001_initial"),
        ("care", "0001_initial"),
        ("geo", "0001_initial"),
        ("housing", "0001_initial"),
        ("programme", "0001_initial"),
        ("quotas", "0002_adjustment"),
        ("region", "0001_initial"),
        ("sites", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
