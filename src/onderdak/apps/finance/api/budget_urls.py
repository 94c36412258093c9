"""API routes of the finance app (budget part); included by ``finance.api.urls``."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
