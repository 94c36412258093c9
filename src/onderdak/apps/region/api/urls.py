from django.urls import path

from . import views

urlpatterns = [
    path("exchange-scenarios", views.ScenarioListApi.as_view(), name="exchange-scenario-list"),
    path(
        "exchange-scenarios/<int:pk>",
        views.ScenarioDetailApi.as_view(),
        name="exchange-scenario-detail",
    ),
    path(
        "exchange-scenarios/<int:pk>/solve",
        views.ScenarioSolveApi.as_view(),
        name="exchange-scenario-solve",
    ),
    path(
        "exchange-results/<int:pk>", views.ResultDetailApi.as_view(), name="exchange-result-detail"
    ),
    path("agreements", views.AgreementListApi.as_view(), name="agreement-list"),
    path("agreements/<int:pk>", views.AgreementDetailApi.as_view(), name="agreement-detail"),
    path(
        "agreements/<int:pk>/approvals",
        views.AgreementApprovalApi.as_view(),
        name="agreement-approvals",
    ),
    path("agreements/<int:pk>/status", views.AgreementStatusApi.as_view(), name="agreement-status"),
]
