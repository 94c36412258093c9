from django.urls import path

from . import views

urlpatterns = [
    path("stakeholders", views.StakeholderListApi.as_view(), name="stakeholder-list"),
    path("stakeholders/<int:pk>", views.StakeholderDetailApi.as_view(), name="stakeholder-detail"),
    path("communication-plans", views.PlanListApi.as_view(), name="communication-plan-list"),
    path("moments", views.MomentListApi.as_view(), name="moment-list"),
    path("moments/<int:pk>", views.MomentDetailApi.as_view(), name="moment-detail"),
    path("moments/<int:pk>/log", views.LogEntryListApi.as_view(), name="moment-log"),
]
