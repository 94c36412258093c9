"""Idempotent API writes: the ``Idempotency-Key`` request header.

A client that retries a write after a lost answer (a timeout, a server killed mid-request) sends
the same ``Idempotency-Key`` again and gets the first answer back instead of writing twice.

For ``POST``, ``PUT``, ``PATCH`` and ``DELETE`` under ``/api/`` with the header:

* the request runs in one database transaction together with a record of it (per user and key:
  method, path and a SHA-256 fingerprint of method, path, query and body) and of its response
  (status, content type, body). A server that dies mid-request commits neither the write nor
  the record, so the retry does the write once;
* a retry with the same key and the same request within :data:`RETENTION` (24 h) gets the stored
  response again (header ``Idempotent-Replayed: true``) without running the view;
* the same key with a different request is ``422`` problem+json; while the first request is
  still running a retry waits for it (the record's row lock or unique index; SQLite's write
  lock) and then gets its response;
* server errors (5xx) are not stored and roll back: the client may retry with the same key.

The key is scoped to the signed-in user (session or API token); anonymous requests pass through
untouched (the view answers 401/403). Storage: ``core.IdempotentRequest``. The header and the
422 answer are documented in the OpenAPI schema by :func:`document_idempotency_key` (a
drf-spectacular postprocessing hook registered in settings).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

HEADER = "Idempotency-Key"
META_KEY = "HTTP_IDEMPOTENCY_KEY"
REPLAYED_HEADER = "Idempotent-Replayed"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
RETENTION = timedelta(hours=24)
MAX_KEY_LENGTH = 255


def _model() -> Any:
    # Looked up at run time: ``common`` does not import an app.
    return apps.get_model("core", "IdempotentRequest")


def fingerprint(request: HttpRequest) -> str:
    """SHA-256 of method, path with query string and body: what "the same request" means."""
    digest = hashlib.sha256()
    for part in (request.method or "", request.get_full_path()):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def _problem(request: HttpRequest, status: int, title: str, detail: str) -> HttpResponse:
    body = {
        "type": f"https://httpstatuses.io/{status}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.get_full_path(),
    }
    return HttpResponse(json.dumps(body), status=status, content_type="application/problem+json")


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and all("!" <= c <= "~" for c in key)


def _api_user(request: HttpRequest) -> Any:
    """The user the API will see: the session's, else the one of a valid API token."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    from rest_framework.authentication import TokenAuthentication
    from rest_framework.exceptions import APIException
    from rest_framework.request import Request

    try:
        found = TokenAuthentication().authenticate(Request(request))
    except APIException:
        return None
    return found[0] if found else None


def _replay(record: Any) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body), status=record.status_code, content_type=record.content_type
    )
    response[REPLAYED_HEADER] = "true"
    return response


class IdempotencyMiddleware:
    """Store and replay API writes sent with an ``Idempotency-Key`` (see the module docstring).
    Placed after the authentication middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.META.get(META_KEY)
        if (
            key is None
            or request.method not in WRITE_METHODS
            or not request.path.startswith("/api/")
        ):
            return self.get_response(request)
        if not _valid_key(key):
            return _problem(
                request,
                400,
                _("Invalid Idempotency-Key"),
                _("The Idempotency-Key header must be 1 to 255 visible ASCII characters."),
            )
        user = _api_user(request)
        if user is None:
            return self.get_response(request)
        try:
            print_ = fingerprint(request)
        except RequestDataTooBig:
            return self.get_response(request)  # refused by the view the same way
        return self._once(request, user, key, print_)

    def _once(self, request: HttpRequest, user: Any, key: str, print_: str) -> HttpResponse:
        model = _model()
        with transaction.atomic():
            model.objects.filter(user=user, created_at__lt=timezone.now() - RETENTION).delete()
            record = model.objects.select_for_update().filter(user=user, key=key).first()
            if record is None:
                try:
                    with transaction.atomic():
                        record = model.objects.create(
                            user=user,
                            key=key,
                            method=request.method or "",
                            path=request.path[:2000],
                            fingerprint=print_,
                        )
                except IntegrityError:
                    # A concurrent first request committed meanwhile: answer as a retry.
                    record = model.objects.select_for_update().get(user=user, key=key)
                else:
                    return self._first(request, record)
            return self._retry(request, record, print_)

    def _first(self, request: HttpRequest, record: Any) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code >= 500 or response.streaming:
            transaction.set_rollback(True)  # neither the write nor the record: retry allowed
            return response
        record.status_code = response.status_code
        record.content_type = response.get("Content-Type", "")
        record.body = response.content
        record.save(update_fields=["status_code", "content_type", "body"])
        return response

    def _retry(self, request: HttpRequest, record: Any, print_: str) -> HttpResponse:
        if record.fingerprint != print_:
            return _problem(
                request,
                422,
                _("Idempotency-Key already used"),
                _(
                    "This Idempotency-Key was used for a different request (another method, "
                    "address or body). Use a new key for a new request."
                ),
            )
        return _replay(record)


def document_idempotency_key(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every write operation accepts the
    ``Idempotency-Key`` header and may answer 422 when the key was used for another request."""
    problem = {
        "application/problem+json": {
            "schema": {
                "type": "object",
                "properties": {
                    "type": {"type": "string"},
                    "title": {"type": "string"},
                    "status": {"type": "integer"},
                    "detail": {"type": "string"},
                    "instance": {"type": "string"},
                },
            }
        }
    }
    parameter = {
        "in": "header",
        "name": HEADER,
        "required": False,
        "description": (
            "Makes a retry safe: a repeated request with the same key and the same body "
            "within 24 hours returns the first response (header Idempotent-Replayed: true) "
            "without writing again. Per user; 1-255 visible ASCII characters."
        ),
        "schema": {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_KEY_LENGTH,
            "pattern": "^[\\x21-\\x7e]{1,255}$",
        },
    }
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method.upper() not in WRITE_METHODS or not isinstance(operation, dict):
                continue
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("name") == HEADER for p in parameters):
                parameters.append(parameter)
            responses = operation.setdefault("responses", {})
            responses.setdefault(
                "422",
                {
                    "description": "The Idempotency-Key was used for a different request.",
                    "content": problem,
                },
            )
    return result


__all__ = [
    "HEADER",
    "RETENTION",
    "IdempotencyMiddleware",
    "document_idempotency_key",
    "fingerprint",
]
