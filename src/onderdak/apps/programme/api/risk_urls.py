"""API of schedule risk runs and directive readiness checks."""

from django.urls import path

from . import risk_views as views

urlpatterns = [
    path("plan/risk-runs", views.RiskRunListApi.as_view(), name="plan-risk-run-list"),
    path("plan/risk-runs/<int:pk>", views.RiskRunDetailApi.as_view(), name="plan-risk-run-detail"),
    path("plan/readiness-checks", views.ReadinessListApi.as_view(), name="plan-readiness-list"),
    path(
        "plan/readiness-checks/<int:pk>",
        views.ReadinessDetailApi.as_view(),
        name="plan-readiness-detail",
    ),
]
