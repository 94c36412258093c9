"""The API's refusals speak the client's language (``Accept-Language``), like the pages.

A refusal text written as a bare literal (``RuleViolation({"organisation": ["Unknown ..."]})``,
``permission_denied(request, message="You may not ...")``, ``default_detail = "Conflict"``) is
never looked up in the catalogue, so a Dutch client reads English. The static test finds such
literals in every app's API module; the behaviour tests check a few refusals end to end.
"""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path
from typing import Any

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

import pytest

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.programme.models import Decision

SOURCE = Path(__file__).resolve().parents[2] / "src" / "onderdak"
API_MODULES = [*sorted(SOURCE.glob("apps/*/api/*.py")), SOURCE / "common" / "api.py"]

#: Calls that translate their text: at call time, and lazily (for class attributes).
GETTEXT = {"_", "gettext", "pgettext", "ngettext", "gettext_lazy", "pgettext_lazy", "ngettext_lazy"}
LAZY = {"gettext_lazy", "pgettext_lazy", "ngettext_lazy"}
#: Exceptions whose first argument (or ``detail=``) is the message the client reads.
REFUSALS = {
    "RuleViolation",
    "ValidationError",
    "PermissionDenied",
    "NotFound",
    "Conflict",
    "APIException",
}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _translates(node: ast.expr, names: set[str] = GETTEXT) -> bool:
    return isinstance(node, ast.Call) and _name(node.func) in names


def _assignments(tree: ast.AST) -> dict[int, dict[str, list[ast.expr]]]:
    """Per function (by ``id``), the values assigned to each local name: a message built into
    a variable first (``empty = {...}; raise ValidationError(empty)``) is checked as well."""
    scopes: dict[int, dict[str, list[ast.expr]]] = {}
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        names: dict[str, list[ast.expr]] = {}
        for node in ast.walk(function):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        names.setdefault(target.id, []).append(node.value)
            elif (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and node.value is not None
            ):
                names.setdefault(node.target.id, []).append(node.value)
        scopes[id(function)] = names
    return scopes


def _parts(node: ast.expr) -> list[ast.expr]:
    """The sub-expressions of a message expression that may hold its text."""
    match node:
        case ast.IfExp(body=body, orelse=orelse):
            parts = [body, orelse]
        case ast.BoolOp(values=values) | ast.Dict(values=values):  # a dict's keys: field names
            parts = list(values)
        case ast.BinOp(left=left, op=ast.Mod()):  # _("... %(value)s") % {...} is fine
            parts = [left]
        case ast.BinOp(left=left, right=right):
            parts = [left, right]
        case ast.List(elts=elts) | ast.Tuple(elts=elts) | ast.Set(elts=elts):
            parts = list(elts)
        case ast.Starred(value=value) | ast.DictComp(value=value):
            parts = [value]
        case ast.ListComp(elt=elt) | ast.SetComp(elt=elt) | ast.GeneratorExp(elt=elt):
            parts = [elt]
        case _:  # a call: a translation, or a value computed elsewhere (str(error), a join)
            parts = []
    return parts


def _untranslated(node: ast.expr, local: dict[str, list[ast.expr]]) -> list[ast.expr]:
    """The literal texts in the message expression ``node`` that no gettext call wraps."""
    if isinstance(node, ast.Constant):
        text = node.value
        return [node] if isinstance(text, str) and any(c.isalpha() for c in text) else []
    if isinstance(node, ast.JoinedStr):
        return [node]
    # a name is followed to what the function assigned to it (popped: followed once)
    parts = local.pop(node.id, []) if isinstance(node, ast.Name) else _parts(node)
    return [bad for part in parts for bad in _untranslated(part, local)]


def _messages(call: ast.Call) -> list[ast.expr]:
    """The arguments of ``call`` that carry a message the client reads."""
    name = _name(call.func)
    if name == "permission_denied":
        return [*call.args[1:], *(k.value for k in call.keywords if k.arg == "message")]
    if name in REFUSALS:
        return [*call.args[:1], *(k.value for k in call.keywords if k.arg == "detail")]
    return []


def untranslated_refusals(source: str, filename: str = "<api>") -> list[str]:
    """``file:line: text`` of every refusal text in ``source`` that is not translated."""
    tree = ast.parse(source)
    scopes = _assignments(tree)
    found: list[str] = []

    def report(nodes: list[ast.expr], why: str = "") -> None:
        found.extend(f"{filename}:{node.lineno}: {ast.unparse(node)}{why}" for node in nodes)

    def visit(node: ast.AST, local: dict[str, list[ast.expr]]) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            local = scopes[id(node)]
        if isinstance(node, ast.Call):
            for message in _messages(node):
                report(_untranslated(message, dict(local)))
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                if (
                    isinstance(statement, ast.Assign)
                    and any(_name(target) == "default_detail" for target in statement.targets)
                    and not _translates(statement.value, LAZY)
                ):
                    report([statement.value], " (default_detail needs gettext_lazy)")
        for child in ast.iter_child_nodes(node):
            visit(child, local)

    visit(tree, {})
    return found


