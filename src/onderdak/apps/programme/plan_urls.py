"""The plan's pages under /planning/plan/: the table, tasks, dependencies, baselines and the
programme's and tracks' settings."""

from django.urls import path

from . import plan_views

urlpatterns = [
    path("plan/", plan_views.plan_table, name="plan"),
    path("plan/programma/nieuw/", plan_views.programme_create, name="programme_create"),
    path("plan/programma/", plan_views.programme_update, name="programme_update"),
    path("plan/sporen/<slug:kind>/", plan_views.track_update, name="track_update"),
    path("plan/taken/nieuw/", plan_views.task_create, name="task_create"),
    path("plan/taken/<int:pk>/", plan_views.task_detail, name="task_detail"),
    path("plan/taken/<int:pk>/wijzigen/", plan_views.task_update, name="task_update"),
    path("plan/taken/<int:pk>/verwijderen/", plan_views.task_delete, name="task_delete"),
    path("plan/koppelingen/nieuw/", plan_views.link_create, name="link_create"),
    path("plan/koppelingen/<int:pk>/wijzigen/", plan_views.link_update, name="link_update"),
    path("plan/koppelingen/<int:pk>/verwijderen/", plan_views.link_delete, name="link_delete"),
    path("plan/basislijnen/", plan_views.baseline_list, name="baseline_list"),
    path(
        "plan/basislijnen/<int:pk>/verwijderen/",
        plan_views.baseline_delete,
        name="baseline_delete",
    ),
]
