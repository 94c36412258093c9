from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onderdak.common.vocabulary import TargetGroup

from .models import Site, Stage
from .services import SITE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SiteForm(forms.ModelForm[Site]):
    """A site; its place as longitude/latitude (a point) or as GeoJSON (a plot outline)."""

    longitude = forms.FloatField(
        label=_("Longitude (WGS84)"), required=False, min_value=3.0, max_value=7.5
    )
    latitude = forms.FloatField(
        label=_("Latitude (WGS84)"), required=False, min_value=50.5, max_value=53.8
    )
    geometry_json = forms.CharField(
        label=_("Outline as GeoJSON (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "A GeoJSON Polygon replaces the point, for example drawn in a GIS and copied here."
        ),
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Suits target groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Site
        fields = [field for field in SITE_FIELDS if field != "geometry"]  # drawn on the map
        widgets = {
            "available_from": DATE,
            "available_until": DATE,
            "participation_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        geometry = self.instance.geometry if self.instance.pk else None
        if isinstance(geometry, dict) and geometry.get("type") == "Point":
            self.fields["longitude"].initial, self.fields["latitude"].initial = geometry[
                "coordinates"
            ][:2]
        elif isinstance(geometry, dict):
            self.fields["geometry_json"].initial = json.dumps(geometry)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = (data.get("geometry_json") or "").strip()
        if text:
            try:
                geometry = json.loads(text)
            except ValueError:
                self.add_error("geometry_json", _("This is not valid JSON."))
                return data
            if not isinstance(geometry, dict) or geometry.get("type") not in {
                "Polygon",
                "MultiPolygon",
                "Point",
            }:
                self.add_error("geometry_json", _("Give a GeoJSON Point, Polygon or MultiPolygon."))
                return data
            data["geometry"] = geometry
        elif data.get("longitude") is not None and data.get("latitude") is not None:
            data["geometry"] = {
                "type": "Point",
                "coordinates": [data["longitude"], data["latitude"]],
            }
        else:
            self.add_error("longitude", _("Give the place: longitude and latitude, or an outline."))
        return data


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    on = forms.DateField(label=_("Date"), required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("stage") == Stage.REJECTED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the site is rejected."))
        return data
