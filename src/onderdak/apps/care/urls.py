from django.urls import path

from onderdak.common.imports import template_view

from . import services, views

app_name = "care"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("catalogus/", views.catalogue, name="catalogue"),
    path("catalogus/overnemen/", views.catalogue_adopt, name="catalogue_adopt"),
    path("catalogus/nieuw/", views.service_edit, name="service_create"),
    path("catalogus/<int:pk>/", views.service_detail, name="service_detail"),
    path("catalogus/<int:pk>/wijzigen/", views.service_edit, name="service_update"),
    path("catalogus/<int:pk>/beeindigen/", views.service_retire, name="service_retire"),
    path("eigenaarschap/<int:pk>/wijzigen/", views.ownership_edit, name="ownership_update"),
    path("knelpunten/", views.gaps, name="gaps"),
    path("vraag-en-capaciteit/", views.demand, name="demand"),
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/nieuw/", views.partner_edit, name="partner_create"),
    path("partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/wijzigen/", views.partner_edit, name="partner_update"),
    path("partners/<int:pk>/verwijderen/", views.partner_delete, name="partner_delete"),
    path(
        "partners/<int:partner_pk>/contracten/nieuw/", views.contract_edit, name="contract_create"
    ),
    path(
        "partners/<int:partner_pk>/contracten/<int:pk>/",
        views.contract_edit,
        name="contract_update",
    ),
    path(
        "partners/<int:partner_pk>/contracten/<int:pk>/verwijderen/",
        views.contract_delete,
        name="contract_delete",
    ),
    path("inburgering/", views.caseload, name="caseload"),
    path("inburgering/nieuw/", views.case_edit, name="case_create"),
    path("inburgering/importeren/", views.case_import, name="case_import"),
    path(
        "inburgering/importeren/sjabloon/",
        template_view(services.CASE_IMPORT),
        name="case_import_template",
    ),
    path("inburgering/<int:pk>/", views.case_detail, name="case_detail"),
    path("inburgering/<int:pk>/wijzigen/", views.case_edit, name="case_update"),
    path("inburgering/<int:pk>/verwijderen/", views.case_delete, name="case_delete"),
]
