from django.urls import path

from . import views

urlpatterns = [
    path("sites", views.SiteListApi.as_view(), name="site-list"),
    path("sites/<int:pk>", views.SiteDetailApi.as_view(), name="site-detail"),
    path("site-criteria", views.CriterionListApi.as_view(), name="site-criterion-list"),
    path("site-weight-sets", views.WeightSetListApi.as_view(), name="site-weight-set-list"),
    path("site-rankings", views.RankingApi.as_view(), name="site-ranking"),
]
