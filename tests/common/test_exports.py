"""The one way out: formula neutralisation, XML-safe text and Dutch CSV formats."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from onderdak.common.exports import csv_cell, export_cell, neutralise, safe_text


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_formula_start_is_escaped(start: str) -> None:
    assert neutralise(start + 'HYPERLINK("http://x")').startswith("'" + start)


def test_plain_text_is_unchanged() -> None:
    assert neutralise("Diemerdreef 12") == "Diemerdreef 12"


def test_xml_illegal_characters_are_removed() -> None:
    assert safe_text("a\x00b\x0bc\td\ne") == "abc\td\ne"


def test_numbers_and_dates_stay_typed_for_excel() -> None:
    assert export_cell(-5) == -5
    assert export_cell(Decimal("1.50")) == Decimal("1.50")
    assert export_cell(date(2024, 5, 15)) == date(2024, 5, 15)
    assert export_cell("=1+1") == "'=1+1"


def test_dutch_csv_formats() -> None:
    assert csv_cell(Decimal("1234.50")) == "1234,50"
    assert csv_cell(0.25) == "0,25"
    assert csv_cell(date(2024, 5, 1)) == "01-05-2024"
    assert csv_cell(None) == ""
    assert csv_cell("-2") == "'-2"
