"""Template filters of the finance pages: ``{% load od_finance %}``."""

from __future__ import annotations

from django import template

from onderdak.apps.finance.forecast import light_label as _light_label

register = template.Library()


@register.filter
def light_label(code: object) -> str:
    """A budget line's traffic light code (``green``, ``amber``, ``red``) as people read it."""
    return _light_label(str(code))
