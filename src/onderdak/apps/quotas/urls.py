from django.urls import path

from onderdak.common.imports import template_view

from . import services, views

app_name = "quotas"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("regio/<str:code>/", views.region_view, name="region"),
    path("wettelijk/", views.municipality_statutory, name="municipality_statutory"),
    path("rondes/", views.round_list, name="round_list"),
    path("rondes/nieuw/", views.round_edit, name="round_create"),
    path("rondes/<int:pk>/", views.round_detail, name="round_detail"),
    path("rondes/<int:pk>/wijzigen/", views.round_edit, name="round_update"),
    path("rondes/<int:pk>/verwijderen/", views.round_delete, name="round_delete"),
    path("rondes/<int:pk>/berekenen/", views.round_compute, name="round_compute"),
    path("rondes/<int:pk>/importeren/", views.round_import, name="round_import"),
    path(
        "rondes/importeren/sjabloon/",
        template_view(services.OFFICIAL_COLUMNS),
        name="round_import_template",
    ),
    path("realisaties/", views.realisation_list, name="realisation_list"),
    path("realisaties/nieuw/", views.realisation_edit, name="realisation_create"),
    path("realisaties/<int:pk>/wijzigen/", views.realisation_edit, name="realisation_update"),
    path("realisaties/<int:pk>/verwijderen/", views.realisation_delete, name="realisation_delete"),
]
