from django.urls import path

from . import views

urlpatterns = [
    path("tokens", views.TokenCreateApi.as_view(), name="token-create"),
]
