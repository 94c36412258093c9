from django.urls import path

from . import views

app_name = "region"

urlpatterns = [
    path("", views.index, name="index"),
    path("afspraken/", views.agreement_list, name="agreement_list"),
    path("afspraken/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("afspraken/<int:pk>/status/", views.agreement_status, name="agreement_status"),
    path("afspraken/<int:pk>/goedkeuren/", views.agreement_approve, name="agreement_approve"),
    path("afspraken/<int:pk>/verwijderen/", views.agreement_delete, name="agreement_delete"),
    path("scenarios/<int:pk>/", views.scenario_detail, name="scenario_detail"),
    path("scenarios/<int:pk>/oplossen/", views.scenario_solve, name="scenario_solve"),
    path("scenarios/<int:pk>/verwijderen/", views.scenario_delete, name="scenario_delete"),
    path("uitkomsten/<int:pk>/", views.result_detail, name="result_detail"),
    path("<str:code>/", views.dashboard, name="dashboard"),
    path("<str:code>/scenario/nieuw/", views.scenario_create, name="scenario_create"),
]
