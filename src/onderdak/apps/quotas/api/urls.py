from django.urls import path

from . import views

urlpatterns = [
    path("quota-rounds", views.QuotaRoundListApi.as_view(), name="quota-round-list"),
    path("quota-rounds/<int:pk>", views.QuotaRoundDetailApi.as_view(), name="quota-round-detail"),
    path(
        "quota-rounds/<int:pk>/quotas",
        views.MunicipalQuotaListApi.as_view(),
        name="municipal-quota-list",
    ),
    path("realisations", views.RealisationListApi.as_view(), name="realisation-list"),
    path("realisations/<int:pk>", views.RealisationDetailApi.as_view(), name="realisation-detail"),
    path("balances", views.BalanceApi.as_view(), name="balance-list"),
]
