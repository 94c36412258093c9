"""Schedule risk and directive readiness pages: run and store an analysis from the form, read
it, delete it after confirmation; refusals on the form, access per role and municipality, and
the purpose-logged count of households."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

import pytest
from tests.fixtures import logged_in

from onderdak.apps.accounts.models import Organisation, User
from onderdak.apps.audit.models import AccessLog
from onderdak.apps.housing.demo import demo_seed as housing_seed
from onderdak.apps.programme import services
from onderdak.apps.programme.models import Programme, ReadinessCheck, RiskRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(users: dict[str, User], organisations: dict[str, Organisation]) -> Programme:
    """a (estimate 5..20) -> m, a milestone delivering 30 places for status holders."""
    admin = users["diemen-admin"]
    today = timezone.localdate()
    programme = services.programme_create(
        actor=admin,
        organisation=organisations["diemen"],
        name="Programma R",
        start_date=today,
        target_date=today + timedelta(days=21),
    )
    track = programme.tracks.get(kind="temporary_housing")
    a = services.task_create(
        actor=admin,
        programme=programme,
        track=track,
        code="3.1",
        name="Bouw",
        duration=10,
        optimistic=5,
        most_likely=10,
        pessimistic=20,
    )
    m = services.task_create(
        actor=admin,
        programme=programme,
        track=track,
        code="3.2",
        name="Opgeleverd",
        duration=0,
        units=30,
        target_groups=["status_holder"],
    )
    services.link_create(actor=admin, programme=programme, predecessor=a, successor=m)
    return programme


def _risk_run(user: User, plan: Programme) -> RiskRun:
    return services.risk_run_create(
        actor=user,
        programme=plan,
        runs=100,
        seed=1,
        distribution="triangular",
        target_date=None,
        today=timezone.localdate(),
    )


def test_an_editor_runs_a_risk_analysis_and_reads_it_in_dutch(
    users: dict[str, User], plan: Programme
) -> None:
    client = logged_in(users["diemen-editor"])
    page = client.get("/planning/risico/")
    assert page.status_code == 200
    assert "Er is nog geen planningsrisicoanalyse uitgevoerd." in page.content.decode()
    response = client.post(
        "/planning/risico/",
        {"runs": "500", "seed": "7", "distribution": "pert", "target_date": ""},
    )
    run = RiskRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/planning/risico/{run.pk}/"
    assert run.target_date == plan.target_date  # empty: the programme's
    assert run.distribution == "pert" and run.runs == 500
    detail = client.get(f"/planning/risico/{run.pk}/").content.decode()
    assert "Kans de streefdatum te halen" in detail
    assert "<svg" in detail and "<rect" in detail  # the histogram
    assert "3.2 Opgeleverd" in detail  # the milestone row
    assert "Kriticiteitsindex" in detail
    # the same inputs give the same result
    again = services.risk_run_create(
        actor=users["diemen-editor"],
        programme=plan,
        runs=500,
        seed=7,
        distribution="pert",
        target_date=None,
        today=timezone.localdate(),
    )
    assert again.result == run.result


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"runs": "5", "seed": "1", "distribution": "triangular"}, "runs"),
        ({"runs": "abc", "seed": "1", "distribution": "triangular"}, "runs"),
        ({"runs": "10^20", "seed": "-1", "distribution": "triangular"}, "seed"),
        ({"runs": "1000", "seed": "1", "distribution": "<script>"}, "distribution"),
        ({"runs": "", "seed": "", "distribution": ""}, "runs"),
    ],
)
def test_wrong_risk_input_is_a_form_error_and_nothing_is_stored(
    users: dict[str, User], plan: Programme, data: dict[str, str], field: str
) -> None:
    response = logged_in(users["diemen-editor"]).post("/planning/risico/", data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert "<script>" not in response.content.decode().split("<main", 1)[-1].replace(
        "&lt;script&gt;", ""
    )
    assert not RiskRun.objects.exists()


def test_an_empty_plan_is_refused_on_the_form(
    users: dict[str, User], organisations: dict[str, Organisation]
) -> None:
    services.programme_create(
        actor=users["diemen-admin"],
        organisation=organisations["diemen"],
        name="Leeg",
        start_date=timezone.localdate(),
    )
    response = logged_in(users["diemen-editor"]).post(
        "/planning/risico/", {"runs": "100", "seed": "1", "distribution": "triangular"}
    )
    assert response.status_code == 200
    assert "nog geen taken" in response.content.decode()
    assert not RiskRun.objects.exists()


def test_a_viewer_reads_but_may_not_run_and_another_municipality_sees_nothing(
    users: dict[str, User], plan: Programme
) -> None:
    run = _risk_run(users["diemen-admin"], plan)
    viewer = logged_in(users["diemen-viewer"])
    assert viewer.get(f"/planning/risico/{run.pk}/").status_code == 200
    assert (
        "Een planningsrisicoanalyse uitvoeren"
        not in viewer.get("/planning/risico/").content.decode()
    )
    assert (
        viewer.post("/planning/risico/", {"runs": "100", "seed": "1", "distribution": "pert"})
    ).status_code == 403
    assert viewer.post(f"/planning/risico/{run.pk}/verwijderen/").status_code == 403
    other = logged_in(users["uithoorn-editor"])
    assert other.get(f"/planning/risico/{run.pk}/").status_code == 404
    assert other.post(f"/planning/risico/{run.pk}/verwijderen/").status_code == 404
    assert RiskRun.objects.count() == 1


def test_deleting_a_risk_run_asks_first(users: dict[str, User], plan: Programme) -> None:
    run = _risk_run(users["diemen-admin"], plan)
    client = logged_in(users["diemen-editor"])
    confirm = client.get(f"/planning/risico/{run.pk}/verwijderen/").content.decode()
    assert "Weet u zeker" in confirm
    assert RiskRun.objects.exists()
    assert client.post(f"/planning/risico/{run.pk}/verwijderen/").status_code == 302
    assert not RiskRun.objects.exists()


def test_a_readiness_check_counts_free_claimed_and_delivered_places(
    users: dict[str, User], organisations: dict[str, Organisation], plan: Programme
) -> None:
    editor = users["diemen-editor"]
    housing_seed(actor=editor, organisation=organisations["diemen"])
    today = timezone.localdate()
    by = today + timedelta(days=120)
    AccessLog.objects.all().delete()
    client = logged_in(editor)
    response = client.post(
        "/planning/gereedheid/",
        {
            "title": "Aanwijzing test",
            "places": "50",
            "target_group": "status_holder",
            "by_date": by.isoformat(),
            "runs": "1000",
            "seed": "3",
        },
    )
    check = ReadinessCheck.objects.get()
    assert response.status_code == 302
    inputs, result = check.inputs, check.result
    assert inputs["deliveries"] == [{"task": "3.2", "places": 30}]
    assert inputs["waiting"] > 0 and inputs["waiting_households"] > 0
    # the task (at most 20 working days) is always done long before the date
    assert result["deliveries"][0]["probability"] == 1.0
    places = inputs["free"] - inputs["waiting"] - inputs["lost"] + 30
    assert result["reached"] == {"50": places, "80": places, "90": places}
    assert result["gap"]["80"] == max(0, 50 - places)
    assert result["probability"] == (1.0 if places >= 50 else 0.0)
    # counting the waiting households is a purpose-logged read of personal data
    log = AccessLog.objects.get()
    assert log.object_type == "housing.Household" and "gereedheidstoets" in log.purpose
    detail = client.get(f"/planning/gereedheid/{check.pk}/").content.decode()
    assert "Aanwijzing test" in detail and "Hoe de plaatsen optellen" in detail


def test_a_readiness_date_in_the_past_is_refused_on_its_field(
    users: dict[str, User], plan: Programme
) -> None:
    response = logged_in(users["diemen-editor"]).post(
        "/planning/gereedheid/",
        {
            "places": "50",
            "target_group": "status_holder",
            "by_date": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "runs": "100",
            "seed": "1",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["by_date"] == ["Kies een datum na vandaag."]
    assert not ReadinessCheck.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"places": "0", "target_group": "status_holder", "by_date": "2099-01-01"},
        {"places": "-5", "target_group": "status_holder", "by_date": "2099-01-01"},
        {"places": "10", "target_group": "martians", "by_date": "2099-01-01"},
        {"places": "10", "target_group": "status_holder", "by_date": "morgen"},
        {"places": "=HYPERLINK(1)", "target_group": "", "by_date": ""},
    ],
)
def test_wrong_readiness_input_is_a_form_error(
    users: dict[str, User], plan: Programme, data: dict[str, str]
) -> None:
    response = logged_in(users["diemen-editor"]).post(
        "/planning/gereedheid/", {**data, "runs": "100", "seed": "1"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ReadinessCheck.objects.exists()


def test_the_overview_links_the_latest_analyses(users: dict[str, User], plan: Programme) -> None:
    admin = users["diemen-admin"]
    today = timezone.localdate()
    run = services.risk_run_create(
        actor=admin,
        programme=plan,
        runs=100,
        seed=1,
        distribution="triangular",
        target_date=None,
        today=today,
    )
    check = services.readiness_check_create(
        actor=admin,
        programme=plan,
        places=10,
        target_group="status_holder",
        by_date=date(today.year + 1, 1, 1),
        runs=100,
        seed=1,
        today=today,
    )
    page = logged_in(users["diemen-viewer"]).get("/planning/").content.decode()
    assert f"/planning/risico/{run.pk}/" in page
    assert f"/planning/gereedheid/{check.pk}/" in page


def test_deleting_a_readiness_check_asks_first(users: dict[str, User], plan: Programme) -> None:
    today = timezone.localdate()
    check = services.readiness_check_create(
        actor=users["diemen-admin"],
        programme=plan,
        places=10,
        target_group="status_holder",
        by_date=today + timedelta(days=60),
        runs=100,
        seed=1,
        today=today,
    )
    client = logged_in(users["diemen-editor"])
    confirm = client.get(f"/planning/gereedheid/{check.pk}/verwijderen/")
    assert confirm.status_code == 200 and "Weet u zeker" in confirm.content.decode()
    assert ReadinessCheck.objects.exists()
    viewer = logged_in(users["diemen-viewer"])
    assert viewer.post(f"/planning/gereedheid/{check.pk}/verwijderen/").status_code == 403
    assert client.post(f"/planning/gereedheid/{check.pk}/verwijderen/").status_code == 302
    assert not ReadinessCheck.objects.exists()
