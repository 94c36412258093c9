from django.urls import path

from . import views

urlpatterns = [
    path("municipalities", views.MunicipalityListApi.as_view(), name="municipality-list"),
    path(
        "municipalities/<str:code>",
        views.MunicipalityDetailApi.as_view(),
        name="municipality-detail",
    ),
    path("regions", views.RegionListApi.as_view(), name="region-list"),
    path("regions/<str:code>", views.RegionDetailApi.as_view(), name="region-detail"),
    path("populations", views.PopulationListApi.as_view(), name="population-list"),
]
