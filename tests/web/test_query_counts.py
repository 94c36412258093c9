"""Every main page of every module stays within a fixed number of database queries.

The pages are requested as the demo editor of Diemen on the demo data (``onderdak demo``), once
with an empty cache so nothing is hidden by it. A page over the limit usually loops over rows
with one query per row (a missing ``select_related``/``prefetch_related`` in its selector).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any

from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

import pytest

from onderdak.apps.accounts.models import User
from onderdak.apps.care.models import IntegrationCase
from onderdak.apps.geo.services import reference_load
from onderdak.apps.housing.models import Complex, Household
from onderdak.apps.quotas.models import QuotaRound
from onderdak.apps.sites.models import Site
from onderdak.common import charts

#: The most queries any page may make (issue 11: "no page over 30 queries").
LIMIT = 30

#: Pages that read every module by design, each with its own higher limit and the reason. The
#: quarterly letter prices the rest of the year from housing, care, region and sites (the
#: forecast) and takes its traffic lights from quotas, care, housing and sites: a few queries per
#: module, none per row (40 on the demo).
AGGREGATE_LIMITS = {"finance letter": 45}

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_data(
    django_db_setup: None, django_db_blocker: Any, reference_records: Any
) -> Iterator[None]:
    """The demo, loaded once for this module and removed afterwards (reference data stays)."""
    with django_db_blocker.unblock():
        call_command("demo", "--no-serve", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        reference_load(data=reference_records)


def _first(model: Any, **filters: Any) -> int:
    pk: int = model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True)[0]
    return pk


#: (name, url) per page; a callable builds the url once the demo data exists.
PAGES: list[tuple[str, Callable[[], str]]] = [
    ("dashboard", lambda: reverse("core:dashboard")),
    ("finance index", lambda: reverse("finance:index")),
    ("finance rates", lambda: reverse("finance:rates")),
    ("finance budget", lambda: reverse("finance:budget") + "?jaar=2025"),
    ("finance actuals", lambda: reverse("finance:actuals")),
    ("finance bookings", lambda: reverse("finance:actual_list")),
    ("finance mapping", lambda: reverse("finance:mapping")),
    ("finance costs", lambda: reverse("finance:costs") + "?jaar=2025"),
    ("finance forecast", lambda: reverse("finance:forecast") + "?jaar=2025"),
    ("finance letters", lambda: reverse("finance:letters")),
    ("finance letter", lambda: reverse("finance:letter", args=[2025, 3])),
    ("finance iv3", lambda: reverse("finance:iv3") + "?jaar=2025&kwartaal=3"),
    ("quotas overview", lambda: reverse("quotas:overview")),
    ("quotas rounds", lambda: reverse("quotas:round_list")),
    (
        "quotas round detail",
        lambda: reverse("quotas:round_detail", args=[_first(QuotaRound)]),
    ),
    ("quotas realisations", lambda: reverse("quotas:realisation_list")),
    ("quotas region", lambda: reverse("quotas:region", args=["DUOPLUS"])),
    ("region agreements", lambda: reverse("region:agreement_list")),
    ("region dashboard", lambda: reverse("region:dashboard", args=["DUOPLUS"])),
    ("sites list", lambda: reverse("sites:list")),
    ("sites ranking", lambda: reverse("sites:ranking")),
    ("sites portfolio", lambda: reverse("sites:portfolio")),
    ("sites weights", lambda: reverse("sites:weights")),
    (
        "site detail",
        lambda: reverse("sites:detail", args=[_first(Site, organisation__name="Gemeente Diemen")]),
    ),
    ("housing complexes", lambda: reverse("housing:complex_list")),
    (
        "housing complex detail",
        lambda: reverse(
            "housing:complex_detail", args=[_first(Complex, organisation__name="Gemeente Diemen")]
        ),
    ),
    ("housing households", lambda: reverse("housing:household_list")),
    (
        "housing household detail",
        lambda: reverse(
            "housing:household_detail",
            args=[_first(Household, organisation__name="Gemeente Diemen")],
        ),
    ),
    ("housing proposals", lambda: reverse("housing:proposal_list")),
    ("care overview", lambda: reverse("care:overview")),
    ("care catalogue", lambda: reverse("care:catalogue")),
    ("care gaps", lambda: reverse("care:gaps")),
    ("care demand", lambda: reverse("care:demand")),
    ("care partners", lambda: reverse("care:partner_list")),
    ("care caseload", lambda: reverse("care:caseload")),
    (
        "care case detail",
        lambda: reverse(
            "care:case_detail",
            args=[_first(IntegrationCase, organisation__name="Gemeente Diemen")],
        ),
    ),
    ("decisions", lambda: reverse("programme:decision_list")),
    ("municipalities", lambda: reverse("geo:municipality_list")),
    ("municipality detail", lambda: reverse("geo:municipality_detail", args=["GM0384"])),
    ("regions", lambda: reverse("geo:region_list")),
    ("api sites", lambda: reverse("api:site-list")),
    ("api site ranking", lambda: reverse("api:site-ranking")),
    ("api complexes", lambda: reverse("api:complex-list")),
    ("api households", lambda: reverse("api:household-list")),
    ("api quota rounds", lambda: reverse("api:quota-round-list")),
    ("api realisations", lambda: reverse("api:realisation-list")),
    ("api balances", lambda: reverse("api:balance-list") + "?municipality=GM0384"),
    ("api agreements", lambda: reverse("api:agreement-list")),
    ("api care services", lambda: reverse("api:care-service-list")),
    ("api care coverage", lambda: reverse("api:care-coverage")),
    ("api decisions", lambda: reverse("api:decision-list")),
    ("api municipalities", lambda: reverse("api:municipality-list")),
]


@pytest.mark.parametrize(("name", "url"), PAGES, ids=[name for name, _url in PAGES])
def test_main_page_stays_within_the_query_limit(
    demo_data: None,
    django_assert_max_num_queries: Any,
    name: str,
    url: Callable[[], str],
) -> None:
    client = Client()
    client.force_login(User.objects.get(username="demo-editor"))
    address = url()
    cache.clear()
    charts.clear_local_cache()
    with django_assert_max_num_queries(AGGREGATE_LIMITS.get(name, LIMIT)):
        response = client.get(address)
    assert response.status_code == 200, (name, address, response.status_code)
