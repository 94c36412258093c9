from django.urls import path

from . import views

app_name = "geo"

urlpatterns = [
    path("gemeenten/", views.municipality_list, name="municipality_list"),
    path("gemeenten/<str:code>/", views.municipality_detail, name="municipality_detail"),
    path("regios/", views.region_list, name="region_list"),
    path("regios/<str:code>/", views.region_detail, name="region_detail"),
]
