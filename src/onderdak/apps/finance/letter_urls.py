"""URL patterns of the finance app (letter part); included by ``finance.urls``."""

from django.urls import URLPattern, path

from . import letter_views

urlpatterns: list[URLPattern] = [
    path("kwartaalbrieven/", letter_views.letter_list, name="letters"),
    path("kwartaalbrieven/<int:year>/<int:quarter>/", letter_views.letter_detail, name="letter"),
    path(
        "kwartaalbrieven/<int:year>/<int:quarter>/vaststellen/",
        letter_views.letter_adopt,
        name="letter-adopt",
    ),
    path(
        "kwartaalbrieven/<int:year>/<int:quarter>/download.<str:fmt>",
        letter_views.letter_download,
        name="letter-download",
    ),
    path("iv3/", letter_views.iv3_page, name="iv3"),
]
