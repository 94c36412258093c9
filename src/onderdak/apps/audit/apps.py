from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "onderdak.apps.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from onderdak.common.admin import set_auditor

        from .admin import AdminAuditor

        set_auditor(AdminAuditor())
