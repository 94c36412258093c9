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
