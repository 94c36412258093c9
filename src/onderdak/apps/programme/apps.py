from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "onderdak.apps.programme"
    label = "programme"
    verbose_name = _("Programme")
