from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onderdak.common.vocabulary import TargetGroup

from .models import Complex, Household
from .services import COMPLEX_FIELDS, HOUSEHOLD_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ComplexForm(forms.ModelForm[Complex]):
    subsidy_groups = forms.MultipleChoiceField(
        label=_("Subsidy: target groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Complex
        fields = [field for field in COMPLEX_FIELDS if field != "site"]
        widgets = {
            "permit_start": DATE,
            "permit_end": DATE,
            "subsidy_until": DATE,
            "planned_relocation": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class UnitsForm(forms.Form):
    count = forms.IntegerField(label=_("Number of units"), min_value=1, max_value=500)
    first_number = forms.IntegerField(label=_("First number"), min_value=1, initial=1)
    rooms = forms.IntegerField(label=_("Rooms"), min_value=1, max_value=10, initial=2)
    area_m2 = forms.IntegerField(
        label=_("Floor area (m²)"), min_value=10, max_value=500, initial=40
    )
    max_occupants = forms.IntegerField(
        label=_("Maximum occupants"), min_value=1, max_value=20, initial=3
    )
    accessible = forms.IntegerField(label=_("Of which accessible"), min_value=0, initial=0)
    ground_floor = forms.IntegerField(
        label=_("Of which on the ground floor"), min_value=0, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        count = data.get("count") or 0
        if (data.get("accessible") or 0) > count:
            self.add_error("accessible", _("More accessible units than units."))
        if data.get("ground_floor") is not None and data["ground_floor"] > count:
            self.add_error("ground_floor", _("More ground-floor units than units."))
        return data


class HouseholdForm(forms.ModelForm[Household]):
    class Meta:
        model = Household
        fields = list(HOUSEHOLD_FIELDS)
        widgets = {"reunification_date": DATE, "waiting_since": DATE}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("tie_x") is None) != (data.get("tie_y") is None):
            self.add_error("tie_y", _("Give both coordinates of the tie location, or neither."))
        return data
