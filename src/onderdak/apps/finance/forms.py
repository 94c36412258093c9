"""Forms of the finance pages (the services validate again; their errors land on the form)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onderdak.common.forms import UploadForm
from onderdak.common.vocabulary import task_field_choices

from .models import BudgetAmendment, BudgetLine, LedgerMapping, Rate

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RateForm(forms.ModelForm[Rate]):
    class Meta:
        model = Rate
        fields = ("scheme", "name", "valid_from", "amount", "unit", "source", "notes")
        widgets = {"valid_from": DATE_WIDGET}


class BudgetLineForm(forms.ModelForm[BudgetLine]):
    class Meta:
        model = BudgetLine
        fields = (
            "year",
            "task_field",
            "track",
            "target_group",
            "direction",
            "description",
            "amount",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task_field"] = forms.ChoiceField(
            label=_("Task field"), choices=task_field_choices()
        )
        self.fields["year"].widget.attrs.update({"min": 2000, "max": 2100})

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Use a year from 2000 to 2100."))
        return year


class AmendmentForm(forms.ModelForm[BudgetAmendment]):
    class Meta:
        model = BudgetAmendment
        fields = ("decided_on", "amount", "reference", "description")
        widgets = {"decided_on": DATE_WIDGET}


class MappingForm(forms.ModelForm[LedgerMapping]):
    class Meta:
        model = LedgerMapping
        fields = ("account", "task_field", "track", "target_group", "direction", "description")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task_field"] = forms.ChoiceField(
            label=_("Task field"), choices=task_field_choices()
        )


class ActualsUploadForm(UploadForm):
    period_start = forms.DateField(label=_("Period from"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("Period until (inclusive)"), widget=DATE_WIDGET)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                self.add_error("period_end", _("The period ends before it starts."))
            elif (end - start).days > 366:
                self.add_error("period_end", _("A period is at most one year."))
        return data
