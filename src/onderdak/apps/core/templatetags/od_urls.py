"""``{% url %}`` from the process's kept paths (:mod:`onderdak.common.urls`).

Loaded as a built-in library (``TEMPLATES["OPTIONS"]["builtins"]``), so it takes the place of
Django's tag in every template; its syntax and results are Django's own, only the reversing is
remembered.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template import defaulttags
from django.template.base import Parser, Token
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from onderdak.common.urls import reverse

register = template.Library()


class KeptURLNode(defaulttags.URLNode):
    def render(self, context: template.Context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {name: value.resolve(context) for name, value in self.kwargs.items()}
        request: Any = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        path = ""
        try:
            path = reverse(
                self.view_name.resolve(context), args=args, kwargs=kwargs, current_app=current_app
            )
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = path
            return ""
        return str(conditional_escape(path)) if context.autoescape else path


@register.tag
def url(parser: Parser, token: Token) -> KeptURLNode:
    """Django's ``{% url name arg ... [as var] %}``."""
    node = defaulttags.url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
