"""URL patterns of the finance app (budget part); included by ``finance.urls``."""

from django.urls import path

from onderdak.common.imports import template_view

from . import services, views

urlpatterns = [
    path("", views.index, name="index"),
    path("normbedragen/", views.rates, name="rates"),
    path("normbedragen/nieuw/", views.rate_edit, name="rate_create"),
    path("normbedragen/<int:pk>/", views.rate_edit, name="rate_update"),
    path("normbedragen/<int:pk>/verwijderen/", views.rate_delete, name="rate_delete"),
    path("normbedragen/<int:pk>/historie/", views.rate_history, name="rate_history"),
    path("begroting/", views.budget, name="budget"),
    path("begroting/nieuw/", views.budget_line_edit, name="budget_line_create"),
    path("begroting/<int:pk>/", views.budget_line_edit, name="budget_line_update"),
    path("begroting/<int:pk>/verwijderen/", views.budget_line_delete, name="budget_line_delete"),
    path(
        "begroting/<int:line_pk>/wijzigingen/nieuw/",
        views.amendment_edit,
        name="amendment_create",
    ),
    path(
        "begroting/<int:line_pk>/wijzigingen/<int:pk>/",
        views.amendment_edit,
        name="amendment_update",
    ),
    path(
        "begrotingswijzigingen/<int:pk>/verwijderen/",
        views.amendment_delete,
        name="amendment_delete",
    ),
    path("realisatie/", views.actuals, name="actuals"),
    path("realisatie/boekingen/", views.actual_list, name="actual_list"),
    path(
        "realisatie/sjabloon/",
        template_view(services.ACTUALS_IMPORT),
        name="actuals_template",
    ),
    path(
        "realisatie/<int:pk>/verwijderen/",
        views.actual_import_delete,
        name="actual_import_delete",
    ),
    path("grootboek/", views.mapping, name="mapping"),
    path("grootboek/nieuw/", views.mapping_edit, name="mapping_create"),
    path("grootboek/sjabloon/", template_view(services.MAPPING_IMPORT), name="mapping_template"),
    path("grootboek/<int:pk>/", views.mapping_edit, name="mapping_update"),
    path("grootboek/<int:pk>/verwijderen/", views.mapping_delete, name="mapping_delete"),
]
