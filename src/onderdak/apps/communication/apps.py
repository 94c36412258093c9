from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationConfig(AppConfig):
    name = "onderdak.apps.communication"
    label = "communication"
    verbose_name = _("Communication and participation")
