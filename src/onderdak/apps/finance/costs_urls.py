"""URL patterns of the finance app (costs part); included by ``finance.urls``."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
