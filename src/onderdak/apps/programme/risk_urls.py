"""Pages of the programme plan under /planning/: schedule risk and directive readiness."""

from django.urls import path

from . import risk_views

urlpatterns = [
    path("risico/", risk_views.risk_run_list, name="risk_run_list"),
    path("risico/<int:pk>/", risk_views.risk_run_detail, name="risk_run_detail"),
    path("risico/<int:pk>/verwijderen/", risk_views.risk_run_delete, name="risk_run_delete"),
    path("gereedheid/", risk_views.readiness_list, name="readiness_list"),
    path("gereedheid/<int:pk>/", risk_views.readiness_detail, name="readiness_detail"),
    path(
        "gereedheid/<int:pk>/verwijderen/",
        risk_views.readiness_delete,
        name="readiness_delete",
    ),
]
