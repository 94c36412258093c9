"""OpenAPI schema hooks (drf-spectacular): every error status an operation can answer is
documented, as ``application/problem+json`` with one ``Problem`` component.

Which statuses, per operation (``common.api.problem_exception_handler`` produces them):

* 401 for every operation that requires authentication, 403 and 404 for every operation
  (records the user may not see answer 404, ids in the path or in query values);
* 400 for every operation with parameters or a request body (invalid input, a model
  ``ValidationError`` escaping a service);
* 409 for every write (a record still in use, a constraint violation), 415 for every operation
  with a request body (an unsupported content type);
* 422 for writes that document an ``Idempotency-Key`` header (the same key with another body);
* 429 when throttling is configured.

A response an operation documents itself is kept as it is.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.drainage import has_override
from drf_spectacular.extensions import OpenApiSerializerFieldExtension

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error as RFC 9457 problem details (NL API Design Rules, API-46).",
    "properties": {
        "type": {
            "type": "string",
            "description": (
                "A URI that identifies the kind of problem: https://httpstatuses.io/<status>, or "
                "urn:onderdak:problem:rule for a 400 that a business rule decided (the request "
                "matched this schema; a rule it cannot express, such as dates in order, refused it)."
            ),
        },
        "title": {"type": "string", "description": "A short summary in the request's language."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "An explanation of this occurrence."},
        "instance": {"type": "string", "description": "The path of the request."},
        "invalidParams": {
            "type": "array",
            "description": "Invalid input: one entry per message (400 only).",
            "items": {
                "type": "object",
                "properties": {
                    "name": {
                        "type": "string",
                        "description": "The field (dotted for nested ones) or nonFieldErrors.",
                    },
                    "code": {"type": "string"},
                    "reason": {"type": "string", "description": "The message."},
                },
                "required": ["name", "code", "reason"],
            },
        },
    },
    "required": ["type", "title", "status", "detail", "instance"],
}

DESCRIPTIONS = {
    "400": "Invalid input: the messages per field in invalidParams.",
    "401": "Not authenticated (no or an invalid token or session).",
    "403": "Authenticated, but not allowed to do this.",
    "404": "No such record, or not one the user may see.",
    "409": "Conflicts with the stored data (a record still in use, a duplicate).",
    "415": "Unsupported content type of the request body.",
    "422": "The Idempotency-Key was used before for a different request.",
    "429": "Too many requests; retry after the time in the Retry-After header.",
}

WRITE_METHODS = {"post", "put", "patch", "delete"}
HTTP_METHODS = WRITE_METHODS | {"get", "head", "options", "trace"}


def _statuses(method: str, operation: dict[str, Any], throttled: bool) -> list[str]:
    parameters = operation.get("parameters", [])
    statuses = ["403", "404"]
    if {} not in operation.get("security", []):  # {}: authentication is optional
        statuses.append("401")
    if parameters or "requestBody" in operation:
        statuses.append("400")
    if method in WRITE_METHODS:
        statuses.append("409")
        if any(
            p.get("in") == "header" and p.get("name", "").lower() == "idempotency-key"
            for p in parameters
        ):
            statuses.append("422")
    if "requestBody" in operation:
        statuses.append("415")
    if throttled:
        statuses.append("429")
    return sorted(statuses)


INT64 = 2**63 - 1


def _bound_integer(schema: dict[str, Any]) -> None:
    """An integer in the path or query is stored in a 64-bit column (ids): larger is a 400."""
    if schema.get("type") == "integer":
        schema.setdefault("minimum", -INT64 - 1)
        schema.setdefault("maximum", INT64)


def add_problem_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Postprocessing hook: the ``Problem`` component and the error responses (see the module)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    framework = getattr(settings, "REST_FRAMEWORK", {})
    throttled = bool(framework.get("DEFAULT_THROTTLE_CLASSES"))
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code in _statuses(method, operation, throttled):
                responses.setdefault(
                    code,
                    {
                        "description": DESCRIPTIONS[code],
                        "content": {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM_REF}},
                    },
                )
            operation["responses"] = dict(sorted(responses.items()))
            for parameter in operation.get("parameters", []):
                _bound_integer(parameter.get("schema", {}))
    return result


class NonEmptyListField(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]
    """A list that may not be empty (``allow_empty=False``) says so: ``minItems: 1``."""

    target_class = "rest_framework.fields.ListField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if not self.target.allow_empty and isinstance(schema, dict):
            schema.setdefault("minItems", 1)
        return schema


class StrictDecimalField(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]
    """A decimal sent as a string: the pattern asks for at least one digit (not "" or ".") and,
    when ``min_value >= 0``, no minus sign (a string cannot carry ``minimum``)."""

    target_class = "rest_framework.fields.DecimalField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        field = self.target
        if has_override(field, "field") or not isinstance(schema, dict) or "pattern" not in schema:
            return schema  # documented by the field itself
        if field.max_digits is None or field.decimal_places is None:
            return schema
        whole, places = field.max_digits - field.decimal_places, field.decimal_places
        sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
        number = rf"\d{{1,{whole}}}" if whole > 0 else "0"
        if places:
            number = rf"(?:{number}(?:\.\d{{0,{places}}})?|\.\d{{1,{places}}})"
        schema["pattern"] = f"^{sign}{number}$"
        return schema
