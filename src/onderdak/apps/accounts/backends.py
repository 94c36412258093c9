"""The login lockout as an authentication backend (django-axes), listed first in settings."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Refuse every login while the account or the address is locked out (django-axes).

    A sign-in without a request (``authenticate()`` from the shell, the test client's
    ``login``) is no attempt from the network: there is no address to count, so it is left
    to the next backend instead of failing.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None
