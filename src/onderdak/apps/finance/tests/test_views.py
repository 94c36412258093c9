"""Every finance page renders for a viewer and a controller; viewers and editors get 403 on
POST; empty and hostile input gives form errors, not a server error."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from tests.fixtures import logged_in

from onderdak.apps.accounts.models import Organisation, Role, User
from onderdak.apps.accounts.services import user_set_membership
from onderdak.apps.finance import services
from onderdak.apps.finance.models import BudgetLine, Rate

pytestmark = pytest.mark.django_db

PAGES = [
    "/financien/",
    "/financien/normbedragen/",
    "/financien/begroting/?jaar=2025",
    "/financien/begroting/?jaar=abc",
    "/financien/realisatie/",
    "/financien/realisatie/boekingen/",
    "/financien/realisatie/boekingen/?export=xlsx",
    "/financien/grootboek/",
    "/financien/grootboek/?export=csv",
    "/financien/realisatie/sjabloon/?format=csv",
]


@pytest.fixture
def controller(organisations: dict[str, Organisation]) -> User:
    return user_set_membership(
        username="diemen-controller",
        organisation=organisations["diemen"],
        role=Role.CONTROLLER,
        password="x-Very-Long-Password-1",
    )


@pytest.fixture
def line(controller: User, organisations: dict[str, Organisation]) -> BudgetLine:
    diemen = organisations["diemen"]
    services.adopt_national_rates(actor=controller, organisation=diemen)
    line = services.budget_line_create(
        actor=controller,
        organisation=diemen,
        year=2025,
        task_field="6.1",
        track="overall",
        target_group="",
        direction="income",
        description="GOO",
        amount=Decimal("100000"),
    )
    services.amendment_create(
        actor=controller, line=line, decided_on=date(2025, 7, 3), amount=Decimal(5), reference="R"
    )
    services.mapping_create(
        actor=controller,
        organisation=diemen,
        account="8100",
        task_field="6.1",
        track="overall",
        target_group="",
        direction="income",
    )
    return line


@pytest.mark.parametrize("name", ["diemen-viewer", "controller"])
def test_every_page_renders(
    name: str, users: dict[str, User], controller: User, line: BudgetLine
) -> None:
    user = controller if name == "controller" else users[name]
    client = logged_in(user)
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 200, page
    rate = Rate.objects.filter(organisation=line.organisation).first()
    assert rate is not None
    edit_pages = [
        f"/financien/normbedragen/{rate.pk}/",
        f"/financien/begroting/{line.pk}/",
        f"/financien/begroting/{line.pk}/verwijderen/",
        f"/financien/begroting/{line.pk}/wijzigingen/nieuw/",
        "/financien/begroting/nieuw/",
        "/financien/grootboek/nieuw/",
    ]
    history = client.get(f"/financien/normbedragen/{rate.pk}/historie/")
    assert history.status_code == 200
    assert "Wijzigingen van deze regel" in history.content.decode()
    for page in edit_pages:
        expected = 200 if name == "controller" else 403
        assert client.get(page).status_code == expected, page
    budget = client.get("/financien/begroting/?jaar=2025").content.decode()
    assert "100.005,00" in budget
    assert ("Begrotingsregel toevoegen" in budget) == (name == "controller")


@pytest.mark.parametrize("name", ["diemen-viewer", "diemen-editor"])
def test_posts_by_viewer_and_editor_are_refused(
    name: str, users: dict[str, User], line: BudgetLine
) -> None:
    client = logged_in(users[name])
    for page in [
        "/financien/normbedragen/",
        "/financien/begroting/nieuw/",
        f"/financien/begroting/{line.pk}/verwijderen/",
        "/financien/realisatie/",
        "/financien/grootboek/",
    ]:
        assert client.post(page, {}).status_code == 403, page
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_other_municipality_gets_404(users: dict[str, User], line: BudgetLine) -> None:
    client = logged_in(users["uithoorn-editor"])
    assert client.get(f"/financien/begroting/{line.pk}/").status_code == 404
    assert (
        client.get(f"/financien/begroting/?organisatie={line.organisation_id}").status_code == 404
    )


HOSTILE = ["", "<script>alert(1)</script>", "1e400", "-", "'; DROP TABLE x;--", "9" * 40]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_input_gives_form_errors(controller: User, line: BudgetLine, value: str) -> None:
    client = logged_in(controller)
    forms = {
        "/financien/normbedragen/nieuw/": ["scheme", "name", "valid_from", "amount", "unit"],
        "/financien/begroting/nieuw/": ["year", "task_field", "direction", "amount"],
        f"/financien/begroting/{line.pk}/wijzigingen/nieuw/": ["decided_on", "amount"],
        "/financien/grootboek/nieuw/": ["account", "task_field", "direction"],
    }
    for page, fields in forms.items():
        response = client.post(page, dict.fromkeys(fields, value))
        assert response.status_code == 200, page
        assert "utrecht-form-field--invalid" in response.content.decode() or (
            "utrecht-alert--error" in response.content.decode()
        )
    upload = SimpleUploadedFile("x.csv", value.encode() or b"\x00", content_type="text/csv")
    response = client.post(
        "/financien/realisatie/",
        {"file": upload, "period_start": value, "period_end": "2025-03-31"},
    )
    assert response.status_code == 200


def test_import_through_the_page_reports_replacement(controller: User, line: BudgetLine) -> None:
    client = logged_in(controller)
    content = b"boekdatum;grootboekrekening;bedrag\n15-01-2025;8100;10,50\n"

    def post() -> str:
        upload = SimpleUploadedFile("q1.csv", content, content_type="text/csv")
        response = client.post(
            "/financien/realisatie/",
            {"file": upload, "period_start": "2025-01-01", "period_end": "2025-03-31"},
            follow=True,
        )
        assert response.status_code == 200
        return response.content.decode()

    post()
    assert "vervangt 1 regels van de import van" in post()
    bad = b"boekdatum;grootboekrekening;bedrag\n15-01-2025;9999;10,50\n"
    upload = SimpleUploadedFile("q1.csv", bad, content_type="text/csv")
    page = client.post(
        "/financien/realisatie/",
        {"file": upload, "period_start": "2025-01-01", "period_end": "2025-03-31"},
    ).content.decode()
    assert "rij 2" in page
    assert "Grootboekrekening" in page


def test_every_finance_link_on_the_index_leads_somewhere(
    controller: User, line: BudgetLine
) -> None:
    import re

    client = logged_in(controller)
    page = client.get("/financien/").content.decode()
    links = set(re.findall(r'href="(/financien/[^"]*)"', page))
    assert len(links) >= 5
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link
