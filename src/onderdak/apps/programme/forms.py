from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onderdak.common.forms import offer_organisations

from .models import Decision


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
