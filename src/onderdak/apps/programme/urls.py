"""Pages under /planning/: each part of the app has its own URL module, included here."""

from django.urls import include, path

app_name = "programme"

urlpatterns = [
    path("", include("onderdak.apps.programme.decision_urls")),
    path("", include("onderdak.apps.programme.overview_urls")),
    path("", include("onderdak.apps.programme.plan_urls")),
    path("", include("onderdak.apps.programme.exchange_urls")),
    path("", include("onderdak.apps.programme.risk_urls")),
]
