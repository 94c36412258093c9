"""Input and output serializers of the finance API (budget part)."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.drainage import set_override
from rest_framework import serializers

from onderdak.common.vocabulary import TargetGroup, task_fields

from ..models import (
    Actual,
    ActualImport,
    BudgetAmendment,
    BudgetLine,
    Direction,
    LedgerMapping,
    Rate,
    RateUnit,
)

MAX_ID = 2**63 - 1


class RateUnitField(serializers.ChoiceField):
    """A rate unit, documented as a string with its values as a pattern (an enum named "unit"
    would collide with the other apps' units in the schema)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=RateUnit.choices, **kwargs)
        pattern = "^(?:" + "|".join(re.escape(value) for value in RateUnit.values) + ")$"
        set_override(self, "field", {"type": "string", "pattern": pattern})


TRACK_CHOICES = BudgetLine._meta.get_field("track").choices or ()


def _known_task_field(value: str) -> None:
    if value not in task_fields():
        raise serializers.ValidationError(_("Unknown BBV task field: %(code)s") % {"code": value})


class TaskFieldCode(serializers.CharField):
    """A BBV task field from the shipped list, documented with the list as a pattern."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=10, validators=[_known_task_field], **kwargs)
        codes = "|".join(re.escape(code) for code in task_fields())
        set_override(self, "field", {"type": "string", "pattern": f"^(?:{codes})$"})


class StrictQuery(serializers.Serializer[Any]):
    """Query parameters: a parameter given without a value (``?on=``) is refused, not ignored."""

    def to_internal_value(self, data: Any) -> Any:
        names: list[str] = [str(name) for name in self.fields.keys()]  # noqa: SIM118
        empty: dict[str, list[str]] = {
            name: [_("This value may not be empty.")]
            for name in names
            if hasattr(data, "get") and name in data and str(data.get(name)).strip() == ""
        }
        if empty:
            raise serializers.ValidationError(empty)
        return super().to_internal_value(data)


class OrganisationQuery(StrictQuery):
    organisation = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class BudgetQuery(OrganisationQuery):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    on = serializers.DateField(
        required=False, help_text="Current budget on this day (default: today)."
    )


class ActualQuery(OrganisationQuery):
    start = serializers.DateField(required=False, help_text="Booked on or after this day.")
    end = serializers.DateField(required=False, help_text="Booked on or before this day.")


class OrganisationInput(serializers.Serializer[Any]):
    organisation = serializers.IntegerField(min_value=1, max_value=MAX_ID)


# --- rates ---------------------------------------------------------------------------------


class RateOutput(serializers.Serializer[Rate]):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    scheme = serializers.CharField()
    name = serializers.CharField()
    valid_from = serializers.DateField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    unit = RateUnitField()
    source = serializers.CharField()  # type: ignore[assignment]
    national = serializers.BooleanField()
    notes = serializers.CharField()


class RateInput(serializers.Serializer[Any]):
    organisation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    scheme = serializers.RegexField(r"^[a-z][a-z0-9_]{0,39}$", max_length=40)
    name = serializers.CharField(max_length=150)
    valid_from = serializers.DateField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    unit = RateUnitField()
    source = serializers.CharField(max_length=300)  # type: ignore[assignment]
    notes = serializers.CharField(max_length=300, required=False, allow_blank=True)


class RateUpdateInput(RateInput):
    organisation = None  # type: ignore[assignment]


class AdoptOutput(serializers.Serializer[Any]):
    created = serializers.IntegerField()


# --- budget --------------------------------------------------------------------------------


class AmendmentOutput(serializers.Serializer[BudgetAmendment]):
    id = serializers.IntegerField()
    line = serializers.IntegerField(source="line_id")
    decided_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    reference = serializers.CharField()
    description = serializers.CharField()


class AmendmentInput(serializers.Serializer[Any]):
    line = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    decided_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    reference = serializers.CharField(max_length=150)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)


class AmendmentUpdateInput(AmendmentInput):
    line = None  # type: ignore[assignment]


class BudgetLineOutput(serializers.Serializer[Any]):
    """A budget line with its amounts on a day (a ``selectors.BudgetRow``)."""

    id = serializers.IntegerField(source="line.pk")
    organisation = serializers.IntegerField(source="line.organisation_id")
    year = serializers.IntegerField(source="line.year")
    task_field = serializers.CharField(source="line.task_field")
    track = serializers.ChoiceField(source="line.track", choices=TRACK_CHOICES)
    target_group = serializers.CharField(source="line.target_group")
    direction = serializers.ChoiceField(source="line.direction", choices=Direction.choices)
    description = serializers.CharField(source="line.description")
    original = serializers.DecimalField(max_digits=14, decimal_places=2)
    amendments = serializers.DecimalField(max_digits=14, decimal_places=2)
    current = serializers.DecimalField(max_digits=14, decimal_places=2)


class BudgetLineInput(serializers.Serializer[Any]):
    organisation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    task_field = TaskFieldCode()
    track = serializers.ChoiceField(choices=TRACK_CHOICES, required=False)
    target_group = serializers.ChoiceField(
        choices=TargetGroup.choices, required=False, allow_blank=True
    )
    direction = serializers.ChoiceField(choices=Direction.choices)
    description = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class BudgetLineUpdateInput(BudgetLineInput):
    organisation = None  # type: ignore[assignment]


# --- actuals -------------------------------------------------------------------------------


class ActualOutput(serializers.Serializer[Actual]):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="batch.organisation_id")
    batch = serializers.IntegerField(source="batch_id")
    booking_date = serializers.DateField()
    account = serializers.CharField()
    task_field = serializers.CharField()
    track = serializers.ChoiceField(choices=TRACK_CHOICES)
    target_group = serializers.CharField()
    direction = serializers.ChoiceField(choices=Direction.choices)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    description = serializers.CharField()
    cost_centre = serializers.CharField()


class ActualImportOutput(serializers.Serializer[ActualImport]):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    filename = serializers.CharField()
    imported_at = serializers.DateTimeField()
    rows = serializers.IntegerField()
    replaced_rows = serializers.IntegerField()


class ActualImportInput(serializers.Serializer[Any]):
    organisation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    file = serializers.FileField(help_text="CSV or XLSX, at most 10 MB.", allow_empty_file=True)


class MappingOutput(serializers.Serializer[LedgerMapping]):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    account = serializers.CharField()
    task_field = serializers.CharField()
    track = serializers.ChoiceField(choices=TRACK_CHOICES)
    target_group = serializers.CharField()
    direction = serializers.ChoiceField(choices=Direction.choices)
    description = serializers.CharField()
