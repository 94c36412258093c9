"""API routes of the finance app (letter part); included by ``finance.api.urls``."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
