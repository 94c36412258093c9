from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onderdak.common.forms import offer_organisations
from onderdak.common.vocabulary import TargetGroup

from .models import Method, QuotaRound, Realisation
from .services import ROUND_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class QuotaRoundForm(forms.ModelForm[QuotaRound]):
    source_url = forms.URLField(
        label=_("source address"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = QuotaRound
        fields = list(ROUND_FIELDS)
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "population_date": DATE,
            "source_date": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance._state.adding and not self.is_bound:
            # A new round is most often a status-holder half-year: the statute's rule first
            # (Huisvestingswet 2014 art. 29); apportionment stays available for what-if work.
            self.initial.setdefault("target_group", TargetGroup.STATUS_HOLDER)
            self.initial.setdefault("method", Method.STATUTORY)


class OfficialTableForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or Excel)"),
        help_text=_(
            "Columns: code (or gemeente) and taakstelling (or aantal); optionally achterstand "
            "(backlog at the start) and factor (correction factor of the key)."
        ),
    )
    source = forms.CharField(label=_("Source of the figures"), max_length=300, required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Use a .csv or .xlsx file."))
        return upload


class RealisationForm(forms.ModelForm[Realisation]):
    class Meta:
        model = Realisation
        fields = [
            "organisation",
            "target_group",
            "date",
            "amount",
            "unit",
            "reference",
            "note",
            "shared",
        ]
        widgets = {"date": DATE}
        labels = {"organisation": _("Organisation")}

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_organisations(self, organisations)
