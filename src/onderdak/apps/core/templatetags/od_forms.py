"""Render form widgets with the NL Design System (Utrecht) classes and linked descriptions."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

CLASSES = {
    "select": "utrecht-select utrecht-select--html-select",
    "selectmultiple": "utrecht-select utrecht-select--html-select",
    "textarea": "utrecht-textarea utrecht-textarea--html-textarea",
    "checkbox": "utrecht-checkbox utrecht-checkbox--html-input",
    "checkboxselectmultiple": "utrecht-checkbox utrecht-checkbox--html-input",
    "radioselect": "utrecht-radio-button utrecht-radio-button--html-input",
    "clearablefile": "utrecht-textbox utrecht-textbox--html-input",
    "file": "utrecht-textbox utrecht-textbox--html-input",
}
TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"


@register.filter
def widget(field: BoundField) -> SafeString:
    """The field's widget with Utrecht classes, aria-invalid and aria-describedby set."""
    kind = field.widget_type
    attrs: dict[str, Any] = {"class": CLASSES.get(kind, TEXTBOX)}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
        attrs["class"] += " utrecht-textbox--invalid" if attrs["class"] == TEXTBOX else ""
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
