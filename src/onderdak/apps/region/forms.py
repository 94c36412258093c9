from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onderdak.apps.quotas import selectors as quota_selectors
from onderdak.common.vocabulary import TargetGroup

from .models import Agreement, AgreementStatus, ExchangeMode, Scenario, ScenarioEntry

if TYPE_CHECKING:
    from onderdak.apps.geo.models import Municipality
    from onderdak.apps.quotas.models import QuotaRound

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ScenarioCreateForm(forms.Form):
    """Name, mode and fairness, and per target group the quota round to take obligations from."""

    name = forms.CharField(label=_("Name"), max_length=150)
    mode = forms.ChoiceField(
        label=_("Mode"), choices=ExchangeMode.choices, initial=ExchangeMode.SWAP
    )
    fairness_min_ratio = forms.FloatField(
        label=_("Minimum load (times the regional average)"), required=False, min_value=0
    )
    fairness_max_ratio = forms.FloatField(
        label=_("Maximum load (times the regional average)"), required=False, min_value=0
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.group_fields: list[tuple[str, str, str, str]] = []
        rounds = quota_selectors.rounds_with_figures()
        for value, label in TargetGroup.choices:
            choices = [(r.pk, r.name) for r in rounds if r.target_group == value]
            if not choices:
                continue
            round_field, points_field, cost_field = (
                f"round_{value}",
                f"points_{value}",
                f"cost_{value}",
            )
            self.fields[round_field] = forms.TypedChoiceField(
                label=_("%(group)s: quota round") % {"group": label},
                coerce=int,
                required=False,
                choices=[("", _("not in this scenario")), *choices],
            )
            self.fields[points_field] = forms.FloatField(
                label=_("%(group)s: points per place") % {"group": label},
                initial=1.0,
                min_value=0,
                required=False,
            )
            self.fields[cost_field] = forms.DecimalField(
                label=_("%(group)s: cost per place (euro)") % {"group": label},
                initial=Decimal(0),
                min_value=0,
                required=False,
                max_digits=12,
                decimal_places=2,
            )
            self.group_fields.append((value, round_field, points_field, cost_field))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("fairness_min_ratio"), data.get("fairness_max_ratio")
        if low is not None and high is not None and low > high:
            self.add_error("fairness_max_ratio", _("The maximum must be at least the minimum."))
        if not any(data.get(round_field) for _g, round_field, _p, _c in self.group_fields):
            raise forms.ValidationError(_("Choose a quota round for at least one target group."))
        return data

    def selection(self) -> tuple[list[QuotaRound], dict[str, float], dict[str, Decimal]]:
        rounds, points, costs = [], {}, {}
        for group, round_field, points_field, cost_field in self.group_fields:
            pk = self.cleaned_data.get(round_field)
            if not pk:
                continue
            rounds.append(quota_selectors.round_get(pk=pk))
            points[group] = self.cleaned_data.get(points_field) or 1.0
            costs[group] = self.cleaned_data.get(cost_field) or Decimal(0)
        return rounds, points, costs


class ScenarioForm(forms.ModelForm[Scenario]):
    class Meta:
        model = Scenario
        fields = ["name", "description", "mode", "fairness_min_ratio", "fairness_max_ratio"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class EntryForm(forms.ModelForm[ScenarioEntry]):
    class Meta:
        model = ScenarioEntry
        fields = ["obligation", "capacity", "cost_per_place", "max_take_over", "max_hand_off"]


class AgreementFromResultForm(forms.Form):
    title = forms.CharField(label=_("Title of the agreement"), max_length=200)


class AgreementForm(forms.ModelForm[Agreement]):
    class Meta:
        model = Agreement
        fields = ["title", "agreed_on", "approved_on", "documents", "notes"]
        widgets = {
            "agreed_on": DATE,
            "approved_on": DATE,
            "documents": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=AgreementStatus.choices)
    on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=DATE,
        help_text=_("Of the decision; empty: the date of the last party's approval."),
    )


class ApprovalForm(forms.Form):
    """A party's approval: which party (its own, or any for the region's coordinator) and the
    date of its college's decision."""

    party = forms.TypedChoiceField(label=_("Party"), coerce=int)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)

    def __init__(self, *args: Any, parties: Sequence[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["party"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(m.pk, m.name) for m in parties]
        if len(parties) == 1:
            field.initial = parties[0].pk
