"""API routes of the finance app (letter part); included by ``finance.api.urls``."""

from django.urls import URLPattern, path

from . import letter_views

urlpatterns: list[URLPattern] = [
    path("letters/", letter_views.LetterListView.as_view(), name="finance-letters"),
    path(
        "letters/<int:year>/<int:quarter>/",
        letter_views.LetterDetailView.as_view(),
        name="finance-letter",
    ),
]
