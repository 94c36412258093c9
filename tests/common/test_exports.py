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


def test_dutch_numbers_percentages_and_money() -> None:
    from django.template import Context, Template
    from django.utils import translation

    from onderdak.common.exports import format_money, format_number, format_percent, word_text

    with translation.override("nl"):
        assert format_number(1234.5) == "1.234,5"
        assert format_number(0.37414, 4) == "0,3741"
        assert format_number(12) == "12"
        assert format_percent(0.08) == "8,0%"
        assert format_percent(0.375, 0) == "38%"
        assert format_money(Decimal("1234.56")) == "\u20ac\u00a01.234,56"
        assert format_number(None) == "" and format_number("n.v.t.") == "n.v.t."
        assert word_text(0.5) == "0,5" and word_text("a\x00b") == "ab"
        rendered = Template(
            "{% load od_formats %}{{ a|number }} {{ b|percent }} {{ c|money }} {{ d|number:2 }}"
        ).render(Context({"a": 1234.5, "b": 0.08, "c": 1234.56, "d": 3}))
        assert rendered == "1.234,5 8,0% \u20ac\u00a01.234,56 3,00"


def test_write_rows_never_writes_a_formula() -> None:
    from openpyxl import Workbook

    from onderdak.common.exports import write_rows

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    write_rows(sheet, [["=1+1", "tekst\x0b", 3, None]])
    assert [c.value for c in sheet[1]] == ["'=1+1", "tekst", 3, None]
    assert [c.data_type for c in sheet[1][:2]] == ["s", "s"]
