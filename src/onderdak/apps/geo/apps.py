from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "onderdak.apps.geo"
    label = "geo"
    verbose_name = _("Reference data")
