"""Every literal English source string has a Dutch translation in the catalogue (issue 11).

``onderdak check-translations`` checks the entries the catalogue has; a msgid that was never
appended to ``django.po`` is shown in English on a Dutch page. This finds those: each
``{% translate "..." %}`` in a template and each ``_("...")``/``gettext_lazy("...")`` in the apps.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib

SOURCE = Path(__file__).resolve().parents[2] / "src" / "onderdak"
CATALOGUE = SOURCE / "locale" / "nl" / "LC_MESSAGES" / "django.po"
TEMPLATE = re.compile(r"""{%\s*translate\s+(?:"([^"]+)"|'([^']+)')""")
PYTHON = re.compile(r"""\b(?:_|gettext|gettext_lazy)\(\s*"((?:[^"\\]|\\.)*)"\s*[,)]""")


def _translated() -> set[str]:
    return {e.msgid for e in polib.pofile(str(CATALOGUE)) if e.translated() and not e.msgctxt}


def test_every_template_string_is_in_the_dutch_catalogue() -> None:
    known = _translated()
    missing = {
        (match.group(1) or match.group(2), str(path.relative_to(SOURCE)))
        for path in SOURCE.rglob("*.html")
        for match in TEMPLATE.finditer(path.read_text(encoding="utf-8"))
        if (match.group(1) or match.group(2)) not in known
    }
    assert missing == set()


def test_every_python_string_is_in_the_dutch_catalogue() -> None:
    known = _translated()
    missing = {
        (match.group(1), str(path.relative_to(SOURCE)))
        for path in SOURCE.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
        for match in PYTHON.finditer(path.read_text(encoding="utf-8"))
        if ast.literal_eval(f'"{match.group(1)}"') not in known
    }
    assert missing == set()


def test_no_template_translates_a_literal_with_a_percent_sign() -> None:
    """``{% translate "5% ..." %}`` looks the text up as ``"5%% ..."`` (Django doubles the sign
    for literals), so it is never found and the page shows English: such texts come from Python
    (a template filter or the view) instead."""
    offending = {
        (match.group(1) or match.group(2), str(path.relative_to(SOURCE)))
        for path in SOURCE.rglob("*.html")
        for match in TEMPLATE.finditer(path.read_text(encoding="utf-8"))
        if "%" in (match.group(1) or match.group(2))
    }
    assert offending == set()


GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext"}


def test_no_translation_call_sits_inside_an_f_string() -> None:
    """``makemessages`` (xgettext) does not look inside f-strings: ``f"{_('Channel')}: ..."`` is
    never extracted, so it stays English on a Dutch page unless the same text happens to be in
    the catalogue already. Translate first (``_("Channel: %(channel)s") % ...``), or put the
    translated text in a variable and use that in the f-string."""
    offending = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id in GETTEXT_NAMES
                ):
                    offending.add((str(path.relative_to(SOURCE)), node.lineno))
    assert offending == set()
