"""API of the programme plan (risk)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
