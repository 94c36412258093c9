"""API of the programme plan (plan)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
