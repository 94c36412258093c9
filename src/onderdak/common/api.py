"""REST API conventions shared by every app (NL API Design Rules where they apply).

* errors are ``application/problem+json`` (RFC 9457) with ``type``, ``title``, ``status``,
  ``detail`` and ``instance``; validation errors add ``invalidParams`` (name, code, reason);
* every response carries an ``API-Version`` header (rule API-57);
* list endpoints are paginated with ``page`` and ``page_size``.

One mechanism for errors that escape a service (``problem_exception_handler``): a model
``ValidationError`` is a 400 with the messages per field (in the request's language), a record
that is still referenced (``ProtectedError``/``RestrictedError``) or a constraint violation
(``IntegrityError``) a 409, a number the database cannot hold a 400 (a 404 when it is the id in
the path); never a 500. ``ValidationErrorMiddleware`` is the same safety net for the HTML pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler

from onderdak.common import schema as _schema  # noqa: F401  (registers the schema extensions)
from onderdak.engines.errors import RecordInputError

PROBLEM_CONTENT_TYPE = "application/problem+json"
#: The problem type of a 400 that a model or service rule decided (the request matched the
#: schema, a rule the schema cannot express refused it); other problems name their status.
RULE_PROBLEM_TYPE = "urn:onderdak:problem:rule"


def validated(
    serializer: type[serializers.Serializer[Any]], data: Any, *, partial: bool = False
) -> dict[str, Any]:
    """``data`` (a request body or query) checked by ``serializer``; a 400 problem otherwise.

    A JSON body must use JSON's own types where the schema says boolean, integer or string: DRF
    would take ``0``, ``"yes"`` or ``"12"`` as well (it is made for HTML forms too), and text
    longer than its ``maxLength`` before DRF trims its whitespace is too long."""
    checked = serializer(data=data, partial=partial)
    is_json = isinstance(data, dict) and not isinstance(data, QueryDict)
    wrong = _json_type_errors(checked, data) if is_json else {}
    valid = checked.is_valid()
    if wrong or not valid:
        errors = {**(checked.errors if not valid else {}), **wrong}
        raise serializers.ValidationError(errors)
    return dict(checked.validated_data)


def _json_type_errors(checked: serializers.Serializer[Any], data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    for name, field in checked.fields.items():
        if field.read_only or name not in data or (data[name] is None and field.allow_null):
            continue
        value = data[name]
        if isinstance(field, serializers.BooleanField) and not isinstance(value, bool):
            errors[name] = [_("Must be true or false.")]
        elif isinstance(field, serializers.IntegerField) and (
            isinstance(value, bool) or not isinstance(value, int)
        ):
            errors[name] = [_("Must be a whole number.")]
        elif isinstance(field, (serializers.CharField, serializers.ChoiceField)) and not isinstance(
            value, str
        ):
            errors[name] = [_("Must be text.")]
        elif (
            isinstance(field, serializers.CharField)
            and field.max_length is not None
            and len(value) > field.max_length
        ):
            # DRF trims whitespace first; the schema's maxLength counts what was sent
            errors[name] = [field.error_messages["max_length"].format(max_length=field.max_length)]
    return errors


@contextmanager
def model_validation_as_400() -> Iterator[None]:
    """Run a service; a model ``ValidationError`` becomes a 400 with the messages per field."""
    try:
        yield
    except ValidationError as error:
        raise RuleViolation(validation_detail(error)) from None


class RuleViolation(serializers.ValidationError):
    """A 400 decided by a model or service rule (problem type ``RULE_PROBLEM_TYPE``)."""


def validation_detail(error: ValidationError) -> dict[str, list[str]] | list[str]:
    """The messages of a model ``ValidationError`` per field (``__all__`` for the record as a
    whole, as Django names it; a message without a field is listed as ``nonFieldErrors``)."""
    if hasattr(error, "error_dict"):
        return dict(error.message_dict)
    return list(error.messages)


class Conflict(exceptions.APIException):
    """409: the request conflicts with the stored data (still referenced, a duplicate)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The request conflicts with the stored data.")
    default_code = "conflict"


