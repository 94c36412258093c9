"""Pages of the programme plan under /planning/ (exchange)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
