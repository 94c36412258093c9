"""API routes of the finance app under /api/v1/finance/."""

from django.urls import include, path

urlpatterns = [
    path("finance/", include("onderdak.apps.finance.api.budget_urls")),
    path("finance/", include("onderdak.apps.finance.api.letter_urls")),
]
