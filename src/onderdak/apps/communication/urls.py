"""Pages under /communicatie/: the overview with its warnings, stakeholders with the
power-interest grid, the plans per track, and the moments."""

from django.urls import path

from . import views

app_name = "communication"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("belanghebbenden/", views.stakeholder_list, name="stakeholder_list"),
    path("belanghebbenden/nieuw/", views.stakeholder_create, name="stakeholder_create"),
    path(
        "belanghebbenden/<int:pk>/wijzigen/",
        views.stakeholder_update,
        name="stakeholder_update",
    ),
    path(
        "belanghebbenden/<int:pk>/verwijderen/",
        views.stakeholder_delete,
        name="stakeholder_delete",
    ),
    path("plannen/nieuw/", views.plan_create, name="plan_create"),
    path("plannen/<int:pk>/", views.plan_update, name="plan_update"),
    path("plannen/<int:pk>/word/", views.plan_export, name="plan_export"),
    path("momenten/", views.moment_list, name="moment_list"),
    path("momenten/kalender/", views.moment_calendar, name="moment_calendar"),
    path("momenten/nieuw/", views.moment_create, name="moment_create"),
    path("momenten/<int:pk>/wijzigen/", views.moment_update, name="moment_update"),
    path("momenten/<int:pk>/verwijderen/", views.moment_delete, name="moment_delete"),
    path("buurten/", views.neighbourhood_list, name="neighbourhood_list"),
    path("buurten/verwijderen/", views.neighbourhood_remove, name="neighbourhood_remove"),
]
