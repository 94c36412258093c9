"""Pages of the decision log, under /planning/besluiten/."""

from django.urls import path

from . import views

urlpatterns = [
    path("besluiten/", views.decision_list, name="decision_list"),
    path("besluiten/nieuw/", views.decision_create, name="decision_create"),
    path("besluiten/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("besluiten/<int:pk>/wijzigen/", views.decision_update, name="decision_update"),
    path("besluiten/<int:pk>/verwijderen/", views.decision_delete, name="decision_delete"),
]
