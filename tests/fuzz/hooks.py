"""Schemathesis hooks for the API fuzzing (loaded through ``SCHEMATHESIS_HOOKS``).

``positive_data_acceptance_or_rule`` is schemathesis' ``positive_data_acceptance`` with one
exception: a schema-valid request may be refused with a 400 whose problem type is
``common.api.RULE_PROBLEM_TYPE``: a model or service rule the schema cannot express (dates in
order, a record still in use, a placement the household does not fit), or a 422 for an ``Idempotency-Key`` the generated
data used twice (the schema documents that 422). Any other refusal of
schema-valid data (a 400 for a value the schema allows) is still a failure: the schema and the
serializers disagree.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import positive_data_acceptance

from onderdak.common.api import RULE_PROBLEM_TYPE


@schemathesis.check
def positive_data_acceptance_or_rule(ctx: Any, response: Any, case: Any) -> bool | None:
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if response.status_code == 400 and _problem_type(response) == RULE_PROBLEM_TYPE:
            return None
        if response.status_code == 422 and _reused_idempotency_key(case):
            return None
        raise


def _reused_idempotency_key(case: Any) -> bool:
    """The generated data reused an ``Idempotency-Key`` for another request: the schema says
    422 for that (the key must be unique, which no schema can express)."""
    headers = {name.lower() for name in (case.headers or {})}
    return "idempotency-key" in headers


def _problem_type(response: Any) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("type") if isinstance(body, dict) else None
