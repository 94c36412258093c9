from django.urls import path

from . import views

urlpatterns = [
    path("care/services", views.ServiceListApi.as_view(), name="care-service-list"),
    path("care/services/<int:pk>", views.ServiceDetailApi.as_view(), name="care-service-detail"),
    path(
        "care/services/<int:pk>/retire",
        views.ServiceRetireApi.as_view(),
        name="care-service-retire",
    ),
    path(
        "care/services/<int:pk>/reinstate",
        views.ServiceReinstateApi.as_view(),
        name="care-service-reinstate",
    ),
    path(
        "care/services/<int:pk>/ownerships",
        views.ServiceOwnershipListApi.as_view(),
        name="care-service-ownership-list",
    ),
    path("care/catalogue/adopt", views.CatalogueAdoptApi.as_view(), name="care-catalogue-adopt"),
    path(
        "care/ownerships/<int:pk>",
        views.OwnershipDetailApi.as_view(),
        name="care-ownership-detail",
    ),
    path("care/coverage", views.CoverageApi.as_view(), name="care-coverage"),
    path("care/demand", views.DemandApi.as_view(), name="care-demand"),
    path("care/partners", views.PartnerListApi.as_view(), name="care-partner-list"),
    path("care/partners/<int:pk>", views.PartnerDetailApi.as_view(), name="care-partner-detail"),
    path(
        "care/partners/<int:pk>/contracts",
        views.PartnerContractListApi.as_view(),
        name="care-partner-contract-list",
    ),
    path("care/contracts/<int:pk>", views.ContractDetailApi.as_view(), name="care-contract-detail"),
    path(
        "care/integration-cases",
        views.IntegrationCaseListApi.as_view(),
        name="care-integration-case-list",
    ),
    path(
        "care/integration-cases/<int:pk>",
        views.IntegrationCaseDetailApi.as_view(),
        name="care-integration-case-detail",
    ),
]
