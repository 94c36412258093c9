"""The programme overview at /planning/."""

from django.urls import path

from . import overview_views

urlpatterns = [
    path("", overview_views.overview, name="overview"),
    path("gantt/", overview_views.gantt, name="gantt"),
    path("gantt/<slug:kind>/", overview_views.gantt, name="gantt_track"),
]
