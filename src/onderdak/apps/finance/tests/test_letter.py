"""The quarterly letter: adoption freezes, differences, who may edit, downloads, escaping,
confirmation before adopting, the API and the Iv3 totals."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

import pytest
from tests.fixtures import PASSWORD, logged_in

from onderdak.apps.accounts.models import Organisation, Role, User
from onderdak.apps.accounts.services import user_set_membership
from onderdak.apps.finance import iv3, services
from onderdak.apps.finance import letter as letters
from onderdak.apps.finance.forecast import year_end_forecast
from onderdak.apps.finance.letter_docx import letter_docx
from onderdak.apps.finance.letter_xlsx import letter_xlsx
from onderdak.apps.finance.models import BudgetLine, LetterStatus, QuarterlyLetter

pytestmark = pytest.mark.django_db

TODAY = date(2025, 10, 15)


@pytest.fixture
def controller(organisations: dict[str, Organisation]) -> User:
    return user_set_membership(
        username="diemen-controller",
        organisation=organisations["diemen"],
        role=Role.CONTROLLER,
        password=PASSWORD,
    )


@pytest.fixture
def budget(controller: User, organisations: dict[str, Organisation]) -> BudgetLine:
    line = services.budget_line_create(
        actor=controller,
        organisation=organisations["diemen"],
        year=2025,
        task_field="1.1",
        track="temporary_housing",
        target_group="",
        direction="expenditure",
        description="Crisisbeheersing locaties",
        amount=Decimal("100000.00"),
    )
    services.amendment_create(
        actor=controller,
        line=line,
        decided_on=date(2025, 8, 1),
        amount=Decimal("20000.00"),
        reference="Raad 2025-08-01",
    )
    return line


@pytest.fixture
def draft(
    controller: User, organisations: dict[str, Organisation], budget: BudgetLine
) -> QuarterlyLetter:
    return letters.letter_create(
        actor=controller, organisation=organisations["diemen"], year=2025, quarter=3
    )


def _line(figures: dict[str, object], task_field: str) -> dict[str, str]:
    [line] = [x for x in figures["lines"] if x["task_field"] == task_field]  # type: ignore[attr-defined]
    return line  # type: ignore[no-any-return]


def test_quarter_end_and_as_of() -> None:
    assert letters.quarter_end(2025, 3) == date(2025, 9, 30)
    assert letters.quarter_end(2025, 4) == date(2025, 12, 31)
    assert letters.letter_as_of(2025, 3, date(2025, 8, 10)) == date(2025, 8, 10)
    assert letters.letter_as_of(2025, 3, TODAY) == date(2025, 9, 30)


def test_proposal_is_forecast_minus_current_in_whole_euros_for_amber_and_red() -> None:
    line = {"light": "red", "forecast": "1500.50", "current": "1000.00"}
    assert letters.propose(line) == Decimal(501)
    assert letters.propose({**line, "forecast": "999.49", "light": "amber"}) == Decimal(-1)
    assert letters.propose({**line, "light": "green"}) is None


def test_adopting_freezes_and_later_changes_show_as_differences(
    controller: User, draft: QuarterlyLetter, budget: BudgetLine
) -> None:
    letters.commentary_update(actor=controller, letter=draft, texts={"overall": "Op koers."})
    adopted = letters.letter_adopt(actor=controller, letter=draft, today=TODAY)
    assert adopted.status == LetterStatus.ADOPTED
    assert adopted.adopted_on == TODAY
    assert adopted.adopted_by == controller
    frozen = _line(adopted.figures, "1.1")
    assert frozen["current"] == "120000.00"
    assert isinstance(frozen["forecast"], str)
    assert adopted.figures["amendments"][0]["reference"] == "Raad 2025-08-01"
    assert adopted.figures["commentary"]["overall"] == "Op koers."
    sites = [x for x in adopted.figures["signals"] if x["track"] == "temporary_housing"]
    assert [x["light"] for x in sites] == ["grey"]

    services.budget_line_update(actor=controller, line=budget, amount=Decimal("150000.00"))
    adopted.refresh_from_db()
    assert _line(adopted.figures, "1.1")["current"] == "120000.00"
    view = letters.letter_view(user=controller, letter=adopted, today=TODAY)
    [line] = view.sections[3].lines
    assert line["current"] == Decimal("120000.00")
    current = [d for d in view.differences if d.field == "current"]
    assert [(d.task_field, d.adopted, d.now, d.difference) for d in current] == [
        ("1.1", Decimal("120000.00"), Decimal("170000.00"), Decimal("50000.00"))
    ]
    with pytest.raises(ValidationError):
        letters.commentary_update(actor=controller, letter=adopted, texts={"overall": "Anders"})
    with pytest.raises(ValidationError):
        letters.letter_adopt(actor=controller, letter=adopted, today=TODAY)


@pytest.mark.parametrize("name", ["diemen-editor", "diemen-viewer", "uithoorn-editor"])
def test_only_controllers_and_administrators_edit_and_adopt(
    name: str,
    users: dict[str, User],
    draft: QuarterlyLetter,
    organisations: dict[str, Organisation],
) -> None:
    with pytest.raises(PermissionDenied):
        letters.commentary_update(actor=users[name], letter=draft, texts={"overall": "x"})
    with pytest.raises(PermissionDenied):
        letters.letter_adopt(actor=users[name], letter=draft)
    with pytest.raises(PermissionDenied):
        letters.letter_create(
            actor=users[name], organisation=organisations["diemen"], year=2025, quarter=2
        )
    letters.commentary_update(actor=users["diemen-admin"], letter=draft, texts={"care": "ok"})


def test_editor_gets_403_on_the_pages(users: dict[str, User], draft: QuarterlyLetter) -> None:
    client = logged_in(users["diemen-editor"])
    url = reverse("finance:letter", args=[2025, 3])
    assert client.get(url).status_code == 200
    assert client.post(url, {"commentary_overall": "x"}).status_code == 403
    adopt = reverse("finance:letter-adopt", args=[2025, 3])
    assert client.get(adopt).status_code == 403
    assert client.post(adopt, {"confirm": "yes"}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == LetterStatus.DRAFT


def test_adopting_needs_the_confirmation(controller: User, draft: QuarterlyLetter) -> None:
    client = logged_in(controller)
    adopt = reverse("finance:letter-adopt", args=[2025, 3])
    page = client.get(adopt)
    assert page.status_code == 200
    assert "Crisisbeheersing locaties" in page.content.decode()
    assert 'name="confirm"' in page.content.decode()
    draft.refresh_from_db()
    assert draft.status == LetterStatus.DRAFT
    client.post(adopt, {})
    draft.refresh_from_db()
    assert draft.status == LetterStatus.DRAFT
    response = client.post(adopt, {"confirm": "yes"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == LetterStatus.ADOPTED


def test_hostile_commentary_is_escaped(controller: User, draft: QuarterlyLetter) -> None:
    client = logged_in(controller)
    url = reverse("finance:letter", args=[2025, 3])
    hostile = '<script>alert("x")</script>'
    assert client.post(url, {"commentary_overall": hostile}).status_code == 302
    letters.letter_adopt(actor=controller, letter=draft, today=TODAY)
    html = client.get(url).content.decode()
    assert hostile not in html
    assert "&lt;script&gt;" in html
    from docx import Document

    view = letters.letter_view(user=controller, letter=draft, today=TODAY)
    texts = [p.text for p in Document(io.BytesIO(letter_docx(view, with_chart=False))).paragraphs]
    assert hostile in texts


def test_formula_text_does_not_become_a_formula_in_excel(
    controller: User, draft: QuarterlyLetter, budget: BudgetLine
) -> None:
    from openpyxl import load_workbook

    services.budget_line_update(actor=controller, line=budget, description="=HYPERLINK(1)")
    view = letters.letter_view(user=controller, letter=draft, today=TODAY)
    sheet = load_workbook(io.BytesIO(letter_xlsx(view))).worksheets[0]
    values = [c.value for row in sheet.iter_rows() for c in row]
    texts = [str(v) for v in values if isinstance(v, str)]
    assert any(v.startswith("'=HYPERLINK(1)") for v in texts)
    assert not any(v.startswith("=") for v in texts)


def test_page_list_and_create(controller: User, budget: BudgetLine) -> None:
    client = logged_in(controller)
    response = client.post(reverse("finance:letters"), {"year": 2025, "quarter": 3})
    assert response.status_code == 302
    assert QuarterlyLetter.objects.filter(year=2025, quarter=3).exists()
    listing = client.get(reverse("finance:letters")).content.decode()
    assert "Q3 2025" in listing
    again = client.post(reverse("finance:letters"), {"year": 2025, "quarter": 3})
    assert again.status_code == 200


def test_docx_and_xlsx_open_and_hold_the_headings_and_an_amount(
    controller: User, draft: QuarterlyLetter
) -> None:
    from docx import Document
    from openpyxl import load_workbook

    view = letters.letter_view(user=controller, letter=draft, today=TODAY)
    document = Document(io.BytesIO(letter_docx(view, with_chart=False)))
    headings = [
        p.text
        for p in document.paragraphs
        if p.style is not None and str(p.style.name).startswith("Heading")
    ]
    assert letters.track_label("temporary_housing") in headings
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "€\u00a0120.000" in cells
    workbook = load_workbook(io.BytesIO(letter_xlsx(view)))
    values = [c.value for row in workbook.worksheets[0].iter_rows() for c in row]
    assert Decimal("120000.00") in [Decimal(str(v)) for v in values if isinstance(v, (int, float))]
    assert any(str(v).startswith("Crisisbeheersing locaties") for v in values)


def test_downloads_through_the_page(controller: User, draft: QuarterlyLetter) -> None:
    client = logged_in(controller)
    for fmt in ("docx", "xlsx"):
        response = client.get(reverse("finance:letter-download", args=[2025, 3, fmt]))
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith(f'.{fmt}"')
    assert client.get("/financien/kwartaalbrieven/2025/3/download.pdf").status_code == 404


def test_api_list_and_figures(
    controller: User, users: dict[str, User], draft: QuarterlyLetter
) -> None:
    client = logged_in(controller)
    listing = client.get("/api/v1/finance/letters/")
    assert listing.status_code == 200
    assert listing.json()[0]["quarter"] == 3
    detail = client.get("/api/v1/finance/letters/2025/3/").json()
    [line] = [x for s in detail["sections"] for x in s["lines"] if x["task_field"] == "1.1"]
    assert line["current"] == "120000.00"
    letters.letter_adopt(actor=controller, letter=draft, today=TODAY)
    budget = BudgetLine.objects.get(task_field="1.1")
    services.budget_line_update(actor=controller, line=budget, amount=Decimal("90000.00"))
    adopted = client.get("/api/v1/finance/letters/2025/3/").json()
    assert adopted["status"] == "adopted"
    changed = [d for d in adopted["differences"] if d["field"] == "current"]
    assert [(d["adopted"], d["now"], d["difference"]) for d in changed] == [
        ("120000.00", "110000.00", "-10000.00")
    ]
    other = logged_in(users["uithoorn-editor"])
    organisation = draft.organisation_id
    assert (
        other.get(f"/api/v1/finance/letters/2025/3/?organisation={organisation}").status_code == 404
    )


def test_iv3_totals_equal_the_forecast_per_task_field(
    controller: User, organisations: dict[str, Organisation], budget: BudgetLine
) -> None:
    diemen = organisations["diemen"]
    report = iv3.iv3_report(user=controller, organisation_id=diemen.pk, year=2025, quarter=3)
    assert report.error == ""
    forecast = year_end_forecast(
        user=controller, organisation_id=diemen.pk, year=2025, as_of=date(2025, 9, 30)
    )
    for row in report.rows:
        lines = [x for x in forecast.lines if x.task_field == row.task_field]
        spend = [x for x in lines if x.direction == "expenditure"]
        income = [x for x in lines if x.direction == "income"]
        assert row.budget_expenditure == sum((x.current for x in spend), Decimal(0))
        assert row.actual_expenditure == sum((x.actual_to_date for x in spend), Decimal(0))
        assert row.forecast_expenditure == sum((x.forecast for x in spend), Decimal(0))
        assert row.budget_income == sum((x.current for x in income), Decimal(0))
        assert row.forecast_income == sum((x.forecast for x in income), Decimal(0))
    [row] = [r for r in report.rows if r.task_field == "1.1"]
    assert row.budget_expenditure == Decimal("120000.00")
    assert report.total is not None
    assert report.total.budget_expenditure == sum(
        (r.budget_expenditure for r in report.rows), Decimal(0)
    )
    client = logged_in(controller)
    page = client.get("/financien/iv3/?jaar=2025&kwartaal=3")
    assert page.status_code == 200
    csv = client.get("/financien/iv3/?jaar=2025&kwartaal=3&export=csv")
    assert ";120000,00;" in csv.content.decode("utf-8-sig")


def test_seed_letters_creates_a_labelled_draft(
    controller: User, organisations: dict[str, Organisation]
) -> None:
    letter = letters.seed_letters(actor=controller, organisation=organisations["diemen"])
    assert letter.status == LetterStatus.DRAFT
    texts = {c.track: c.text for c in letter.commentaries.all()}
    assert all(text.startswith("[Demo") for text in texts.values())
    assert (
        letters.seed_letters(actor=controller, organisation=organisations["diemen"]).pk == letter.pk
    )


def test_diemen_demo_letter_renders_with_chart(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    from docx import Document

    from onderdak.apps.care.demo import demo_seed as care_seed
    from onderdak.apps.finance.demo import demo_seed as finance_seed
    from onderdak.apps.housing.demo import demo_seed as housing_seed

    admin, diemen = users["diemen-admin"], organisations["diemen"]
    housing_seed(actor=admin, organisation=diemen)
    care_seed(actor=admin, organisation=diemen)
    finance_seed(actor=admin, organisation=diemen)
    letter = letters.seed_letters(actor=admin, organisation=diemen)
    view = letters.letter_view(user=admin, letter=letter, today=TODAY)
    assert view.error == ""
    assert view.figures["lines"]
    assert view.figures["amendments"] or view.figures["lines"]
    document = Document(io.BytesIO(letter_docx(view)))
    assert len(document.inline_shapes) == 1
    page = logged_in(admin).get(reverse("finance:letter", args=[2025, 3]))
    assert page.status_code == 200
    assert "[Demo, verzonnen]" in page.content.decode()
    # the page draws the chart of the forecast page (the same spec as the Word image)
    assert "<svg" in page.content.decode()
