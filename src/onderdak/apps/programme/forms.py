from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onderdak.common.forms import offer_organisations
from onderdak.common.vocabulary import TargetGroup

from .models import (
    Decision,
    PlanLink,
    PlanTask,
    Programme,
    ProgrammeTrack,
    ReadinessCheck,
    RiskRun,
)


class DecisionForm(forms.ModelForm[Decision]):
    class Meta:
        model = Decision
        fields = [
            "organisation",
            "decided_on",
            "body",
            "track",
            "title",
            "summary",
            "reference",
            "shared",
        ]
        labels = {"organisation": _("Organisation")}
        widgets = {
            "decided_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_organisations(self, organisations)


DATE = {"type": "date"}


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


class ProgrammeForm(forms.ModelForm[Programme]):
    class Meta:
        model = Programme
        fields = [
            "name",
            "project_alderman",
            "start_date",
            "target_date",
            "target_label",
            "calendar",
        ]
        widgets = {"start_date": _date_widget(), "target_date": _date_widget()}


class TrackForm(forms.ModelForm[ProgrammeTrack]):
    class Meta:
        model = ProgrammeTrack
        fields = ["goal", "alderman", "lead", "status"]
        widgets = {"goal": forms.Textarea(attrs={"rows": 3})}


class TaskForm(forms.ModelForm[PlanTask]):
    """A task or milestone with every field; the track, site and complex are offered from the
    programme's own organisation only."""

    target_groups = forms.MultipleChoiceField(
        label=_("places for target groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Empty: every group."),
    )

    class Meta:
        model = PlanTask
        fields = [
            "track",
            "code",
            "name",
            "duration",
            "optimistic",
            "most_likely",
            "pessimistic",
            "owner",
            "percent_complete",
            "actual_start",
            "actual_finish",
            "start_no_earlier_than",
            "finish_no_later_than",
            "site",
            "complex",
            "units",
            "target_groups",
            "notes",
        ]
        widgets = {
            "actual_start": _date_widget(),
            "actual_finish": _date_widget(),
            "start_no_earlier_than": _date_widget(),
            "finish_no_later_than": _date_widget(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, programme: Programme, sites: Any, complexes: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        track = self.fields["track"]
        assert isinstance(track, forms.ModelChoiceField)
        track.queryset = programme.tracks.all()
        track.empty_label = None
        for name, queryset in (("site", sites), ("complex", complexes)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset.filter(organisation_id=programme.organisation_id)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        others = self.instance.programme.tasks.filter(code=code).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Another task of this programme already has this code."))
        return code


class TaskRowForm(forms.Form):
    """One row of the plan table: the fields people change most, edited in place."""

    name = forms.CharField(label=_("name"), max_length=200)
    duration = forms.IntegerField(label=_("duration (days)"), min_value=0, max_value=5000)
    owner = forms.CharField(label=_("owner"), max_length=150, required=False)
    percent_complete = forms.IntegerField(label=_("% complete"), min_value=0, max_value=100)
    actual_start = forms.DateField(label=_("actual start"), required=False, widget=_date_widget())
    actual_finish = forms.DateField(label=_("actual finish"), required=False, widget=_date_widget())


class LinkForm(forms.ModelForm[PlanLink]):
    class Meta:
        model = PlanLink
        fields = ["predecessor", "type", "lag", "successor"]

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        for name in ("predecessor", "successor"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = programme.tasks.order_by("position", "pk")


class BaselineForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=150)
    adopted_on = forms.DateField(label=_("adopted on"), widget=_date_widget())


class RiskRunForm(forms.ModelForm[RiskRun]):
    """A schedule risk analysis: how many runs, the seed, the distribution, the target."""

    class Meta:
        model = RiskRun
        fields = ["runs", "seed", "distribution", "target_date"]
        widgets = {"target_date": _date_widget()}
        help_texts = {
            "runs": _("Between 100 and 100,000 simulated schedules; 10,000 is usual."),
            "seed": _("The same seed on the same plan gives the same result."),
            "target_date": _("Empty: the programme's target date."),
        }


class ReadinessCheckForm(forms.ModelForm[ReadinessCheck]):
    """A directive: N additional places for a target group by a date."""

    class Meta:
        model = ReadinessCheck
        fields = ["title", "places", "target_group", "by_date", "runs", "seed"]
        widgets = {"by_date": _date_widget()}
        help_texts = {
            "title": _("For example the directive's reference, to cite the check by."),
            "runs": _("Between 100 and 100,000 simulated schedules; 10,000 is usual."),
        }
