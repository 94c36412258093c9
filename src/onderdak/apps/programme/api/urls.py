from django.urls import path

from . import views

urlpatterns = [
    path("decisions", views.DecisionListApi.as_view(), name="decision-list"),
    path("decisions/<int:pk>", views.DecisionDetailApi.as_view(), name="decision-detail"),
]