def test_every_api_refusal_text_is_translated() -> None:
    offending = [
        line
        for path in API_MODULES
        for line in untranslated_refusals(
            path.read_text(encoding="utf-8"), str(path.relative_to(SOURCE))
        )
    ]
    assert offending == []


@pytest.mark.parametrize(
    "source",
    [
        'raise RuleViolation({"organisation": ["Unknown organisation."]})',
        'raise RuleViolation({name: [f"Unknown {label}."]})',
        'raise RuleViolation({"o": [_("May not.") if exists else "Unknown organisation."]})',
        'raise RuleViolation({"file": [str(e) for e in errors] or ["Not imported."]})',
        "raise serializers.ValidationError(f\"Unknown BBV task field '{value}'.\")",
        'raise serializers.ValidationError({"date": ["Use a date as YYYY-MM-DD."]})',
        'self.permission_denied(request, message="You may not change this service.")',
        'view.permission_denied(request, "You may not change this record.")',
        'raise RuleViolation("Unknown %(x)s." % {"x": x})',
        "class Conflict(APIException):\n    default_detail = 'Conflict'",
        "class Conflict(APIException):\n    default_detail = _('Conflict with the state.')",
        'def f(data):\n    empty = {n: ["May not be empty."] for n in data}\n'
        "    raise serializers.ValidationError(empty)",
    ],
)
def test_the_check_finds_an_untranslated_refusal(source: str) -> None:
    assert len(untranslated_refusals(source)) == 1


@pytest.mark.parametrize(
    "source",
    [
        'raise RuleViolation({"organisation": [_("Unknown organisation.")]})',
        'raise RuleViolation({name: [_("Unknown \'%(value)s\'.") % {"value": value}]})',
        'raise RuleViolation({"o": [_("May not.") if exists else _("Unknown.")]})',
        'raise RuleViolation({"file": [str(e) for e in errors] or [_("Not imported.")]})',
        'raise RuleViolation({"scenario": [str(error)]})',
        'raise Conflict(" ".join(error.messages))',
        'self.permission_denied(request, message=_("You may not change this service."))',
        "class Conflict(APIException):\n    default_detail = gettext_lazy('Conflict.')",
        'def f(data):\n    empty = {n: [_("May not be empty.")] for n in data}\n'
        "    raise serializers.ValidationError(empty)",
    ],
)
def test_the_check_accepts_a_translated_refusal(source: str) -> None:
    assert untranslated_refusals(source) == []


# --- behaviour: the refusal in the client's language ---------------------------------------


def api(user: User) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _reasons(response: Any) -> dict[str, str]:
    """The reason per invalid parameter of a 400 problem response."""
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    return {param["name"]: param["reason"] for param in body["invalidParams"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "reason"),
    [("nl", "Onbekende organisatie."), ("en", "Unknown organisation.")],
)
def test_care_refuses_an_unrelated_organisation_in_the_clients_language(
    users: dict[str, User], organisations: dict[str, Organisation], language: str, reason: str
) -> None:
    response = api(users["diemen-editor"]).post(
        "/api/v1/care/partners",
        {
            "organisation": organisations["amsterdam"].pk,
            "name": "Taalhuis",
            "kind": "language_provider",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert _reasons(response) == {"organisation": reason}


@pytest.mark.django_db
def test_quotas_refuses_a_realisation_for_another_organisation_in_dutch(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    client = api(users["diemen-editor"])
    body = {"target_group": "status_holder", "date": "2024-03-01", "amount": 3}
    other = client.post(
        "/api/v1/realisations",
        {**body, "organisation": organisations["amsterdam"].pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert _reasons(other) == {
        "organisation": "U mag geen realisaties vastleggen voor deze organisatie."
    }
    unknown = client.post(
        "/api/v1/realisations",
        {**body, "organisation": 2**40},
        format="json",
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert _reasons(unknown) == {"organisation": "Onbekende organisatie."}


@pytest.mark.django_db
def test_a_viewer_changing_a_decision_is_refused_in_dutch(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    decision = Decision.objects.create(
        organisation=organisations["diemen"],
        decided_on=date(2024, 1, 1),
        body="college",
        title="Structurele inbedding",
    )
    response = api(users["diemen-viewer"]).patch(
        f"/api/v1/decisions/{decision.pk}",
        {"title": "gewijzigd"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "U mag dit besluit niet wijzigen."
    decision.refresh_from_db()
    assert decision.title == "Structurele inbedding"
