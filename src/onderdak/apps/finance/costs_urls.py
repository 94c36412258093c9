"""URL patterns of the finance app (costs part); included by ``finance.urls``."""

from django.urls import URLPattern, path

from . import costs_views

urlpatterns: list[URLPattern] = [
    path("kosten/", costs_views.costs, name="costs"),
    path("prognose/", costs_views.forecast, name="forecast"),
]
