from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    name = "onderdak.apps.housing"
    label = "housing"
    verbose_name = _("Flex homes and placement")
