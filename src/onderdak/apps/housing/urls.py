from django.urls import path

from . import views

app_name = "housing"

urlpatterns = [
    path("", views.complex_list, name="complex_list"),
    path("complexen/nieuw/", views.complex_edit, name="complex_create"),
    path("complexen/<int:pk>/", views.complex_detail, name="complex_detail"),
    path("complexen/<int:pk>/wijzigen/", views.complex_edit, name="complex_update"),
    path("huishoudens/", views.household_list, name="household_list"),
    path("huishoudens/nieuw/", views.household_edit, name="household_create"),
    path("huishoudens/<int:pk>/", views.household_detail, name="household_detail"),
    path("huishoudens/<int:pk>/wijzigen/", views.household_edit, name="household_update"),
    path("plaatsingen/<int:pk>/beeindigen/", views.placement_end, name="placement_end"),
    path("voorstellen/", views.proposal_list, name="proposal_list"),
    path("voorstellen/nieuw/", views.proposal_create, name="proposal_create"),
    path("voorstellen/<int:pk>/", views.proposal_detail, name="proposal_detail"),
]
