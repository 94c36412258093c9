from django.urls import path

from . import views

app_name = "sites"

urlpatterns = [
    path("", views.site_list, name="list"),
    path("nieuw/", views.site_edit, name="create"),
    path("importeren/", views.site_import, name="import"),
    path("importeren/sjabloon/", views.site_import_template, name="import-template"),
    path("rangschikking/", views.ranking, name="ranking"),
    path("rangschikking/rapport.<str:fmt>", views.report, name="report"),
    path("portefeuille/", views.portfolio, name="portfolio"),
    path("criteria/", views.weights, name="weights"),
    path("<int:pk>/", views.site_detail, name="detail"),
    path("<int:pk>/wijzigen/", views.site_edit, name="update"),
    path("<int:pk>/fase/", views.site_stage, name="stage"),
    path("<int:pk>/verwijderen/", views.site_delete, name="delete"),
]
