from django.urls import path

from . import views

urlpatterns = [
    path("complexes", views.ComplexListApi.as_view(), name="complex-list"),
    path("complexes/<int:pk>", views.ComplexDetailApi.as_view(), name="complex-detail"),
    path("households", views.HouseholdListApi.as_view(), name="household-list"),
    path("placements", views.PlacementListApi.as_view(), name="placement-list"),
    path("placement-proposals", views.ProposalListApi.as_view(), name="placement-proposal-list"),
    path(
        "placement-proposals/<int:pk>",
        views.ProposalDetailApi.as_view(),
        name="placement-proposal-detail",
    ),
]
