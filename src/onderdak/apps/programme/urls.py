from django.urls import path

from . import views

app_name = "programme"

urlpatterns = [
    path("", views.decision_list, name="decision_list"),
    path("nieuw/", views.decision_create, name="decision_create"),
    path("<int:pk>/", views.decision_detail, name="decision_detail"),
    path("<int:pk>/wijzigen/", views.decision_update, name="decision_update"),
    path("<int:pk>/verwijderen/", views.decision_delete, name="decision_delete"),
]
