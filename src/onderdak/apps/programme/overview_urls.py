"""Pages of the programme plan under /planning/ (overview)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
