"""API routes of the finance app (budget part); included by ``finance.api.urls``."""

from django.urls import path

from . import views

urlpatterns = [
    path("rates", views.RateListApi.as_view(), name="finance-rate-list"),
    path("rates/adopt", views.RateAdoptApi.as_view(), name="finance-rate-adopt"),
    path("rates/<int:pk>", views.RateDetailApi.as_view(), name="finance-rate-detail"),
    path("budget-lines", views.BudgetLineListApi.as_view(), name="finance-budget-line-list"),
    path(
        "budget-lines/<int:pk>",
        views.BudgetLineDetailApi.as_view(),
        name="finance-budget-line-detail",
    ),
    path("amendments", views.AmendmentListApi.as_view(), name="finance-amendment-list"),
    path(
        "amendments/<int:pk>", views.AmendmentDetailApi.as_view(), name="finance-amendment-detail"
    ),
    path("ledger-mappings", views.MappingListApi.as_view(), name="finance-mapping-list"),
    path("actuals", views.ActualListApi.as_view(), name="finance-actual-list"),
    path("actuals/import", views.ActualImportApi.as_view(), name="finance-actual-import"),
]