def _still_used_message(error: ProtectedError | RestrictedError) -> str:
    """Dutch-readable: which kinds of records still refer to the one being deleted."""
    objects = (
        error.protected_objects if isinstance(error, ProtectedError) else error.restricted_objects
    )
    kinds = sorted({str(item._meta.verbose_name_plural) for item in objects})
    if not kinds:
        return _("This record is still in use by other records and cannot be deleted.")
    return _(
        "This record is still in use and cannot be deleted; first remove or move: %(kinds)s."
    ) % {"kinds": get_text_list(kinds, _("and"))}


def _path_id_out_of_range(context: dict[str, Any]) -> bool:
    kwargs = context.get("kwargs") or {}
    return any(isinstance(value, int) and abs(value) > 2**63 - 1 for value in kwargs.values())


def api_exception_for(exc: Exception, context: dict[str, Any]) -> Exception:  # noqa: PLR0911
    """The DRF exception that stands for an exception escaping a view or service."""
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, ValidationError):
        return RuleViolation(validation_detail(exc))
    if isinstance(exc, RecordInputError):
        return RuleViolation({exc.field or "nonFieldErrors": [exc.message]})
    if isinstance(exc, (ProtectedError, RestrictedError)):
        return Conflict(_still_used_message(exc))
    if isinstance(exc, IntegrityError):
        return Conflict(
            _("The change conflicts with stored data (for example a record that already exists).")
        )
    if isinstance(exc, (OverflowError, DataError)):
        # A number or text the database cannot hold: an id in the path names no record, any
        # other value is invalid input.
        if _path_id_out_of_range(context):
            return exceptions.NotFound()
        return serializers.ValidationError(
            {"nonFieldErrors": [_("A value is out of range (a number too large or too long).")]}
        )
    return exc


class Pagination(PageNumberPagination):
    """``page`` and ``page_size``; a ``page_size`` that is not a whole number from 1 to 500 is a
    400 (not silently the default), a page past the end a 404."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int | None:
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        field = serializers.IntegerField(min_value=1, max_value=self.max_page_size)
        try:
            sizes: set[int] = {field.run_validation(value) for value in values}
        except serializers.ValidationError as error:
            raise serializers.ValidationError({self.page_size_query_param: error.detail}) from None
        if len(sizes) > 1:
            raise serializers.ValidationError(
                {self.page_size_query_param: [_("Give one page size.")]}
            )
        return sizes.pop()

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        value = request.query_params.get(self.page_query_param)
        if value is not None and value not in self.last_page_strings and not value.isdigit():
            raise serializers.ValidationError(
                {self.page_query_param: [_("Give a page number from 1.")]}
            )
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return parameters


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
    """DRF exception handler that renders every error as problem+json (see the module)."""
    exc = api_exception_for(exc, context)
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    assert isinstance(exc, exceptions.APIException)
    extra: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        title = _("Invalid input")
        detail = _("One or more fields are invalid.")
        extra["invalidParams"] = _invalid_params(exc.detail)
        if isinstance(exc, RuleViolation):
            extra["type"] = RULE_PROBLEM_TYPE
    elif isinstance(exc, exceptions.ParseError):
        # DRF's detail carries the parser's English message ("JSON parse error - Expecting ...")
        title = _("Bad request")
        detail = _("The request body could not be read: send valid JSON.")
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
    return problem_response(request, status.HTTP_404_NOT_FOUND, _("Not found."))


class ValidationErrorMiddleware:
    """Safety net for the HTML pages: a model ``ValidationError`` that escapes a view is a 400
    page with its (translated) messages, a record still in use a 409 page; never a 500. Forms
    should still show such messages as form errors; this only catches what they miss."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None  # the API's exception handler answers there
        if isinstance(exception, ValidationError):
            messages = [str(message) for message in exception.messages]
            return _error_page(request, 400, _("The input could not be saved"), messages)
        if isinstance(exception, (ProtectedError, RestrictedError)):
            return _error_page(request, 409, _("Cannot delete"), [_still_used_message(exception)])
        return None


def _error_page(
    request: HttpRequest, status_code: int, title: str, messages: list[str]
) -> HttpResponse:
    text = " ".join(messages) or title
    return render(
        request,
        "core/error.html",
        {"status": status_code, "title": title, "text": text},
        status=status_code,
    )
