"""The shared vocabulary of the programme: target groups and BBV task fields.

One place for the words every app uses (HOUSE_STYLE: "an app does not depend on another app for
words"). Target groups follow DOMAIN.md section 2; the BBV task fields (taakvelden, Besluit
begroting en verantwoording provincies en gemeenten) are shipped as data in
``onderdak/data/vocabulary/bbv_task_fields.csv`` (source in ``onderdak/data/README.md``).
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetGroup(models.TextChoices):
    """Target groups (doelgroepen), with their legal frame in DOMAIN.md section 2."""

    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seekers")
    UAM = "uam", _("Unaccompanied minors")
    STATUS_HOLDER = "status_holder", _("Status holders")
    DISPLACED_UKRAINIAN = "displaced_ukrainian", _("Displaced persons from Ukraine")
    LABOUR_MIGRANT = "labour_migrant", _("Labour migrants")
    STUDENT = "student", _("Students")
    URGENT = "urgent", _("Urgent home seekers")
    HOMELESS = "homeless", _("Homeless people")
    CARE_LEAVER = "care_leaver", _("People leaving care or detention")
    CARAVAN_DWELLER = "caravan_dweller", _("Caravan dwellers")


def target_group_label(code: str) -> str:
    """The translated name of a target group; an unknown code is returned as it is."""
    return str(dict(TargetGroup.choices).get(code, code))


def validate_target_groups(value: Any) -> None:
    """A non-empty list of known target-group codes (the one validator for such lists)."""
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one target group."))
    unknown = [g for g in value if g not in TargetGroup.values]
    if unknown:
        raise ValidationError(
            _("Unknown target group: %(groups)s") % {"groups": ", ".join(map(str, unknown))}
        )


#: The form of a task-field code; membership of the list is checked by ``validate_task_field``.
task_field_validator = RegexValidator(
    r"^\d{1,2}\.\d{1,2}$", _("A BBV task field looks like 6.1 or 6.71.")
)


@cache
def task_fields() -> dict[str, str]:
    """BBV task fields: code -> Dutch name, in the order of the shipped list."""
    text = (
        resources.files("onderdak.data")
        .joinpath("vocabulary", "bbv_task_fields.csv")
        .read_text(encoding="utf-8")
    )
    reader = csv.DictReader(io.StringIO(text))
    return {row["code"].strip(): row["name"].strip() for row in reader}


def validate_task_field(value: str) -> None:
    """An empty value or a task field of the shipped list."""
    if value and value not in task_fields():
        raise ValidationError(
            _("Unknown BBV task field: %(code)s"), params={"code": value}, code="unknown"
        )


def task_field_choices() -> list[tuple[str, str]]:
    return [("", "-")] + [(code, f"{code} {name}") for code, name in task_fields().items()]
