from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.formats import date_format, number_format
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
            "relocated_on": DATE,
            "planned_relocation": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class UnitsForm(forms.Form):
    count = forms.IntegerField(label=_("Number of units"), min_value=1, max_value=500)
    first_number = forms.IntegerField(
        label=_("First unit number"),
        min_value=1,
        max_value=999_999,
        initial=1,
        help_text=_("The next free number is filled in."),
    )
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
        from onderdak.engines.siting.distance import RD_BOUNDS

        data = super().clean() or {}
        if (data.get("tie_x") is None) != (data.get("tie_y") is None):
            self.add_error("tie_y", _("Give both coordinates of the tie location, or neither."))
        low_x, low_y, high_x, high_y = RD_BOUNDS
        for name, low, high in (("tie_x", low_x, high_x), ("tie_y", low_y, high_y)):
            value = data.get(name)
            if value is not None and not low <= value <= high:
                self.add_error(
                    name,
                    _("Outside the Netherlands: in RD New this lies between %(low)s and %(high)s.")
                    % {
                        "low": number_format(int(low), force_grouping=True),
                        "high": number_format(int(high), force_grouping=True),
                    },
                )
        return data


class MoveOutForm(forms.Form):
    """The date of a move-out: not before the placement started, not far in the future."""

    end = forms.DateField(label=_("Move-out date"), widget=DATE)

    def __init__(self, *args: Any, start: date, latest: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start = start
        self.latest = latest
        widget = self.fields["end"].widget
        widget.attrs.update({"min": start.isoformat(), "max": latest.isoformat()})

    def clean_end(self) -> date:
        end: date = self.cleaned_data["end"]
        if end < self.start:
            raise forms.ValidationError(
                _("The move-out date is before the placement started (%(start)s).")
                % {"start": date_format(self.start)}
            )
        if end > self.latest:
            raise forms.ValidationError(
                _("The move-out date may be at most %(date)s.") % {"date": date_format(self.latest)}
            )
        return end
