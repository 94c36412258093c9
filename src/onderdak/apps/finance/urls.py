"""Pages under /financien/: each part of the app has its own URL module, included here."""

from django.urls import include, path

app_name = "finance"

urlpatterns = [
    path("", include("onderdak.apps.finance.budget_urls")),
    path("", include("onderdak.apps.finance.costs_urls")),
    path("", include("onderdak.apps.finance.letter_urls")),
]
