"""Pages of the programme plan under /planning/ (risk)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
