"""Template helpers for lists: links that keep the query string, sort links, rows."""

from __future__ import annotations

from typing import Any

from django import template

from onderdak.common.tables import TableState
from onderdak.common.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with ``changes`` applied (an empty value removes a key)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in ("", None):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def sort_link(context: dict[str, Any], table: TableState, key: str) -> str:
    descending = table.sort == key and not table.descending
    return query_with(context, sort=f"-{key}" if descending else key, page="")


@register.filter
def table_rows(table: TableState) -> list[tuple[Any, list[tuple[Any, Any]]]]:
    return [
        (item, [(column.value(item), column) for column in table.columns])
        for item in table.page.object_list
    ]


@register.simple_tag
def item_url(name: str, item: Any, attribute: str = "pk") -> str:
    return reverse(name, args=[getattr(item, attribute or "pk")])
