"""Reversed URLs, kept per process: the same name and arguments give the same path.

A page reverses about sixty URLs (the navigation, a link per table row, the map's features),
about 6% of its interpreter time under load (issue 11). The URL configuration does not change
while a process runs, so a reversed path depends only on what the key holds: the name, the
arguments (whole numbers and strings, safe strings from templates included, only; anything else is reversed every time, since its text
could change), the current app, the URL configuration, the script prefix (behind a proxy at a
sub-path) and the language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils.translation import get_language

from .memo import Memo

PATHS: Memo[str] = Memo("urls", entries=8192)

_PLAIN = (int, str)


def reverse(
    viewname: str,
    args: Sequence[Any] | None = None,
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    """:func:`django.urls.reverse`, from :data:`PATHS` when the arguments allow it."""
    arguments = tuple(args or ())
    keywords = tuple(sorted((kwargs or {}).items()))
    if not isinstance(viewname, str) or not all(
        isinstance(value, _PLAIN) for value in (*arguments, *(v for _k, v in keywords))
    ):
        return django_reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    key = (
        viewname,
        arguments,
        keywords,
        current_app,
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
        get_language(),
    )
    return PATHS.get_or_compute(
        key,
        lambda: django_reverse(viewname, args=args, kwargs=kwargs, current_app=current_app),
    )
