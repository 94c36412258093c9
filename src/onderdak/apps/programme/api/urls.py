from django.urls import include, path

from . import views

urlpatterns = [
    path("decisions", views.DecisionListApi.as_view(), name="decision-list"),
    path("decisions/<int:pk>", views.DecisionDetailApi.as_view(), name="decision-detail"),
    path("", include("onderdak.apps.programme.api.plan_urls")),
    path("", include("onderdak.apps.programme.api.risk_urls")),
]
