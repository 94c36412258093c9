"""Dutch numbers on pages: ``{% load od_formats %}`` then ``{{ value|number }}`` ("1.234,5"),
``{{ value|number:2 }}``, ``{{ share|percent }}`` (0.08 -> "8,0%"), ``{{ share|percent:0 }}``,
``{{ amount|money }}`` ("€ 1.234,56"), ``{{ iso|as_date|date:"d-m-Y" }}``. The formats follow the active language (Dutch by
default); the functions live in ``onderdak.common.exports`` so reports write the same."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from onderdak.common.exports import format_money, format_number, format_percent

register = template.Library()


@register.filter
def number(value: Any, decimals: Any = None) -> str:
    return format_number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def percent(value: Any, decimals: Any = 1) -> str:
    """A fraction as a percentage (0.08 -> "8,0%")."""
    return format_percent(value, int(decimals))


@register.filter
def money(value: Any, decimals: Any = 2) -> str:
    return format_money(value, int(decimals))


@register.filter
def as_date(value: Any) -> Any:
    """An ISO date string as stored in a JSON result ("2023-07-14") as a date, for the
    ``date`` filter: ``{{ value|as_date|date:"d-m-Y" }}``; anything else unchanged."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value
