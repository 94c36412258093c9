"""API of the programme plan: programmes, tracks, tasks, dependencies, baselines, schedule."""

from django.urls import path

from . import plan_views as views

urlpatterns = [
    path("programmes", views.ProgrammeListApi.as_view(), name="programme-list"),
    path("programmes/<int:pk>", views.ProgrammeDetailApi.as_view(), name="programme-detail"),
    path("programmes/<int:pk>/schedule", views.ScheduleApi.as_view(), name="programme-schedule"),
    path("plan/tracks/<int:pk>", views.TrackDetailApi.as_view(), name="plan-track-detail"),
    path("plan/tasks", views.TaskListApi.as_view(), name="plan-task-list"),
    path("plan/tasks/<int:pk>", views.TaskDetailApi.as_view(), name="plan-task-detail"),
    path("plan/links", views.LinkListApi.as_view(), name="plan-link-list"),
    path("plan/links/<int:pk>", views.LinkDetailApi.as_view(), name="plan-link-detail"),
    path("plan/baselines", views.BaselineListApi.as_view(), name="plan-baseline-list"),
    path("plan/baselines/<int:pk>", views.BaselineDetailApi.as_view(), name="plan-baseline-detail"),
]
