"""REST API conventions shared by every app (NL API Design Rules where they apply).

* errors are ``application/problem+json`` (RFC 9457) with ``type``, ``title``, ``status``,
  ``detail`` and ``instance``; validation errors add ``invalidParams`` (name, code, reason);
* every response carries an ``API-Version`` header (rule API-57);
* list endpoints are paginated with ``page`` and ``page_size``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"


def validated(
    serializer: type[serializers.Serializer[Any]], data: Any, *, partial: bool = False
) -> dict[str, Any]:
    """``data`` (a request body or query) checked by ``serializer``; a 400 problem otherwise."""
    checked = serializer(data=data, partial=partial)
    checked.is_valid(raise_exception=True)
    return dict(checked.validated_data)


@contextmanager
def model_validation_as_400() -> Iterator[None]:
    """Run a service; a model ``ValidationError`` becomes a 400 with the messages per field."""
    try:
        yield
    except ValidationError as error:
        raise serializers.ValidationError(
            error.message_dict if hasattr(error, "error_dict") else error.messages
        ) from None


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def _invalid_params(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    params: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for name, value in detail.items():
            key = f"{prefix}.{name}" if prefix else str(name)
            params += _invalid_params(value, key)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, (dict, list)):
                params += _invalid_params(value, f"{prefix}.{index}" if prefix else str(index))
            else:
                params.append(
                    {
                        "name": prefix or "nonFieldErrors",
                        "code": getattr(value, "code", "invalid"),
                        "reason": str(value),
                    }
                )
    else:
        params.append(
            {
                "name": prefix or "nonFieldErrors",
                "code": getattr(detail, "code", "invalid"),
                "reason": str(detail),
            }
        )
    return params


def problem_response(
    request: Request | None, status_code: int, title: str, detail: str = "", **extra: Any
) -> Response:
    body: dict[str, Any] = {
        "type": f"https://httpstatuses.io/{status_code}",
        "title": title,
        "status": status_code,
        "detail": detail or title,
        "instance": request.get_full_path() if request is not None else "",
    }
    body.update(extra)
    response = Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)
    return response


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler that renders every error as problem+json."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    assert isinstance(exc, exceptions.APIException)
    extra: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        title = "Ongeldige invoer"
        detail = "Een of meer velden zijn ongeldig."
        extra["invalidParams"] = _invalid_params(exc.detail)
    else:
        title = str(exc.default_detail)
        detail = str(exc.detail) if not isinstance(exc.detail, (dict, list)) else title
    problem = problem_response(request, response.status_code, title, detail, **extra)
    for header, value in response.items():
        if header.lower() not in {"content-type", "content-length"}:
            problem[header] = value
    return problem


class ApiVersionMiddleware:
    """Add the ``API-Version`` header to every API response (NL API Design Rules, API-57)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            response["API-Version"] = settings.REST_FRAMEWORK.get("DEFAULT_VERSION", "1.0.0")
        return response


def not_found_problem(request: Any) -> Response:
    return problem_response(request, status.HTTP_404_NOT_FOUND, "Niet gevonden.")
