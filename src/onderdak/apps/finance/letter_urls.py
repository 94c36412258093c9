"""URL patterns of the finance app (letter part); included by ``finance.urls``."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
