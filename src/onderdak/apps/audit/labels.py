"""Audit entries in the user's words: model and field names, choice labels, local Dutch dates.

An entry stores what the database held (codes, ISO dates, primary keys); this module turns it
into what a person reads: ``care.Ownership`` -> "Eigenaarschap", ``broad_intake_on`` ->
"Brede intake op", ``missing`` -> "ontbreekt", ``2024-03-01`` -> "1 maart 2024", a foreign key
into the record's name, a list of target-group codes into their names.

A model may define ``audit_choices`` (a mapping from a field name to choices, or to a function
that returns them when they live in data) for fields whose values are codes without model
choices, e.g. ``audit_choices = {"modules": IntegrationModule.choices}`` for a list of codes or
``{"template_code": template_service_names}`` for one code; lists of target-group codes are
recognised without it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onderdak.common.vocabulary import TargetGroup

EMPTY = "\u2013"  # en dash: no value

#: Keys that services store besides a model's fields (imports, deletes that cascade).
EXTRA_KEYS: Mapping[str, Any] = {
    "id": gettext_lazy("id"),
    "imported": gettext_lazy("imported figures"),
    "source": gettext_lazy("source"),
    "deleted": gettext_lazy("deleted with it"),
}


def model_for(object_type: str) -> type[models.Model] | None:
    """The model class of an entry's ``object_type`` (``app_label.ModelName``), if it exists."""
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type: str) -> str:
    """The model's name as users read it (its ``verbose_name``), else the stored type."""
    model = model_for(object_type)
    return str(capfirst(model._meta.verbose_name)) if model is not None else object_type


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(model: type[models.Model] | None, name: str) -> str:
    """A field's ``verbose_name`` (capitalised); known extra keys translated; else the name."""
    found = _field(model, name)
    if found is not None and getattr(found, "verbose_name", None):
        return str(capfirst(found.verbose_name))
    if name in EXTRA_KEYS:
        return str(capfirst(EXTRA_KEYS[name]))
    return name


class RelatedNames:
    """Names of related records, fetched once per model and key while labelling."""

    def __init__(self) -> None:
        self.cache: dict[tuple[type[models.Model], Any], str] = {}

    def name(self, model: type[models.Model], pk: Any) -> str:
        key = (model, pk)
        if key not in self.cache:
            try:
                found = model._default_manager.filter(pk=pk).first()
            except (ValueError, TypeError):
                found = None
            self.cache[key] = str(found) if found is not None else f"#{pk}"
        return self.cache[key]


_TARGET_GROUPS = dict(TargetGroup.choices)


def _number(value: Any) -> str:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return number_format(number, force_grouping=True)


def _when(value: Any, *, with_time: bool) -> str:
    if with_time:
        moment = value if isinstance(value, datetime) else parse_datetime(str(value))
        if moment is None:
            return str(value)
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return date_format(moment, "j F Y H:i")
    day = value if isinstance(value, date) else parse_date(str(value)[:10])
    return date_format(day, "j F Y") if day is not None else str(value)


def value_label(  # noqa: PLR0911 - one return per kind of value
    model: type[models.Model] | None, name: str, value: Any, *, related: RelatedNames | None = None
) -> str:
    """A stored value as a person reads it (choice label, Dutch date and number, record name)."""
    related = related or RelatedNames()
    if value is None or value in ("", []):
        return EMPTY
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    found = _field(model, name)
    choices = dict(getattr(found, "flatchoices", None) or ())
    extra = _model_choices(model, name)
    if isinstance(value, list):
        elements = [_element(found, element, {**choices, **extra}, related) for element in value]
        return ", ".join(elements)
    if choices and not isinstance(value, (dict, list)):
        return str(choices.get(value, value))
    if isinstance(value, str) and value in extra:
        return str(extra[value])
    if found is not None and (found.many_to_one or found.one_to_one) and found.related_model:
        return related.name(found.related_model, value)
    if isinstance(found, models.DateTimeField):
        return _when(value, with_time=True)
    if isinstance(found, models.DateField):
        return _when(value, with_time=False)
    if isinstance(found, (models.DecimalField, models.FloatField)) or isinstance(
        value, (float, Decimal)
    ):
        return _number(value)
    if isinstance(value, int):
        return number_format(value, force_grouping=False)
    if isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, default=str)
        return text if len(text) <= 200 else text[:199] + "…"
    return str(value)


def _model_choices(model: type[models.Model] | None, name: str) -> dict[Any, Any]:
    source = getattr(model, "audit_choices", {}).get(name, ())
    return dict(source() if callable(source) else source)


def _element(found: Any, element: Any, choices: dict[Any, Any], related: RelatedNames) -> str:
    if found is not None and found.many_to_many and found.related_model:
        return related.name(found.related_model, element)
    if element in choices:
        return str(choices[element])
    if isinstance(element, str) and element in _TARGET_GROUPS:
        return str(_TARGET_GROUPS[element])
    return str(element)


@dataclass(frozen=True)
class Change:
    """One field of an entry: its key, its label and the values before and after, labelled."""

    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class DeletedObject:
    """A record a delete took with it (Django's cascade), as kept in the entry."""

    object_type: str
    type_label: str
    object_id: str
    object_repr: str
    fields: list[tuple[str, str]] = field(default_factory=list)


def changes_of(
    object_type: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    *,
    related: RelatedNames | None = None,
) -> list[Change]:
    """The fields that differ between ``before`` and ``after``, labelled, in the model's order
    (for a create or a delete: every field); the ``id`` and what a delete took along are left
    out (see :func:`deleted_objects`)."""
    model = model_for(object_type)
    related = related or RelatedNames()
    before = before or {}
    after = after or {}
    names = [n for n in {**before, **after} if n not in {"id", "deleted"}]
    order = {f.name: i for i, f in enumerate(model._meta.get_fields())} if model else {}
    names.sort(key=lambda n: (order.get(n, len(order)), n))
    return [
        Change(
            name,
            field_label(model, name),
            value_label(model, name, before.get(name), related=related) if name in before else "",
            value_label(model, name, after.get(name), related=related) if name in after else "",
        )
        for name in names
        if before.get(name) != after.get(name) or not before or not after
    ]


def labelled(object_type: str, data: Mapping[str, Any] | None) -> dict[str, str] | None:
    """A snapshot with field labels as keys and labelled values (``None`` stays ``None``)."""
    if data is None:
        return None
    model = model_for(object_type)
    related = RelatedNames()
    return {
        field_label(model, name): value_label(model, name, value, related=related)
        for name, value in data.items()
        if name not in {"id", "deleted"}
    }


def deleted_objects(before: Mapping[str, Any] | None) -> list[DeletedObject]:
    """What a delete took with it, as stored under ``before["deleted"]``."""
    stored = (before or {}).get("deleted") or []
    result = []
    related = RelatedNames()
    for item in stored if isinstance(stored, list) else []:
        if not isinstance(item, dict):
            continue
        object_type = str(item.get("object_type", ""))
        model = model_for(object_type)
        values = item.get("fields") or {}
        result.append(
            DeletedObject(
                object_type,
                type_label(object_type),
                str(item.get("object_id", "")),
                str(item.get("object_repr", "")),
                [
                    (field_label(model, n), value_label(model, n, v, related=related))
                    for n, v in values.items()
                    if n != "id"
                ],
            )
        )
    return result
