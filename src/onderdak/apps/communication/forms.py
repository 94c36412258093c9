from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onderdak.common.forms import offer_organisations

from .models import CommunicationPlan, FollowUp, LogEntry, Moment, Stakeholder, Track

DATE = {"type": "date"}


class StakeholderForm(forms.ModelForm[Stakeholder]):
    tracks = forms.MultipleChoiceField(
        label=_("Tracks"),
        choices=Track.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Stakeholder
        fields = [
            "organisation",
            "name",
            "kind",
            "influence",
            "interest",
            "contact_role",
            "tracks",
            "sites",
            "complexes",
            "notes",
            "shared",
        ]
        labels = {"organisation": _("Organisation")}
        widgets = {
            "sites": forms.CheckboxSelectMultiple,
            "complexes": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, organisations: Any, sites: Any, complexes: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        offer_organisations(self, organisations)
        self.fields["sites"].queryset = sites  # type: ignore[attr-defined]
        self.fields["complexes"].queryset = complexes  # type: ignore[attr-defined]


class PlanForm(forms.ModelForm[CommunicationPlan]):
    class Meta:
        model = CommunicationPlan
        fields = ["goals", "key_messages", "owner", "status", "shared"]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 4}),
            "key_messages": forms.Textarea(attrs={"rows": 4}),
        }


class MomentForm(forms.ModelForm[Moment]):
    class Meta:
        model = Moment
        fields = [
            "organisation",
            "title",
            "kind",
            "track",
            "milestone",
            "days_from_milestone",
            "date",
            "status",
            "audience",
            "site",
            "complex",
            "decision",
            "channel",
            "owner",
            "message",
            "shared",
        ]
        labels = {"organisation": _("Organisation")}
        help_texts = {
            "date": _("With a milestone chosen, the date follows the milestone."),
        }
        widgets = {
            "date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "audience": forms.CheckboxSelectMultiple,
            "message": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, organisations: Any, choices: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        offer_organisations(self, organisations)
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]
        self.fields["date"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("milestone") and not data.get("date") and "date" not in self.errors:
            self.add_error("date", _("Give a date, or choose a milestone for it to follow."))
        return data


class LogEntryForm(forms.ModelForm[LogEntry]):
    class Meta:
        model = LogEntry
        fields = ["summary", "participants", "themes", "sentiment", "response"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "response": forms.Textarea(attrs={"rows": 3}),
        }


class FollowUpForm(forms.ModelForm[FollowUp]):
    class Meta:
        model = FollowUp
        fields = ["action", "owner", "due"]
        widgets = {"due": forms.DateInput(attrs=DATE, format="%Y-%m-%d")}


FollowUpFormSet = forms.formset_factory(
    FollowUpForm, extra=2, max_num=10, validate_max=True, absolute_max=20
)
