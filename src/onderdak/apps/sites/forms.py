from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from onderdak.common.geometry import (
    NL_BOUNDS,
    clean_geometry,
    geometry_problem,
    is_usable,
    load_json,
)
from onderdak.common.vocabulary import TargetGroup

from .models import Site, Stage
from .services import SITE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SiteForm(forms.ModelForm[Site]):
    """A site; its place as longitude/latitude (a point, also picked on the map) or as GeoJSON
    (a plot outline). One of the two is required; :mod:`.geometry` checks either."""

    longitude = forms.FloatField(
        label=_("Longitude (WGS84)"),
        required=False,
        min_value=NL_BOUNDS[0],
        max_value=NL_BOUNDS[2],
        help_text=_("Required unless you give an outline. Click the map to fill in both."),
    )
    latitude = forms.FloatField(
        label=_("Latitude (WGS84)"),
        required=False,
        min_value=NL_BOUNDS[1],
        max_value=NL_BOUNDS[3],
        help_text=_("For example 52.09 (Utrecht); longitude for example 5.12."),
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
        geometry: Any = self.instance.geometry if self.instance.pk else None
        if not is_usable(geometry):
            return
        if geometry["type"] == "Point":
            self.fields["longitude"].initial, self.fields["latitude"].initial = geometry[
                "coordinates"
            ][:2]
        else:
            self.fields["geometry_json"].initial = json.dumps(geometry)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = (data.get("geometry_json") or "").strip()
        longitude, latitude = data.get("longitude"), data.get("latitude")
        if text:
            try:
                geometry = load_json(text)
            except ValueError:
                self.add_error("geometry_json", _("This is not valid JSON."))
                return data
            problem = geometry_problem(geometry)
            if problem is not None:
                self.add_error("geometry_json", problem)
                return data
            data["geometry"] = clean_geometry(geometry)
        elif longitude is not None and latitude is not None:
            data["geometry"] = {
                "type": "Point",
                "coordinates": [round(longitude, 7), round(latitude, 7)],
            }
        elif "longitude" in self.errors or "latitude" in self.errors:
            return data
        elif longitude is not None:
            self.add_error("latitude", _("Give the latitude too, or an outline."))
        elif latitude is not None:
            self.add_error("longitude", _("Give the longitude too, or an outline."))
        else:
            self.add_error("longitude", _("Give the place: longitude and latitude, or an outline."))
        if "geometry" in data:
            # the model's own check (in _post_clean) sees the place the form made
            self.instance.geometry = data["geometry"]
        return data

    def add_error(self, field: str | None, error: Any) -> None:
        """The model names its place ``geometry``; on this form that is the point or outline."""
        target = "geometry_json" if (self.data.get("geometry_json") or "").strip() else "longitude"
        if field == "geometry":
            field = target
        elif field is None and hasattr(error, "error_dict") and "geometry" in error.error_dict:
            errors = dict(error.error_dict)
            errors.setdefault(target, []).extend(errors.pop("geometry"))
            error = ValidationError(errors)
        super().add_error(field, error)


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
