"""Security headers and proxy handling that Django does not do itself."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

#: Headers only a trusted reverse proxy may set; dropped from every other peer.
PROXY_HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST")


class ContentSecurityPolicyMiddleware:
    """Send ``settings.CONTENT_SECURITY_POLICY`` with every response that has none yet."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


@cache
def _networks(
    proxies: tuple[str, ...],
) -> tuple[bool, tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]]:
    if "*" in proxies:
        return True, ()
    return False, tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def is_trusted_proxy(address: str) -> bool:
    """Is ``address`` (the TCP peer, ``REMOTE_ADDR``) one of ``settings.TRUSTED_PROXIES``?"""
    anyone, networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if anyone:
        return True
    try:
        peer = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(peer in network for network in networks)


class TrustedProxyMiddleware:
    """Believe ``X-Forwarded-*`` only from the proxies in ``settings.TRUSTED_PROXIES``.

    Runs first: from any other peer (and always when no proxy is configured) the headers are
    removed, so a client cannot claim HTTPS (``SECURE_PROXY_SSL_HEADER``) or another address
    (the login lockout counts per address) by sending them itself.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            for header in PROXY_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


class PrivateCacheMiddleware:
    """``Cache-Control: no-store, private`` on every response to a signed-in user (session or
    API token) and on every download, so no browser or proxy cache keeps personal data."""

    VALUE = "no-store, private"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)  # DRF puts the token's user here too
        download = "attachment" in response.get("Content-Disposition", "")
        if download or (user is not None and user.is_authenticated):
            response["Cache-Control"] = self.VALUE
            response.headers.pop("Expires", None)
        return response
