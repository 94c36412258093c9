"""Pages of the programme plan under /planning/: the plan in and out (Excel, MS Project XML,
iCalendar) and the milestone calendar that calendar apps subscribe to."""

from django.urls import path

from . import exchange_views

urlpatterns = [
    path("uitwisseling/", exchange_views.exchange_page, name="exchange"),
    path("uitwisseling/planning.xlsx", exchange_views.plan_xlsx, name="plan_xlsx"),
    path("uitwisseling/planning.xml", exchange_views.plan_mspdi, name="plan_mspdi"),
    path("uitwisseling/mijlpalen.ics", exchange_views.milestones_ics, name="milestones_ics"),
    path("uitwisseling/agendalink/", exchange_views.calendar_link, name="calendar_link"),
    path(
        "agenda/<str:token>/<slug:kind>.ics",
        exchange_views.calendar_feed,
        name="calendar_feed",
    ),
]
