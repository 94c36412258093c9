"""Pages of the programme plan under /planning/ (plan)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
